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
    public void Common_parts_cover_every_name_with_fewer_searches()
    {
        string[] names = ["AddOpenAIChatCompletion", "AddAzureOpenAIChatCompletion", "AddMistralChatCompletion", "AddChatClient", "AddKeyedChatClient", "Run", "AddSingleton", "AddScoped"];
        var parts = IdentifierSearch.CommonParts(names);
        Assert.All(names, name => Assert.Contains(parts, part => name.Contains(part, StringComparison.Ordinal)));
        Assert.True(parts.Count < names.Length, string.Join(", ", parts));
        Assert.Contains("Run", parts);
    }

    [Theory]
    [InlineData("services.AddHttpClient(\"x\").AddStandardResilienceHandler();", true)]
    [InlineData("services.AddHttpClient(\"x\").AddTransientHttpErrorPolicy(p => p);", true)]
    [InlineData("var handler = new HttpClientHandler();", false)]
    [InlineData("var policy = ErrorPolicyName;", false)]
    [InlineData("// no registration", false)]
    [InlineData("services.AddHttpClient(\"x\").AddPolicyHandl\\u0065r(p => p);", true)]
    public void Identifier_search_with_shared_parts_answers_as_the_plain_search(string statement, bool expected)
    {
        var tree = CSharpSyntaxTree.ParseText("class C { void M() { " + statement + " } }");
        var names = Resilience.HttpResilienceRegistrations;
        var parts = Resilience.HttpResilienceRegistrationParts;
        Assert.Equal(expected, IdentifierSearch.MayMention(tree, names, parts));
        Assert.Equal(IdentifierSearch.MayMention(tree, names), IdentifierSearch.MayMention(tree, names, parts));
    }

    [Fact]
    public void Every_http_resilience_registration_name_holds_one_of_the_parts_the_scan_searches_first()
        => Assert.All(Resilience.HttpResilienceRegistrations, name => Assert.Contains(Resilience.HttpResilienceRegistrationParts, part => name.Contains(part, StringComparison.Ordinal)));

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

    [Theory]
    [InlineData("", "AIFunctionFactory.Create(Lookup)", true)]
    [InlineData("", "Microsoft.Extensions.AI.AIFunctionFactory.Create(Lookup)", true)]
    [InlineData("", "global::Microsoft.Extensions.AI.AIFunctionFactory.Create(Lookup)", true)]
    [InlineData("using Tools = Microsoft.Extensions.AI.AIFunctionFactory;", "Tools.Create(Lookup)", true)]
    [InlineData("using static Microsoft.Extensions.AI.AIFunctionFactory;", "Create(Lookup)", true)]
    [InlineData("", "Create(Lookup)", false)]
    [InlineData("", "System.IO.File.Create(\"a\")", false)]
    [InlineData("", "factories[0].Create(Lookup)", false)]
    [InlineData("", "this.Create(Lookup)", false)]
    public void Registration_calls_are_static_calls_on_a_factory_type_its_alias_or_through_using_static(string usings, string call, bool expected)
    {
        var knowledge = KnowledgeCompilation.Of(usings + """

            class C
            {
                static object Create(System.Delegate d) => d;
                static object[] factories = new object[0];
                static string Lookup(string s) => s;
                void M() { }
            }
            """);
        var invocation = (Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax)SyntaxFactory.ParseExpression(call);
        var factory = knowledge.Type("Microsoft.Extensions.AI.AIFunctionFactory");
        Assert.Equal(expected, knowledge.Model.TypeSyntax.MayCallStaticOf(invocation, System.Collections.Immutable.ImmutableArray.Create(factory)));
    }

    [Fact]
    public void Invocations_named_are_found_from_the_text_not_from_comments_strings_or_other_names()
    {
        var tree = CSharpSyntaxTree.ParseText("""
            class C
            {
                void M()
                {
                    // Create(x) in a comment
                    var s = "Create(y)";
                    var a = AIFunctionFactory.Create(Lookup);
                    var b = @Create(Lookup);
                    var c = Factory.Create<int>(() => 1);
                    var d = Created(Lookup);
                    var e = Create;
                }
            }
            """);
        var found = IdentifierSearch.InvocationsNamed(tree, new[] { "Create", "CreateFromMethod" }).Select(i => i.ToString()).ToList();
        Assert.Equal(new[] { "AIFunctionFactory.Create(Lookup)", "@Create(Lookup)", "Factory.Create<int>(() => 1)" }, found);
    }

    [Fact]
    public void Invocations_named_found_through_shared_parts_are_the_ones_the_search_by_name_finds_in_text_order()
    {
        var tree = CSharpSyntaxTree.ParseText("""
            class C
            {
                void M(Kernel kernel)
                {
                    // kernel.ImportPluginFromType<A>() in a comment
                    var s = "AddFromType(y)";
                    kernel.Plugins.AddFromObject(new B());
                    kernel.ImportPluginFromType<A>();
                    KernelPluginFactory.CreateFromFunctions("p", []);
                    kernel.@ImportPluginFromObject(new B());
                    kernel.ImportPluginFromTypes<A>();
                    var f = kernel.ImportPluginFromType;
                    kernel.ImportPluginFromType<A>("x").ImportPluginFromObject(new B());
                }
            }
            """);
        var names = new HashSet<string> { "ImportPluginFromType", "ImportPluginFromObject", "AddFromObject", "AddFromType", "CreateFromFunctions" };
        var parts = IdentifierSearch.CommonParts(names);
        Assert.True(parts.Count < names.Count);

        var byParts = IdentifierSearch.InvocationsNamed(tree, names, parts).Select(i => i.ToString()).ToList();
        var byName = IdentifierSearch.InvocationsNamed(tree, names).OrderBy(i => i.Expression.Span.End).Select(i => i.ToString()).ToList();
        Assert.Equal(byName, byParts);
        Assert.Equal(
            new[]
            {
                "kernel.Plugins.AddFromObject(new B())", "kernel.ImportPluginFromType<A>()", "KernelPluginFactory.CreateFromFunctions(\"p\", [])",
                "kernel.@ImportPluginFromObject(new B())", "kernel.ImportPluginFromType<A>(\"x\")",
                "kernel.ImportPluginFromType<A>(\"x\").ImportPluginFromObject(new B())",
            },
            byParts);
    }
}
