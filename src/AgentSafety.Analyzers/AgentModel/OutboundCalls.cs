using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
/// Not outbound here: clients that retry by default (OpenAI .NET, Azure SDK, Anthropic) and the chat clients, agents
/// and pipelines built over them in view (chains, locals, fields, DI registrations); functions created in the same
/// method (they run in process); Semantic Kernel prompt calls and MCP listing calls; and plumbing: decorators and
/// adapters forwarding to what they wrap, extension helpers over their <c>this</c> client, builder middleware.
/// </summary>
internal sealed class OutboundCalls
{
    private static readonly HashSet<string> ModelMethods = NameSet.Of("GetResponseAsync", "GetStreamingResponseAsync");

    private static readonly HashSet<string> AgentMethods = NameSet.Of("RunAsync", "RunStreamingAsync");

    /// <summary>
    /// Semantic Kernel's prompt and chat calls: its OpenAI and Azure connectors build their clients with the SDK's
    /// retry turned off (<c>maxRetries: 0</c>) and their own HttpClient, so these calls do not retry by themselves.
    /// </summary>
    private static readonly HashSet<string> SemanticKernelModelMethods = NameSet.Of("InvokePromptAsync", "InvokePromptStreamingAsync",
        "GetChatMessageContentAsync", "GetChatMessageContentsAsync", "GetStreamingChatMessageContentsAsync");

    private static readonly HashSet<string> HttpClientMethods = NameSet.Of("Send", "SendAsync", "GetAsync", "PostAsync", "PutAsync", "PatchAsync", "DeleteAsync",
        "GetStringAsync", "GetByteArrayAsync", "GetStreamAsync");

    private static readonly HashSet<string> HttpJsonMethods = NameSet.Of("GetFromJsonAsync", "GetFromJsonAsAsyncEnumerable", "PostAsJsonAsync", "PutAsJsonAsync", "PatchAsJsonAsync", "DeleteFromJsonAsync");

    /// <summary>Every method name that may be an outbound call: the cheap first filter.</summary>
    private static readonly HashSet<string> CandidateNames = NameSet.Of(ModelMethods.Concat(AgentMethods).Concat(HttpClientMethods).Concat(HttpJsonMethods)
        .Concat(SemanticKernelModelMethods)
        .Concat(new[] { "CallToolAsync", "CallAsync", "InvokeAsync", "InvokeStreamingAsync" }).ToArray());

    /// <summary>Factories whose functions run in process: invoking one created in view calls no remote tool.</summary>
    /// A prompt function (<c>CreateFromPrompt</c>, <c>CreateFunctionFromPrompt</c>) calls the model: not in process.
    private static readonly HashSet<string> InProcessFunctionFactories = NameSet.Of("Create", "CreateFromMethod", "CreateFunctionFromMethod");

    /// <summary>Root namespaces of SDKs whose clients retry transient failures by default.</summary>
    private static readonly HashSet<string> SelfRetryingRootNamespaces = NameSet.Of("OpenAI", "Azure", "Anthropic");

    /// <summary>How many steps of a chain (locals, fields, adapters, builders) are followed from a call's receiver.</summary>
    private const int ChainDepth = 12;

    /// <summary>Calls that build a chat client, an agent or a builder over the object they are called on.</summary>
    private static readonly HashSet<string> ChainMethods = NameSet.Of(
        "AsIChatClient", "AsChatClient", "AsAIAgent", "CreateAIAgent", "CreateAIAgentAsync", "GetAIAgent", "GetAIAgentAsync",
        "AsBuilder", "Build", "GetChatClient", "GetResponsesClient", "GetOpenAIResponseClient", "GetAssistantClient");

    /// <summary>Service-provider lookups: the value is whatever the compilation registered.</summary>
    private static readonly HashSet<string> ServiceResolutions = NameSet.Of("GetRequiredService", "GetService", "GetRequiredKeyedService", "GetKeyedService");

    /// <summary>DI registrations of chat clients (M.E.AI) and of agents (Agent Framework hosting).</summary>
    private static readonly HashSet<string> ChatRegistrations = NameSet.Of("AddChatClient", "AddKeyedChatClient");

    private static readonly HashSet<string> AgentRegistrations = NameSet.Of("AddAIAgent");

    /// <summary>The service collection's own registrations: they count for a chat client or an agent when the service registered is one.</summary>
    private static readonly HashSet<string> ServiceRegistrations = ValueOrigins.ServiceRegistrations;

    /// <summary>Words a file registering a chat client or an agent with <see cref="ServiceRegistrations"/> holds (the service's type, its variable).</summary>
    private static readonly string[] ChatClientWords = { "ChatClient" };

    private static readonly string[] AgentWords = { "Agent" };

    private static readonly HashSet<string> ChatRegistrationNames = NameSet.Of(ChatRegistrations.Concat(ServiceRegistrations).ToArray());

    private static readonly HashSet<string> AgentRegistrationNames = NameSet.Of(AgentRegistrations.Concat(ServiceRegistrations).ToArray());

    private readonly Lazy<KnownTypes> _types;
    private readonly ValueOrigins _origins;
    private readonly Lazy<bool> _chatRegistrationsRetry;
    private readonly Lazy<bool> _agentRegistrationsRetry;
    private readonly SemanticKernelCalls _semanticKernel;
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _fallingBackTypes = Caches.Create<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default);
    private readonly InProcessMcpServers _inProcessMcpServers;

    public OutboundCalls(Lazy<KnownTypes> types, ValueOrigins origins, TypeSyntaxFilter typeSyntax)
    {
        _types = types;
        _origins = origins;
        _semanticKernel = new SemanticKernelCalls(types, origins, typeSyntax, RetriesByItself);
        _inProcessMcpServers = new InProcessMcpServers(origins);
        _chatRegistrationsRetry = new Lazy<bool>(ChatRegistrationsRetry, LazyThreadSafetyMode.ExecutionAndPublication);
        _agentRegistrationsRetry = new Lazy<bool>(AgentRegistrationsRetry, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Which DI registrations a chain may still consult (a registration's own factory consults none of its kind).</summary>
    private enum Registrations
    {
        None,
        Chat,
        All,
    }

    /// <summary>The known types, resolved when first asked (see <see cref="AgentModel"/>).</summary>
    /// <summary>What the code shows about Semantic Kernel calls (for the knowledge tests).</summary>
    internal SemanticKernelCalls SemanticKernel => _semanticKernel;

    private KnownTypes Types => _types.Value;

    /// <summary>True when the compilation references some API this class recognises.</summary>
    public bool AnyOutboundApi
        => Types.IChatClient is not null || Types.AIAgent is not null || Types.McpClient is not null || Types.IMcpClient is not null
           || Types.AIFunction is not null || Types.Kernel is not null || Types.KernelFunction is not null || Types.HttpClient is not null;

    /// <summary>The cheap first filter: false means the method cannot be an outbound call.</summary>
    public static bool IsCandidateName(string methodName) => CandidateNames.Contains(methodName);

    /// <summary>
    /// The outbound call <paramref name="invocation"/> makes, or null. <paramref name="callerType"/> is the type whose
    /// code holds it (a chat client, agent or tool implementation forwarding to its inner one is not reported).
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
        OutboundCall? call = null;
        var semanticKernel = false;
        if (ModelMethods.Contains(name))
        {
            if (KnownTypes.IsOrImplements(declaring, Types.IChatClient) || Is(declaring, Types.ChatClientExtensions) || Is(declaring, Types.ChatClientStructuredOutputExtensions))
            {
                call = new OutboundCall(OutboundKind.Model, "IChatClient." + name, returnType);
            }
        }
        else if (AgentMethods.Contains(name))
        {
            if (KnownTypes.IsOrDerivesFrom(declaring, Types.AIAgent))
            {
                call = new OutboundCall(OutboundKind.Agent, "AIAgent." + name, returnType);
            }
        }
        else if (SemanticKernelModelMethods.Contains(name))
        {
            call = ClassifySemanticKernelModel(name, declaring, returnType);
            semanticKernel = true;
        }
        else
        {
            call = ClassifyTool(invocation, name, declaring, returnType) ?? ClassifyHttp(name, declaring, returnType);
        }

        if (call is not { } found || found.Kind == OutboundKind.Http)
        {
            return call;
        }

        var receiver = Receiver(invocation);
        if (IsPlumbing(invocation, receiver, callerType, declaring, found.Kind)
            || (found.Kind is OutboundKind.Model or OutboundKind.Agent
                && (semanticKernel ? _semanticKernel.ConnectorRetries(receiver) || _semanticKernel.FiltersRetry(receiver) : RetriesByItself(receiver)))
            || (found.Kind == OutboundKind.Tool && _inProcessMcpServers.Reaches(receiver)))
        {
            return null;
        }

        return found;
    }

    private OutboundCall? ClassifyTool(IInvocationOperation invocation, string name, INamedTypeSymbol declaring, ITypeSymbol returnType)
    {
        switch (name)
        {
            case "CallToolAsync" when KnownTypes.IsOrDerivesFrom(declaring, Types.McpClient):
                return new OutboundCall(OutboundKind.Tool, "McpClient.CallToolAsync", returnType);
            case "CallToolAsync" when KnownTypes.IsOrImplements(declaring, Types.IMcpClient) || Is(declaring, Types.McpClientExtensions):
                return new OutboundCall(OutboundKind.Tool, "IMcpClient.CallToolAsync", returnType);
            case "CallAsync" when KnownTypes.IsOrDerivesFrom(declaring, Types.McpClientTool):
                return new OutboundCall(OutboundKind.Tool, "McpClientTool.CallAsync", returnType);
            case "InvokeAsync" or "InvokeStreamingAsync" when KnownTypes.IsOrDerivesFrom(declaring, Types.Kernel):
                var invoked = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "function")?.Value;
                return _semanticKernel.InvokesInProcessPluginByName(invocation)
                       || KernelFunctionIsLocalOrRetried(invoked, Receiver(invocation))
                       || _semanticKernel.ForwardsToWrappedFunction(invocation, invoked)
                    ? null
                    : new OutboundCall(OutboundKind.Tool, "Kernel." + name, returnType);
            case "InvokeAsync" or "InvokeStreamingAsync" when KnownTypes.IsOrDerivesFrom(declaring, Types.KernelFunction):
                return KernelFunctionIsLocalOrRetried(Receiver(invocation), invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "kernel")?.Value)
                       || _semanticKernel.ForwardsToWrappedFunction(invocation, Receiver(invocation))
                    ? null
                    : new OutboundCall(OutboundKind.Tool, "KernelFunction." + name, returnType);
            case "InvokeAsync" when KnownTypes.IsOrDerivesFrom(declaring, Types.AIFunction):
                return CreatedInView(Receiver(invocation)) ? null : new OutboundCall(OutboundKind.Tool, "AIFunction.InvokeAsync", returnType);
            default:
                return null;
        }
    }

    /// <summary>
    /// A kernel function that runs in process (made from a method in view, or of a plugin imported from a source type),
    /// a prompt function run by a kernel whose connector was given a client that retries by itself, or any function
    /// run by a kernel whose function invocation filter invokes it again when it fails.
    /// </summary>
    private bool KernelFunctionIsLocalOrRetried(IOperation? function, IOperation? kernel)
        => function is not null
           && (CreatedInView(function) || _semanticKernel.RunsInProcess(function)
               || (_semanticKernel.IsPromptFunction(function) && _semanticKernel.ConnectorRetries(kernel))
               || _semanticKernel.FiltersRetry(kernel));

    /// <summary><c>Kernel.InvokePrompt*Async</c> (extensions on Kernel) and <c>IChatCompletionService.Get*ChatMessageContent*Async</c>.</summary>
    private OutboundCall? ClassifySemanticKernelModel(string name, INamedTypeSymbol declaring, ITypeSymbol returnType)
    {
        var ns = Types.NamespaceName(declaring);
        if (name.StartsWith("InvokePrompt", StringComparison.Ordinal))
        {
            return ns == "Microsoft.SemanticKernel" ? new OutboundCall(OutboundKind.Model, "Kernel." + name, returnType) : null;
        }

        return ns == "Microsoft.SemanticKernel.ChatCompletion" && (declaring.Name == "IChatCompletionService" || declaring.Name == "ChatCompletionServiceExtensions"
                   || declaring.AllInterfaces.Any(i => i.Name == "IChatCompletionService"))
            ? new OutboundCall(OutboundKind.Model, "IChatCompletionService." + name, returnType)
            : null;
    }

    private OutboundCall? ClassifyHttp(string name, INamedTypeSymbol declaring, ITypeSymbol returnType)
    {
        if (HttpClientMethods.Contains(name) && Is(declaring, Types.HttpClient))
        {
            return new OutboundCall(OutboundKind.Http, "HttpClient." + name, returnType);
        }

        return HttpJsonMethods.Contains(name) && Is(declaring, Types.HttpClientJsonExtensions)
            ? new OutboundCall(OutboundKind.Http, "HttpClient." + name, returnType)
            : null;
    }

    /// <summary>
    /// True when the call is plumbing, not a call site: the forwarding call of a decorator or adapter (code of a type
    /// that is itself a chat client, an agent or a tool calling what it wraps, or of the API's own type calling another
    /// overload), an extension method forwarding to the
    /// instance it extends, or middleware given to a builder's <c>Use(...)</c> calling the inner client or agent it receives.
    /// The retry belongs to the application that calls the wrapper.
    /// </summary>
    private bool IsPlumbing(IInvocationOperation invocation, IOperation? receiver, INamedTypeSymbol? callerType, INamedTypeSymbol declaring, OutboundKind kind)
    {
        if (callerType is not null)
        {
            // The API's own type (or a subclass) calling another overload of itself: McpClient.CallToolAsync(name, ...)
            // forwarding to CallToolAsync(request, ...).
            if (KnownTypes.IsOrDerivesFrom(callerType, declaring))
            {
                return true;
            }

            var isChatClient = KnownTypes.IsOrImplements(callerType, Types.IChatClient) || SemanticKernelCalls.IsChatCompletionService(callerType);
            var isAgent = KnownTypes.IsOrDerivesFrom(callerType, Types.AIAgent);
            var isTool = KnownTypes.IsOrDerivesFrom(callerType, Types.AIFunction)
                         || KnownTypes.IsOrDerivesFrom(callerType, Types.McpServerTool)
                         || KnownTypes.IsOrDerivesFrom(callerType, Types.McpServerPrompt)
                         || KnownTypes.IsOrDerivesFrom(callerType, Types.McpServerResource)
                         || KnownTypes.IsOrDerivesFrom(callerType, Types.KernelFunction);
            switch (kind)
            {
                case OutboundKind.Model when isChatClient:
                case OutboundKind.Agent when isChatClient || isAgent:
                case OutboundKind.Tool when isTool:
                    return true;
            }
        }

        if (receiver is not IParameterReferenceOperation { Parameter: { } parameter })
        {
            return false;
        }

        // this IChatClient client: a helper extension forwarding to the client it extends.
        if (parameter.Ordinal == 0 && parameter.ContainingSymbol is IMethodSymbol { IsExtensionMethod: true })
        {
            return true;
        }

        return parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambdaSymbol
               && LambdaOf(invocation, lambdaSymbol) is { } lambda
               && TakerOf(lambda) is { } taker
               && IsBuilderUse(taker.TargetMethod);
    }

    /// <summary><c>Use(...)</c> of a chat client or agent pipeline builder (its extensions too): it registers middleware.</summary>
    private bool IsBuilderUse(IMethodSymbol method)
    {
        if (!method.Name.StartsWith("Use", StringComparison.Ordinal))
        {
            return false;
        }

        var declaring = (method.ReducedFrom ?? method).ContainingType;
        return Is(declaring, Types.ChatClientBuilder) || Is(declaring, Types.AIAgentBuilder)
               || (method.IsExtensionMethod && (Is(method.ReturnType, Types.ChatClientBuilder) || Is(method.ReturnType, Types.AIAgentBuilder)));
    }

    private static IAnonymousFunctionOperation? LambdaOf(IOperation operation, IMethodSymbol lambdaSymbol)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda && SymbolEqualityComparer.Default.Equals(lambda.Symbol, lambdaSymbol))
            {
                return lambda;
            }
        }

        return null;
    }

    /// <summary>The invocation a lambda is handed to as an argument, or null.</summary>
    private static IInvocationOperation? TakerOf(IAnonymousFunctionOperation lambda)
    {
        var current = lambda.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return (current as IArgumentOperation)?.Parent as IInvocationOperation;
    }

    /// <summary>Every method name that may run a model or agent turn (<see cref="ModelTurn"/>): the cheap first filter.</summary>
    internal static readonly HashSet<string> ModelTurnNames = NameSet.Of(ModelMethods.Concat(AgentMethods).Concat(new[]
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
    /// Anthropic client, or, as far as the compilation shows, every value it may hold is a chat client, agent or builder
    /// built over one: through <c>AsIChatClient</c>, <c>AsAIAgent</c>, <c>CreateAIAgent</c>, <c>AsBuilder()</c>,
    /// <c>Use...()</c>, <c>Build()</c>, <c>new ChatClientAgent(client, ...)</c>, <c>new ChatClientBuilder(client)</c>,
    /// a decorator's constructor, locals, fields and constructor assignments; and for a client injected by
    /// constructor or resolved from the service provider, every DI registration of its kind in the compilation
    /// (<c>AddChatClient</c>, <c>AddKeyedChatClient</c>, <c>AddAIAgent</c>). An injected client with no registration in
    /// view is not known to retry.
    /// </summary>
    public bool RetriesByItself(IOperation? receiver) => RetriesByItself(receiver, ChainDepth, Registrations.All);

    private bool RetriesByItself(IOperation? receiver, int depth, Registrations registrations)
    {
        if (receiver is null || depth <= 0)
        {
            return false;
        }

        receiver = ValueOrigins.Unwrap(receiver);
        if (IsSelfRetryingClient(receiver.Type))
        {
            return true;
        }

        if (receiver is IParameterReferenceOperation parameter)
        {
            return (IsInjected(parameter, receiver) && RegisteredRetrying(parameter.Type, registrations))
                   || ConstructedOverRetrying(parameter.Parameter, depth - 1, registrations)
                   || CalledOverRetrying(parameter, depth - 1, registrations);
        }

        return _origins.AllValues(receiver, value => BuiltOverRetrying(value, depth - 1, registrations));
    }

    /// <summary>
    /// A constructor parameter of a type the compilation creates with <c>new</c>: every creation through that constructor
    /// (at least one) passes a client that retries by itself (<c>new UserInfoMemory(projectClient.AsIChatClient())</c>).
    /// </summary>
    private bool ConstructedOverRetrying(IParameterSymbol parameter, int depth, Registrations registrations)
    {
        if (depth <= 0 || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
            || constructor.ContainingType is not { DeclaringSyntaxReferences.Length: > 0 } type)
        {
            return false;
        }

        var any = false;
        foreach (var creation in _origins.CreationsOf(type))
        {
            if (!SymbolEqualityComparer.Default.Equals(creation.Constructor?.OriginalDefinition, constructor.OriginalDefinition))
            {
                continue;
            }

            var argument = creation.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter.OriginalDefinition));
            if (argument is null || argument.ArgumentKind == ArgumentKind.DefaultValue || !RetriesByItself(argument.Value, depth, registrations))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>
    /// A parameter of a method whose calls the compilation holds all (an application's internal builder extension,
    /// <c>UseStructuredOutput(this AIAgentBuilder builder, IChatClient? chatClient = null)</c>): every value it may hold
    /// (<see cref="ValueOrigins.ParameterValues"/>: the callers' arguments, its own assignments) retries by itself.
    /// </summary>
    private bool CalledOverRetrying(IParameterReferenceOperation parameter, int depth, Registrations registrations)
    {
        if (depth <= 0)
        {
            return false;
        }

        var values = _origins.ParameterValues(parameter);
        return !values.IsDefaultOrEmpty && values.All(value => BuiltOverRetrying(value, depth, registrations));
    }

    /// <summary><c>client ?? throw new ArgumentNullException(...)</c>: the throwing side gives the value nothing.</summary>
    private static bool Throws(IOperation value) => ValueOrigins.Unwrap(value) is IThrowOperation;

    private bool BuiltOverRetrying(IOperation value, int depth, Registrations registrations)
    {
        value = ValueOrigins.Unwrap(value);
        if (IsSelfRetryingClient(value.Type))
        {
            return true;
        }

        switch (value)
        {
            case IAwaitOperation awaited:
                return BuiltOverRetrying(awaited.Operation, depth, registrations);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return (Throws(conditional.WhenTrue) || RetriesByItself(conditional.WhenTrue, depth, registrations))
                       && (Throws(whenFalse) || RetriesByItself(whenFalse, depth, registrations))
                       && !(Throws(conditional.WhenTrue) && Throws(whenFalse));
            case ICoalesceOperation coalesce:
                return RetriesByItself(coalesce.Value, depth, registrations) && (Throws(coalesce.WhenNull) || RetriesByItself(coalesce.WhenNull, depth, registrations));
            case IParameterReferenceOperation or ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation:
                return RetriesByItself(value, depth, registrations);
            case IInvocationOperation invocation when ServiceResolutions.Contains(invocation.TargetMethod.Name):
                return RegisteredRetrying(invocation.Type, registrations);
            case IInvocationOperation invocation when IsChainStep(invocation):
                return RetriesByItself(Receiver(invocation), depth, registrations);
            case IObjectCreationOperation creation when IsWrapper(creation.Type):
                if (FallsBackOverInnerClients(creation.Type))
                {
                    return true;
                }

                var wrapped = false;
                foreach (var argument in creation.Arguments)
                {
                    if (IsWrappable(argument.Parameter?.Type))
                    {
                        if (!RetriesByItself(argument.Value, depth, registrations))
                        {
                            return false;
                        }

                        wrapped = true;
                    }
                }

                return wrapped || RunsOwnCode(creation.Type);
            default:
                return false;
        }
    }

    /// <summary>
    /// An agent or chat client of a type declared in the compilation, given no agent or client to wrap, whose code makes
    /// no model, agent, tool or HTTP call (<c>new UpperCaseParrotAgent()</c>): a call on it runs that code in process.
    /// A type whose code makes such calls is analysed where it makes them.
    /// </summary>
    internal static bool RunsOwnCode(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { DeclaringSyntaxReferences.Length: > 0 })
        {
            return false;
        }

        for (var current = type; current is { DeclaringSyntaxReferences.Length: > 0 }; current = current.BaseType)
        {
            foreach (var reference in current.DeclaringSyntaxReferences)
            {
                foreach (var invocation in reference.GetSyntax().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
                {
                    var name = invocation.Expression switch
                    {
                        Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                        Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax simple => simple.Identifier.ValueText,
                        Microsoft.CodeAnalysis.CSharp.Syntax.MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                        _ => null,
                    };

                    if (name is null || CandidateNames.Contains(name) || ModelTurnNames.Contains(name))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>
    /// A chat client or agent of a type declared in the compilation that falls back over its inner clients by itself
    /// (Semantic Kernel's <c>FallbackChatClient</c>): each of its model or agent calls sits in a loop whose body holds a
    /// try with a catch that goes on to the next iteration (<c>continue</c>), so a failure moves to the next client. Read
    /// from the type's syntax once, cached. A call on it is protected; the calls inside it are plumbing.
    /// </summary>
    private bool FallsBackOverInnerClients(ITypeSymbol? type)
        => type is INamedTypeSymbol { DeclaringSyntaxReferences.Length: > 0 } named
           && _fallingBackTypes.GetOrAdd(named.OriginalDefinition, static t => TriesTheNextOnFailure(t));

    private static bool TriesTheNextOnFailure(INamedTypeSymbol type)
    {
        var calls = 0;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var invocation in reference.GetSyntax().DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var name = invocation.Expression switch
                {
                    MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                    MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                    _ => null,
                };

                if (name is null || !(ModelMethods.Contains(name) || AgentMethods.Contains(name)))
                {
                    continue;
                }

                calls++;
                if (!InLoopThatContinuesOnFailure(invocation))
                {
                    return false;
                }
            }
        }

        return calls > 0;
    }

    /// <summary>The nearest loop around <paramref name="call"/> holds a try (in its body) one of whose catches continues that loop.</summary>
    private static bool InLoopThatContinuesOnFailure(SyntaxNode call)
    {
        for (var current = call.Parent; current is not null and not MemberDeclarationSyntax and not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax; current = current.Parent)
        {
            var body = current switch
            {
                ForStatementSyntax loop => loop.Statement,
                ForEachStatementSyntax loop => loop.Statement,
                WhileStatementSyntax loop => loop.Statement,
                DoStatementSyntax loop => loop.Statement,
                _ => null,
            };

            if (body is null)
            {
                continue;
            }

            return body.DescendantNodesAndSelf(n => n == body || n is not (ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax
                                                               or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                .OfType<CatchClauseSyntax>()
                .Any(c => c.Block.DescendantNodes(n => n is not (ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or AnonymousFunctionExpressionSyntax))
                    .OfType<ContinueStatementSyntax>().Any());
        }

        return false;
    }

    /// <summary>A step that builds a chat client, an agent or a builder over the object it is called on.</summary>
    private bool IsChainStep(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (ChainMethods.Contains(method.Name))
        {
            return true;
        }

        // ChatClientBuilder.Use...(...) and AIAgentBuilder.Use...(...) return the builder they were called on.
        return method.Name.StartsWith("Use", StringComparison.Ordinal)
               && (Is(method.ReturnType, Types.ChatClientBuilder) || Is(method.ReturnType, Types.AIAgentBuilder));
    }

    /// <summary>A type built over the chat client or agent given to its constructor: agents, chat clients, pipeline builders.</summary>
    private bool IsWrapper(ITypeSymbol? type)
        => KnownTypes.IsOrImplements(type, Types.IChatClient) || KnownTypes.IsOrDerivesFrom(type, Types.AIAgent)
           || Is(type, Types.ChatClientBuilder) || Is(type, Types.AIAgentBuilder);

    private bool IsWrappable(ITypeSymbol? type)
        => KnownTypes.IsOrImplements(type, Types.IChatClient) || KnownTypes.IsOrDerivesFrom(type, Types.AIAgent) || IsSelfRetryingClient(type);

    /// <summary>
    /// A parameter the DI container fills: a constructor's (primary constructors too) or a minimal API endpoint
    /// delegate's (<c>app.MapPost("/chat", (IChatClient client) => ...)</c>).
    /// </summary>
    internal static bool IsInjected(IParameterReferenceOperation reference, IOperation within)
    {
        switch (reference.Parameter.ContainingSymbol)
        {
            case IMethodSymbol { MethodKind: MethodKind.Constructor }:
                return true;
            case IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambdaSymbol:
                return LambdaOf(within, lambdaSymbol) is { } lambda
                       && TakerOf(lambda) is { TargetMethod.Name: { } name }
                       && name.StartsWith("Map", StringComparison.Ordinal);
            default:
                return false;
        }
    }

    /// <summary>
    /// True when the compilation registers chat clients (for an <c>IChatClient</c>) or agents (for an <c>AIAgent</c>)
    /// and every such registration is built over a client that retries by itself.
    /// </summary>
    private bool RegisteredRetrying(ITypeSymbol? serviceType, Registrations registrations)
    {
        if (registrations == Registrations.None)
        {
            return false;
        }

        if (KnownTypes.IsOrImplements(serviceType, Types.IChatClient))
        {
            return _chatRegistrationsRetry.Value;
        }

        return registrations == Registrations.All && KnownTypes.IsOrDerivesFrom(serviceType, Types.AIAgent) && _agentRegistrationsRetry.Value;
    }

    private bool ChatRegistrationsRetry()
    {
        var any = false;
        foreach (var registration in _origins.InvocationsNamed(ChatRegistrationNames, ChatClientWords))
        {
            if (ServiceRegistrations.Contains(registration.TargetMethod.Name) && !KnownTypes.IsOrImplements(RegisteredService(registration), Types.IChatClient))
            {
                continue;
            }

            any = true;
            if (RegistrationRetries(registration, Registrations.None) != true)
            {
                return false;
            }
        }

        return any;
    }

    private bool AgentRegistrationsRetry()
    {
        var any = false;
        foreach (var registration in _origins.InvocationsNamed(AgentRegistrationNames, AgentWords))
        {
            if (ServiceRegistrations.Contains(registration.TargetMethod.Name))
            {
                if (!KnownTypes.IsOrDerivesFrom(RegisteredService(registration), Types.AIAgent))
                {
                    continue;
                }

                // services.AddSingleton(agent), AddSingleton<AIAgent>(sp => ...): the instance or the factory decides.
                any = true;
                if (RegistrationRetries(registration, Registrations.Chat) != true)
                {
                    return false;
                }

                continue;
            }

            any = true;
            switch (RegistrationRetries(registration, Registrations.Chat))
            {
                case false:
                    return false;
                case null when !_chatRegistrationsRetry.Value:
                    // builder.AddAIAgent("name", "instructions"): an agent over the registered IChatClient.
                    return false;
            }
        }

        return any;
    }

    /// <summary>
    /// Whether the client or agent a registration adds retries by itself: the instance it is given, or every value its
    /// factory returns. Null when it is given neither. Aspire's <c>AddAzureOpenAIClient(...).AddChatClient(...)</c>
    /// registers a chat client over the SDK client it registered.
    /// </summary>
    private bool? RegistrationRetries(IInvocationOperation registration, Registrations registrations)
    {
        if (Receiver(registration)?.Type is { } receiverType
            && receiverType.Name.EndsWith("ClientBuilder", StringComparison.Ordinal)
            && (receiverType.Name.IndexOf("OpenAI", StringComparison.Ordinal) >= 0 || receiverType.Name.IndexOf("Inference", StringComparison.Ordinal) >= 0))
        {
            return true;
        }

        bool? result = null;
        foreach (var argument in registration.Arguments)
        {
            var value = ValueOrigins.Unwrap(argument.Value);
            if (value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation factory })
            {
                var returned = factory.Body.Descendants().OfType<IReturnOperation>()
                    .Where(r => r.ReturnedValue is not null && LambdaOwning(r) == factory)
                    .ToList();
                if (returned.Count == 0 || !returned.All(r => RetriesByItself(r.ReturnedValue, ChainDepth, registrations)))
                {
                    return false;
                }

                result = true;
            }
            else if (IsWrappable(value.Type))
            {
                if (!RetriesByItself(value, ChainDepth, registrations))
                {
                    return false;
                }

                result = true;
            }
        }

        return result;
    }

    /// <summary>
    /// The service a service-collection registration adds: its first type argument (<c>AddSingleton&lt;AIAgent&gt;(...)</c>,
    /// inferred for <c>AddSingleton(agent)</c>); null for the untyped overloads (<c>AddSingleton(typeof(...), ...)</c>).
    /// </summary>
    private static ITypeSymbol? RegisteredService(IInvocationOperation registration)
        => registration.TargetMethod.TypeArguments.Length > 0 ? registration.TargetMethod.TypeArguments[0] : null;

    private static IAnonymousFunctionOperation? LambdaOwning(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                return lambda;
            }

            if (current is ILocalFunctionOperation)
            {
                return null;
            }
        }

        return null;
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
            // KernelFunction? handler = null; ... handler ??= KernelFunctionFactory.CreateFromMethod(...): null is never invoked.
            value.ConstantValue is { HasValue: true, Value: null } ||
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
