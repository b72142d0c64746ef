using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>What an outbound call reaches.</summary>
internal enum OutboundKind
{
    /// <summary>A chat model (<c>IChatClient</c>).</summary>
    Model,

    /// <summary>An agent (<c>AIAgent.RunAsync</c>).</summary>
    Agent,

    /// <summary>A tool: MCP <c>CallToolAsync</c>, <c>AIFunction.InvokeAsync</c>, Semantic Kernel function invocation.</summary>
    Tool,

    /// <summary>An HTTP request through <c>HttpClient</c>.</summary>
    Http,
}

/// <summary>An invocation that leaves the process for a model, an agent, a tool or an HTTP endpoint.</summary>
internal readonly struct OutboundCall
{
    public OutboundCall(OutboundKind kind, string display, ITypeSymbol returnType)
    {
        Kind = kind;
        Display = display;
        ReturnType = returnType;
    }

    public OutboundKind Kind { get; }

    /// <summary>The call as people name it: <c>IChatClient.GetResponseAsync</c>, <c>McpClient.CallToolAsync</c>.</summary>
    public string Display { get; }

    /// <summary>What the call returns (<see cref="OutboundCalls.IsStreaming(OutboundCall)"/> reads it when asked).</summary>
    public ITypeSymbol ReturnType { get; }
}

/// <summary>
/// Which invocations go out to a model, an agent, a tool or an HTTP endpoint and can fail transiently, and which
/// of them already retry by themselves. Model and agent calls: M.E.AI <c>IChatClient.GetResponseAsync</c> /
/// <c>GetStreamingResponseAsync</c> (extension and structured overloads too) and Agent Framework
/// <c>AIAgent.RunAsync</c> / <c>RunStreamingAsync</c>. Tool calls: MCP <c>McpClient.CallToolAsync</c>,
/// <c>McpClientTool.CallAsync</c>, the pre-0.5 <c>IMcpClient</c> / <c>McpClientExtensions.CallToolAsync</c>,
/// <c>AIFunction.InvokeAsync</c>, Semantic Kernel <c>Kernel.InvokeAsync</c> / <c>InvokeStreamingAsync</c> and
/// <c>KernelFunction.InvokeAsync</c>. HTTP: <c>HttpClient</c> sends and <c>HttpClientJsonExtensions</c>.
/// Not outbound here: clients that retry by default (OpenAI .NET, Azure SDK, Anthropic) and IChatClient adapters
/// created over them in view; functions created in the same method (they run in process); Semantic Kernel prompt
/// calls and MCP listing calls; and the forwarding call of a chat client or agent implementation (middleware).
/// </summary>
internal sealed class OutboundCalls
{
    private static readonly HashSet<string> ModelMethods = NameSet.Of("GetResponseAsync", "GetStreamingResponseAsync");

    private static readonly HashSet<string> AgentMethods = NameSet.Of("RunAsync", "RunStreamingAsync");

    private static readonly HashSet<string> HttpClientMethods = NameSet.Of("Send", "SendAsync", "GetAsync", "PostAsync", "PutAsync", "PatchAsync", "DeleteAsync",
        "GetStringAsync", "GetByteArrayAsync", "GetStreamAsync");

    private static readonly HashSet<string> HttpJsonMethods = NameSet.Of("GetFromJsonAsync", "GetFromJsonAsAsyncEnumerable", "PostAsJsonAsync", "PutAsJsonAsync", "PatchAsJsonAsync", "DeleteFromJsonAsync");

    /// <summary>Every method name that may be an outbound call: the cheap first filter.</summary>
    private static readonly HashSet<string> CandidateNames = NameSet.Of(ModelMethods.Concat(AgentMethods).Concat(HttpClientMethods).Concat(HttpJsonMethods)
        .Concat(new[] { "CallToolAsync", "CallAsync", "InvokeAsync", "InvokeStreamingAsync" }).ToArray());

    /// <summary>Factories whose functions run in process: invoking one created in view calls no remote tool.</summary>
    private static readonly HashSet<string> InProcessFunctionFactories = NameSet.Of("Create", "CreateFromMethod", "CreateFromPrompt", "CreateFunctionFromMethod", "CreateFunctionFromPrompt");

    /// <summary>Root namespaces of SDKs whose clients retry transient failures by default.</summary>
    private static readonly HashSet<string> SelfRetryingRootNamespaces = NameSet.Of("OpenAI", "Azure", "Anthropic");

    private readonly Lazy<KnownTypes> _types;
    private readonly ValueOrigins _origins;

    public OutboundCalls(Lazy<KnownTypes> types, ValueOrigins origins)
    {
        _types = types;
        _origins = origins;
    }

    /// <summary>The known types, resolved when first asked (see <see cref="AgentModel"/>).</summary>
    private KnownTypes Types => _types.Value;

    /// <summary>True when the compilation references some API this class recognises.</summary>
    public bool AnyOutboundApi
        => Types.IChatClient is not null || Types.AIAgent is not null || Types.McpClient is not null || Types.IMcpClient is not null
           || Types.AIFunction is not null || Types.Kernel is not null || Types.KernelFunction is not null || Types.HttpClient is not null;

    /// <summary>The cheap first filter: false means the method cannot be an outbound call.</summary>
    public static bool IsCandidateName(string methodName) => CandidateNames.Contains(methodName);

    /// <summary>
    /// The outbound call <paramref name="invocation"/> makes, or null. <paramref name="callerType"/> is the type whose
    /// code holds it (a chat client or agent implementation forwarding to its inner one is not reported).
    /// </summary>
    public OutboundCall? Classify(IInvocationOperation invocation, INamedTypeSymbol? callerType)
    {
        var method = invocation.TargetMethod;
        if (!CandidateNames.Contains(method.Name))
        {
            return null;
        }

        var definition = method.ReducedFrom ?? method;
        var declaring = definition.ContainingType?.OriginalDefinition;
        if (declaring is null)
        {
            return null;
        }

        var name = method.Name;
        var returnType = method.ReturnType;
        if (ModelMethods.Contains(name))
        {
            if (!(KnownTypes.IsOrImplements(declaring, Types.IChatClient) || Is(declaring, Types.ChatClientExtensions) || Is(declaring, Types.ChatClientStructuredOutputExtensions))
                || KnownTypes.IsOrImplements(callerType, Types.IChatClient)
                || RetriesByItself(Receiver(invocation)))
            {
                return null;
            }

            return new OutboundCall(OutboundKind.Model, "IChatClient." + name, returnType);
        }

        if (AgentMethods.Contains(name))
        {
            return KnownTypes.IsOrDerivesFrom(declaring, Types.AIAgent) && !KnownTypes.IsOrDerivesFrom(callerType, Types.AIAgent)
                ? new OutboundCall(OutboundKind.Agent, "AIAgent." + name, returnType)
                : null;
        }

        switch (name)
        {
            case "CallToolAsync" when KnownTypes.IsOrDerivesFrom(declaring, Types.McpClient):
                return new OutboundCall(OutboundKind.Tool, "McpClient.CallToolAsync", returnType);
            case "CallToolAsync" when KnownTypes.IsOrImplements(declaring, Types.IMcpClient) || Is(declaring, Types.McpClientExtensions):
                return new OutboundCall(OutboundKind.Tool, "IMcpClient.CallToolAsync", returnType);
            case "CallAsync" when KnownTypes.IsOrDerivesFrom(declaring, Types.McpClientTool):
                return new OutboundCall(OutboundKind.Tool, "McpClientTool.CallAsync", returnType);
            case "InvokeAsync" or "InvokeStreamingAsync" when KnownTypes.IsOrDerivesFrom(declaring, Types.Kernel):
                return new OutboundCall(OutboundKind.Tool, "Kernel." + name, returnType);
            case "InvokeAsync" or "InvokeStreamingAsync" when KnownTypes.IsOrDerivesFrom(declaring, Types.KernelFunction):
                return CreatedInView(Receiver(invocation)) ? null : new OutboundCall(OutboundKind.Tool, "KernelFunction." + name, returnType);
            case "InvokeAsync" when KnownTypes.IsOrDerivesFrom(declaring, Types.AIFunction):
                return CreatedInView(Receiver(invocation)) ? null : new OutboundCall(OutboundKind.Tool, "AIFunction.InvokeAsync", returnType);
        }

        if (HttpClientMethods.Contains(name) && Is(declaring, Types.HttpClient))
        {
            return new OutboundCall(OutboundKind.Http, "HttpClient." + name, returnType);
        }

        return HttpJsonMethods.Contains(name) && Is(declaring, Types.HttpClientJsonExtensions)
            ? new OutboundCall(OutboundKind.Http, "HttpClient." + name, returnType)
            : null;
    }

    /// <summary>Every method name that may run a model or agent turn (<see cref="ModelTurn"/>): the cheap first filter.</summary>
    private static readonly HashSet<string> ModelTurnNames = NameSet.Of(ModelMethods.Concat(AgentMethods).Concat(new[]
    {
        "CompleteChat", "CompleteChatAsync", "CompleteChatStreaming", "CompleteChatStreamingAsync",
        "CreateResponse", "CreateResponseAsync", "CreateResponseStreaming", "CreateResponseStreamingAsync",
        "GetChatMessageContentAsync", "GetChatMessageContentsAsync", "GetStreamingChatMessageContentsAsync",
        "InvokePromptAsync", "InvokePromptStreamingAsync", "SampleAsync",
    }).ToArray());

    /// <summary>The cheap first filter of <see cref="ModelTurn"/>: false means the method cannot run a model turn.</summary>
    public static bool IsModelTurnName(string methodName) => ModelTurnNames.Contains(methodName);

    /// <summary>
    /// The model or agent turn <paramref name="invocation"/> runs, as people name it, or null: AGS002's model and agent
    /// calls whoever retries them (<c>IChatClient.GetResponseAsync</c>, <c>AIAgent.RunAsync</c>), OpenAI
    /// <c>ChatClient.CompleteChat*</c> and <c>ResponsesClient.CreateResponse*</c>, Semantic Kernel <c>IChatCompletionService.GetChatMessageContent(s)Async</c> and
    /// <c>Kernel.InvokePrompt*Async</c>, and MCP sampling (<c>McpServer.SampleAsync</c>). Each one costs tokens (AGS009).
    /// </summary>
    public string? ModelTurn(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var name = method.Name;
        if (!ModelTurnNames.Contains(name))
        {
            return null;
        }

        var declaring = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        if (declaring is null)
        {
            return null;
        }

        if (ModelMethods.Contains(name))
        {
            return KnownTypes.IsOrImplements(declaring, Types.IChatClient) || Is(declaring, Types.ChatClientExtensions) || Is(declaring, Types.ChatClientStructuredOutputExtensions)
                ? "IChatClient." + name
                : null;
        }

        if (AgentMethods.Contains(name))
        {
            return KnownTypes.IsOrDerivesFrom(declaring, Types.AIAgent) ? "AIAgent." + name : null;
        }

        var ns = Types.NamespaceName(declaring);
        switch (name)
        {
            case "SampleAsync":
                return KnownTypes.IsIn(ns, "ModelContextProtocol") && declaring.Name.StartsWith("McpServer", StringComparison.Ordinal) ? "McpServer." + name : null;
            case "InvokePromptAsync" or "InvokePromptStreamingAsync":
                return ns == "Microsoft.SemanticKernel" ? "Kernel." + name : null;
            case "GetChatMessageContentAsync" or "GetChatMessageContentsAsync" or "GetStreamingChatMessageContentsAsync":
                return ns == "Microsoft.SemanticKernel.ChatCompletion" ? "IChatCompletionService." + name : null;
            case "CreateResponse" or "CreateResponseAsync" or "CreateResponseStreaming" or "CreateResponseStreamingAsync":
                return ns == "OpenAI.Responses" && declaring.Name is "ResponsesClient" or "OpenAIResponseClient" ? declaring.Name + "." + name : null;
            default:
                return ns == "OpenAI.Chat" && declaring.Name == "ChatClient" ? "ChatClient." + name : null;
        }
    }

    /// <summary>The object a call is made on: the instance, or an extension method's first argument.</summary>
    public static IOperation? Receiver(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return ValueOrigins.Unwrap(instance);
        }

        return invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0
            ? ValueOrigins.Unwrap(invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value ?? invocation.Arguments[0].Value)
            : null;
    }

    /// <summary>
    /// True when the client behind <paramref name="receiver"/> retries by itself: its type is an OpenAI, Azure SDK or
    /// Anthropic client, or it is an <c>AsIChatClient()</c> adapter over one (as far as the code in view shows).
    /// </summary>
    public bool RetriesByItself(IOperation? receiver)
    {
        if (receiver is null)
        {
            return false;
        }

        if (IsSelfRetryingClient(receiver.Type))
        {
            return true;
        }

        return _origins.AllValues(receiver, value =>
            value is IInvocationOperation { TargetMethod.Name: "AsIChatClient" or "AsChatClient" } adapter
            && Receiver(adapter) is { } inner
            && (IsSelfRetryingClient(inner.Type) || RetriesByItself(inner)));
    }

    private static bool IsSelfRetryingClient(ITypeSymbol? type)
    {
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            return false;
        }

        var ns = type.ContainingNamespace;
        while (ns is { ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: false } && SelfRetryingRootNamespaces.Contains(ns.Name);
    }

    /// <summary>A function created in view by a factory whose functions run in process (<c>AIFunctionFactory.Create</c>, <c>KernelFunctionFactory.CreateFromMethod</c>).</summary>
    private bool CreatedInView(IOperation? receiver)
        => receiver is not null && _origins.AllValues(receiver, value =>
            value is IInvocationOperation { TargetMethod: { } factory }
            && InProcessFunctionFactories.Contains(factory.Name)
            && (Is(factory.ContainingType, Types.AIFunctionFactory)
                || Is(factory.ContainingType, Types.KernelFunctionFactory)
                || factory.ContainingType?.ContainingNamespace?.ToDisplayString() == "Microsoft.SemanticKernel"));

    /// <summary>The call returns an <c>IAsyncEnumerable&lt;T&gt;</c>: it streams its result (asked on demand: most callers never do).</summary>
    public bool IsStreaming(OutboundCall call)
        => Types.IAsyncEnumerableOfT is { } asyncEnumerable && KnownTypes.IsOrImplements(call.ReturnType, asyncEnumerable);

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);
}
