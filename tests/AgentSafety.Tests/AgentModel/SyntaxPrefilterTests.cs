using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentSafety.Tests.AgentModel;

/// <summary>
/// The knowledge layer's cheap pre-checks that spare binding and whole-compilation walks: each may answer "maybe"
/// too often, never "no" wrongly.
/// </summary>
public class SyntaxPrefilterTests
{
    [Theory]
    [InlineData("var f = AIFunctionFactory.Create(Lookup);", true)]
    [InlineData("var f = Create (Lookup);", true)]
    [InlineData("var f = @Create(Lookup);", true)]
    [InlineData("Directory.CreateDirectory(path); var created = true;", false)]
    [InlineData("var f = MakeCreate(x);", false)]
    [InlineData("// no call here", false)]
    [InlineData("var f = Cr\\u0065ate(Lookup);", true)]
    public void Identifier_search_finds_whole_identifiers_and_walks_files_with_escapes(string statement, bool expected)
    {
        var tree = CSharpSyntaxTree.ParseText("class C { void M() { " + statement + " } }");
        Assert.Equal(expected, IdentifierSearch.MayMention(tree, new[] { "Create", "CreateFromMethod" }));
    }

    [Fact]
    public void Type_syntax_filter_names_a_type_only_by_its_name_or_an_alias()
    {
        var knowledge = KnowledgeCompilation.Of(
            """
            using Failure = System.Exception;
            namespace App
            {
                using Inner = System.SystemException;
                class C { void M() { } }
            }
            """,
            "global using Everything = System.AggregateException;");
        var exception = knowledge.Type("System.Exception");
        var broad = System.Collections.Immutable.ImmutableArray.Create(exception);
        bool MayName(string type) => knowledge.Model.TypeSyntax.MayName(SyntaxFactory.ParseTypeName(type), broad);

        Assert.True(MayName("Exception"));
        Assert.True(MayName("System.Exception"));
        Assert.True(MayName("global::System.Exception"));
        Assert.True(MayName("Failure"));
        Assert.True(MayName("Inner"));
        Assert.True(MayName("Everything"));
        Assert.False(MayName("HttpRequestException"));
        Assert.False(MayName("System.IO.IOException"));
    }
}
