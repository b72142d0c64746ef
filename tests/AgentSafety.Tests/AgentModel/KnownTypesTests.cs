using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Tests.AgentModel;

/// <summary>The knowledge layer resolves its known types through merged namespaces: the answers must be the compiler's own.</summary>
public class KnownTypesTests
{
    private static readonly Lazy<KnowledgeCompilation> Knowledge = new(() => KnowledgeCompilation.Of("""
        namespace System { public class Random { } }
        namespace App { class Program { } }
        """));

    [Theory]
    [InlineData("System.Exception")]
    [InlineData("System.Threading.Tasks.Task`1")]
    [InlineData("System.Func`2")]
    [InlineData("System.Collections.Generic.IAsyncEnumerable`1")]
    [InlineData("System.Net.Http.HttpClient")]
    [InlineData("System.Net.Http.Headers.AuthenticationHeaderValue")]
    [InlineData("Microsoft.Extensions.AI.IChatClient")]
    [InlineData("Microsoft.Extensions.Logging.ILogger")]
    [InlineData("ModelContextProtocol.Server.McpServerToolAttribute")]
    [InlineData("Polly.ResiliencePipeline`1")]
    [InlineData("OpenAI.Chat.ChatClient")]
    [InlineData("Microsoft.SemanticKernel.KernelFunctionAttribute")]
    [InlineData("System.Random")]
    [InlineData("App.Program")]
    [InlineData("Microsoft.SemanticKernel.Kernel")]
    [InlineData("No.Such.Namespace.Type")]
    [InlineData("System.NoSuchType")]
    [InlineData("System.Func`9")]
    public void Lookup_answers_as_GetTypeByMetadataName(string metadataName)
    {
        var compilation = Knowledge.Value.Compilation;
        var expected = compilation.GetTypeByMetadataName(metadataName);
        var actual = new KnownTypes.TypeLookup(compilation).Find(metadataName);
        Assert.True(SymbolEqualityComparer.Default.Equals(expected, actual), $"{metadataName}: expected {expected?.ContainingAssembly.Name ?? "none"}, got {actual?.ContainingAssembly.Name ?? "none"}");
    }

    [Fact]
    public void Source_declaration_wins_over_the_reference()
    {
        var random = new KnownTypes.TypeLookup(Knowledge.Value.Compilation).Find("System.Random");
        Assert.NotNull(random);
        Assert.Equal("Knowledge", random!.ContainingAssembly.Name);
    }

    [Fact]
    public void Chat_extensions_are_the_ones_beside_IChatClient_though_the_Agent_Framework_declares_a_namesake()
    {
        // Microsoft.Agents.AI 1.28 has a public Microsoft.Extensions.AI.ChatClientExtensions (AsAIAgent): the name alone
        // is ambiguous, and GetResponseAsync's extensions live in Microsoft.Extensions.AI.Abstractions.
        var compilation = Knowledge.Value.Compilation;
        Assert.Equal(2, compilation.GetTypesByMetadataName("Microsoft.Extensions.AI.ChatClientExtensions").Length);
        var lookup = new KnownTypes.TypeLookup(compilation);
        var chatClient = lookup.Find("Microsoft.Extensions.AI.IChatClient");
        var extensions = lookup.Find("Microsoft.Extensions.AI.ChatClientExtensions", chatClient?.ContainingAssembly);
        Assert.Equal("Microsoft.Extensions.AI.Abstractions", extensions?.ContainingAssembly.Name);
        Assert.Contains(extensions!.GetMembers("GetResponseAsync"), m => m is IMethodSymbol { IsExtensionMethod: true });
    }
}
