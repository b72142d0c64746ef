using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using AgentSafety.Tests.Verification;

namespace AgentSafety.Tests.AgentModel;

/// <summary>
/// The shapes of the real agent SDKs that the rules rely on, checked against the packages the tests compile with
/// (versions in Directory.Packages.props; docs/agent-apis.md says what each rule reads). A package update that renames
/// or moves one of them fails here first, naming the fact, before a rule goes quietly blind.
/// </summary>
public class SdkShapeTests
{
    private static readonly Lazy<Compilation> Sdks = new(() => CSharpCompilation.Create(
        "Shapes", new[] { CSharpSyntaxTree.ParseText("class C { }") }, TestReferences.Default));

    [Theory]
    // Microsoft.Extensions.AI 11 (Abstractions + the library): model calls, adapters, decorators, approval, failover.
    [InlineData("Microsoft.Extensions.AI.IChatClient", "Microsoft.Extensions.AI.Abstractions")]
    [InlineData("Microsoft.Extensions.AI.DelegatingChatClient", "Microsoft.Extensions.AI.Abstractions")]
    [InlineData("Microsoft.Extensions.AI.AIFunction", "Microsoft.Extensions.AI.Abstractions")]
    [InlineData("Microsoft.Extensions.AI.AIFunctionFactory", "Microsoft.Extensions.AI.Abstractions")]
    [InlineData("Microsoft.Extensions.AI.DelegatingAIFunction", "Microsoft.Extensions.AI.Abstractions")]
    [InlineData("Microsoft.Extensions.AI.ApprovalRequiredAIFunction", "Microsoft.Extensions.AI.Abstractions")]
    [InlineData("Microsoft.Extensions.AI.ChatClientBuilder", "Microsoft.Extensions.AI")]
    [InlineData("Microsoft.Extensions.AI.FunctionInvokingChatClient", "Microsoft.Extensions.AI")]
    [InlineData("Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions", "Microsoft.Extensions.AI")]
    [InlineData("Microsoft.Extensions.AI.FailoverChatClient", "Microsoft.Extensions.AI")]
    [InlineData("Microsoft.Extensions.AI.OrderedFailoverChatClient", "Microsoft.Extensions.AI")]
    [InlineData("Microsoft.Extensions.AI.OpenAIClientExtensions", "Microsoft.Extensions.AI.OpenAI")]
    [InlineData("Microsoft.Extensions.DependencyInjection.ChatClientBuilderServiceCollectionExtensions", "Microsoft.Extensions.AI")]
    // Microsoft Agent Framework 1.28: AgentResponse and AgentSession (no AgentRunResponse / AgentThread any more).
    [InlineData("Microsoft.Agents.AI.AIAgent", "Microsoft.Agents.AI.Abstractions")]
    [InlineData("Microsoft.Agents.AI.DelegatingAIAgent", "Microsoft.Agents.AI.Abstractions")]
    [InlineData("Microsoft.Agents.AI.AgentResponse", "Microsoft.Agents.AI.Abstractions")]
    [InlineData("Microsoft.Agents.AI.AgentSession", "Microsoft.Agents.AI.Abstractions")]
    [InlineData("Microsoft.Agents.AI.ChatClientAgent", "Microsoft.Agents.AI")]
    // Semantic Kernel 1.82.
    [InlineData("Microsoft.SemanticKernel.Kernel", "Microsoft.SemanticKernel.Abstractions")]
    [InlineData("Microsoft.SemanticKernel.KernelFunction", "Microsoft.SemanticKernel.Abstractions")]
    [InlineData("Microsoft.SemanticKernel.KernelFunctionAttribute", "Microsoft.SemanticKernel.Abstractions")]
    [InlineData("Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService", "Microsoft.SemanticKernel.Abstractions")]
    [InlineData("Microsoft.SemanticKernel.ChatCompletion.ChatHistory", "Microsoft.SemanticKernel.Abstractions")]
    [InlineData("Microsoft.SemanticKernel.KernelFunctionFactory", "Microsoft.SemanticKernel.Core")]
    [InlineData("Microsoft.SemanticKernel.KernelExtensions", "Microsoft.SemanticKernel.Core")]
    // MCP C# SDK 2.4: McpClient / McpServer classes (IMcpClient and McpClientExtensions are gone; AGS002 keeps them for older versions).
    [InlineData("ModelContextProtocol.Client.McpClient", "ModelContextProtocol.Core")]
    [InlineData("ModelContextProtocol.Client.McpClientTool", "ModelContextProtocol.Core")]
    [InlineData("ModelContextProtocol.Server.McpServer", "ModelContextProtocol.Core")]
    [InlineData("ModelContextProtocol.Server.McpServerTool", "ModelContextProtocol.Core")]
    [InlineData("ModelContextProtocol.Server.McpServerToolAttribute", "ModelContextProtocol.Core")]
    [InlineData("ModelContextProtocol.Server.McpServerToolCreateOptions", "ModelContextProtocol.Core")]
    // OpenAI 2.15 (retries by itself), Polly 8, Http.Resilience 11, EF Core 10.
    [InlineData("OpenAI.Chat.ChatClient", "OpenAI")]
    [InlineData("OpenAI.Responses.ResponsesClient", "OpenAI")]
    [InlineData("Polly.ResiliencePipeline`1", "Polly.Core")]
    [InlineData("Polly.IsPolicy", "Polly")]
    [InlineData("Microsoft.Extensions.DependencyInjection.ResilienceHttpClientBuilderExtensions", "Microsoft.Extensions.Http.Resilience")]
    [InlineData("Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions", "Microsoft.EntityFrameworkCore")]
    public void Type_is_where_the_rules_look_for_it(string metadataName, string assembly)
    {
        var types = Sdks.Value.GetTypesByMetadataName(metadataName).Where(t => t.DeclaredAccessibility == Accessibility.Public).ToList();
        Assert.True(types.Count > 0, $"{metadataName} is not in the referenced packages");
        Assert.Contains(types, t => t.ContainingAssembly.Name == assembly);
    }

    [Theory]
    [InlineData("Microsoft.Extensions.AI.ChatClientExtensions", "Microsoft.Extensions.AI.Abstractions", "Microsoft.Agents.AI")]
    public void Two_packages_declare_the_name_and_the_rules_pick_the_one_beside_IChatClient(string metadataName, string first, string second)
        => Assert.Equal(new[] { first, second }.OrderBy(n => n), Sdks.Value.GetTypesByMetadataName(metadataName).Select(t => t.ContainingAssembly.Name).OrderBy(n => n));

    [Theory]
    [InlineData("Microsoft.Agents.AI.AIAgent", "RunAsync", "Microsoft.Agents.AI.AgentResponse")]
    [InlineData("Microsoft.Agents.AI.AIAgent", "RunStreamingAsync", "Microsoft.Agents.AI.AgentResponseUpdate")]
    [InlineData("Microsoft.Extensions.AI.IChatClient", "GetResponseAsync", "Microsoft.Extensions.AI.ChatResponse")]
    [InlineData("Microsoft.Extensions.AI.IChatClient", "GetStreamingResponseAsync", "Microsoft.Extensions.AI.ChatResponseUpdate")]
    [InlineData("ModelContextProtocol.Client.McpClient", "CallToolAsync", "ModelContextProtocol.Protocol.CallToolResult")]
    [InlineData("Microsoft.SemanticKernel.Kernel", "InvokeAsync", "Microsoft.SemanticKernel.FunctionResult")]
    [InlineData("Microsoft.Extensions.AI.AIFunction", "InvokeAsync", "object")]
    public void Outbound_call_returns_what_the_rules_expect(string typeName, string method, string resultType)
    {
        var type = Sdks.Value.GetTypeByMetadataName(typeName);
        Assert.NotNull(type);
        var methods = AllMembers(type!).OfType<IMethodSymbol>().Where(m => m.Name == method).ToList();
        Assert.NotEmpty(methods);
        Assert.Contains(methods, m => m.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } wrapper
            && wrapper.TypeArguments[0].OriginalDefinition.ToDisplayString().TrimEnd('?') == resultType);
    }

    [Theory]
    [InlineData("Microsoft.Extensions.AI.ChatClientExtensions", "GetResponseAsync")]
    [InlineData("Microsoft.Extensions.AI.ChatClientExtensions", "GetStreamingResponseAsync")]
    [InlineData("Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions", "GetResponseAsync")]
    [InlineData("Microsoft.Extensions.AI.OpenAIClientExtensions", "AsIChatClient")]
    [InlineData("Microsoft.SemanticKernel.KernelExtensions", "InvokePromptAsync")]
    [InlineData("Microsoft.SemanticKernel.KernelExtensions", "ImportPluginFromType")]
    [InlineData("Microsoft.SemanticKernel.KernelExtensions", "ImportPluginFromObject")]
    [InlineData("Microsoft.Extensions.DependencyInjection.ChatClientBuilderServiceCollectionExtensions", "AddChatClient")]
    [InlineData("Microsoft.Extensions.DependencyInjection.ChatClientBuilderServiceCollectionExtensions", "AddKeyedChatClient")]
    [InlineData("Microsoft.Extensions.DependencyInjection.ResilienceHttpClientBuilderExtensions", "AddStandardResilienceHandler")]
    [InlineData("Microsoft.Extensions.DependencyInjection.ResilienceHttpClientBuilderExtensions", "AddResilienceHandler")]
    [InlineData("Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions", "ExecuteDeleteAsync")]
    public void Extension_method_is_where_the_rules_look_for_it(string typeName, string method)
    {
        var types = Sdks.Value.GetTypesByMetadataName(typeName);
        Assert.Contains(types, t => t.GetMembers(method).OfType<IMethodSymbol>().Any(m => m.IsExtensionMethod));
    }

    [Theory]
    [InlineData("ModelContextProtocol.Server.McpServerToolAttribute", "Destructive")]
    [InlineData("ModelContextProtocol.Server.McpServerToolAttribute", "ReadOnly")]
    [InlineData("ModelContextProtocol.Server.McpServerToolAttribute", "Name")]
    [InlineData("ModelContextProtocol.Server.McpServerToolCreateOptions", "Destructive")]
    [InlineData("ModelContextProtocol.Server.McpServerToolCreateOptions", "ReadOnly")]
    public void Tool_hint_is_a_settable_property(string typeName, string property)
    {
        var type = Sdks.Value.GetTypeByMetadataName(typeName);
        Assert.NotNull(type);
        Assert.Contains(AllMembers(type!).OfType<IPropertySymbol>(), p => p.Name == property && p.SetMethod is not null);
    }

    [Theory]
    // AGS009: the model turns a loop runs, and the function-invocation limit.
    [InlineData("OpenAI.Chat.ChatClient", "CompleteChatAsync")]
    [InlineData("OpenAI.Responses.ResponsesClient", "CreateResponseAsync")]
    [InlineData("Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService", "GetChatMessageContentsAsync")]
    [InlineData("Microsoft.SemanticKernel.ChatCompletion.ChatCompletionServiceExtensions", "GetChatMessageContentAsync")]
    [InlineData("ModelContextProtocol.Server.McpServer", "SampleAsync")]
    [InlineData("Microsoft.Extensions.AI.FunctionInvokingChatClient", "MaximumIterationsPerRequest")]
    // AGS007: asking the user through MCP, as the rule reads it and the fix writes it.
    [InlineData("ModelContextProtocol.Server.McpServer", "ElicitAsync")]
    [InlineData("ModelContextProtocol.Protocol.ElicitRequestParams", "Message")]
    [InlineData("ModelContextProtocol.Protocol.ElicitResult", "IsAccepted")]
    public void Member_the_loop_and_approval_rules_read_exists(string typeName, string member)
    {
        var type = Sdks.Value.GetTypeByMetadataName(typeName);
        Assert.NotNull(type);
        Assert.Contains(AllMembers(type!), m => m.Name == member);
    }

    [Fact]
    public void ApprovalRequiredAIFunction_wraps_an_AIFunction_and_is_not_experimental()
    {
        var type = Sdks.Value.GetTypeByMetadataName("Microsoft.Extensions.AI.ApprovalRequiredAIFunction");
        Assert.NotNull(type);
        Assert.Contains(type!.InstanceConstructors, c => c.Parameters.Length == 1 && c.Parameters[0].Type.Name == "AIFunction");
        Assert.DoesNotContain(type.GetAttributes(), a => a.AttributeClass?.Name == "ExperimentalAttribute");
    }

    private static IEnumerable<ISymbol> AllMembers(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                yield return member;
            }
        }

        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers())
            {
                yield return member;
            }
        }
    }
}
