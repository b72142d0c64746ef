using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>The framework and agent-library types the model recognises, resolved once per compilation (null when the library is not referenced).</summary>
internal sealed class KnownTypes
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<INamespaceSymbol, string> _namespaceNames = Caches.Create<INamespaceSymbol, string>(SymbolEqualityComparer.Default);

    [MethodImpl(OneTimeWork.Optimized)]
    public KnownTypes(Compilation compilation)
    {
        var lookup = new TypeLookup(compilation);
        Exception = lookup.Find("System.Exception");
        SystemException = lookup.Find("System.SystemException");
        AggregateException = lookup.Find("System.AggregateException");
        OperationCanceledException = lookup.Find("System.OperationCanceledException");
        TaskCanceledException = lookup.Find("System.Threading.Tasks.TaskCanceledException");
        CancellationToken = lookup.Find("System.Threading.CancellationToken");
        Task = lookup.Find("System.Threading.Tasks.Task");

        ILogger = lookup.Find("Microsoft.Extensions.Logging.ILogger");
        LoggerExtensions = lookup.Find("Microsoft.Extensions.Logging.LoggerExtensions");
        LoggerMessageAttribute = lookup.Find("Microsoft.Extensions.Logging.LoggerMessageAttribute");

        Activity = lookup.Find("System.Diagnostics.Activity");
        ActivitySource = lookup.Find("System.Diagnostics.ActivitySource");
        Trace = lookup.Find("System.Diagnostics.Trace");

        OpenTelemetryTracer = lookup.Find("OpenTelemetry.Trace.Tracer");
        OpenTelemetrySpan = lookup.Find("OpenTelemetry.Trace.TelemetrySpan");
        OpenTelemetryActivityExtensions = lookup.Find("OpenTelemetry.Trace.ActivityExtensions");

        ActivityAddException = Activity?.GetMembers("AddException").OfType<IMethodSymbol>().FirstOrDefault();

        KernelFunctionAttribute = lookup.Find("Microsoft.SemanticKernel.KernelFunctionAttribute");
        McpServerToolAttribute = lookup.Find("ModelContextProtocol.Server.McpServerToolAttribute");
        AutoGenFunctionAttribute = lookup.Find("AutoGen.Core.FunctionAttribute");
        AIFunctionFactory = lookup.Find("Microsoft.Extensions.AI.AIFunctionFactory");
        KernelFunctionFactory = lookup.Find("Microsoft.SemanticKernel.KernelFunctionFactory");
        McpServerTool = lookup.Find("ModelContextProtocol.Server.McpServerTool");
        McpServerToolCreateOptions = lookup.Find("ModelContextProtocol.Server.McpServerToolCreateOptions");

        HttpClient = lookup.Find("System.Net.Http.HttpClient");
        HttpClientJsonExtensions = lookup.Find("System.Net.Http.Json.HttpClientJsonExtensions");
        HttpRequestMessage = lookup.Find("System.Net.Http.HttpRequestMessage");
        HttpMethod = lookup.Find("System.Net.Http.HttpMethod");
        File = lookup.Find("System.IO.File");
        Directory = lookup.Find("System.IO.Directory");
        FileInfo = lookup.Find("System.IO.FileInfo");
        DirectoryInfo = lookup.Find("System.IO.DirectoryInfo");
        StreamWriter = lookup.Find("System.IO.StreamWriter");
        FileStream = lookup.Find("System.IO.FileStream");
        FileMode = lookup.Find("System.IO.FileMode");
        DbCommand = lookup.Find("System.Data.Common.DbCommand");
        IDbCommand = lookup.Find("System.Data.IDbCommand");
        SmtpClient = lookup.Find("System.Net.Mail.SmtpClient");
        Process = lookup.Find("System.Diagnostics.Process");
        IEnumerable = lookup.Find("System.Collections.IEnumerable");
        TransactionScope = lookup.Find("System.Transactions.TransactionScope");
        NotImplementedException = lookup.Find("System.NotImplementedException");

        // Outbound calls and what protects them (AGS002).
        TaskOfT = lookup.Find("System.Threading.Tasks.Task`1");
        ValueTask = lookup.Find("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = lookup.Find("System.Threading.Tasks.ValueTask`1");
        IAsyncEnumerableOfT = lookup.Find("System.Collections.Generic.IAsyncEnumerable`1");
        IChatClient = lookup.Find("Microsoft.Extensions.AI.IChatClient");
        // Microsoft.Agents.AI declares a public Microsoft.Extensions.AI.ChatClientExtensions of its own (AsAIAgent):
        // the chat extensions are the ones beside IChatClient.
        ChatClientExtensions = lookup.Find("Microsoft.Extensions.AI.ChatClientExtensions", IChatClient?.ContainingAssembly);
        ChatClientStructuredOutputExtensions = lookup.Find("Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions");
        FailoverChatClients = lookup.FindAll(ImmutableArray.Create(
            "Microsoft.Extensions.AI.FailoverChatClient", "Microsoft.Extensions.AI.OrderedFailoverChatClient"));
        AIFunction = lookup.Find("Microsoft.Extensions.AI.AIFunction");
        AIAgent = lookup.Find("Microsoft.Agents.AI.AIAgent");
        ChatClientBuilder = lookup.Find("Microsoft.Extensions.AI.ChatClientBuilder");
        AIAgentBuilder = lookup.Find("Microsoft.Agents.AI.AIAgentBuilder");
        McpServerPrompt = lookup.Find("ModelContextProtocol.Server.McpServerPrompt");
        McpServerResource = lookup.Find("ModelContextProtocol.Server.McpServerResource");
        McpClient = lookup.Find("ModelContextProtocol.Client.McpClient");
        McpClientTool = lookup.Find("ModelContextProtocol.Client.McpClientTool");
        IMcpClient = lookup.Find("ModelContextProtocol.Client.IMcpClient");
        McpClientExtensions = lookup.Find("ModelContextProtocol.Client.McpClientExtensions");
        Kernel = lookup.Find("Microsoft.SemanticKernel.Kernel");
        KernelFunction = lookup.Find("Microsoft.SemanticKernel.KernelFunction");
        PollyResiliencePipeline = lookup.Find("Polly.ResiliencePipeline");
        PollyResiliencePipelineOfT = lookup.Find("Polly.ResiliencePipeline`1");
        PollyResiliencePipelineBuilder = lookup.Find("Polly.ResiliencePipelineBuilder");
        PollyRetryStrategyOptions = lookup.Find("Polly.Retry.RetryStrategyOptions");
        PollyDelayBackoffType = lookup.Find("Polly.DelayBackoffType");
        PollyIsPolicy = lookup.Find("Polly.IsPolicy");
        Random = lookup.Find("System.Random");
        Math = lookup.Find("System.Math");
        TimeSpan = lookup.Find("System.TimeSpan");
        FuncOfTwo = lookup.Find("System.Func`2");

        // Credentials and configuration (AGS001's credential sinks and fixes)
        ApiKeyCredential = lookup.Find("System.ClientModel.ApiKeyCredential");
        AzureKeyCredential = lookup.Find("Azure.AzureKeyCredential");
        AzureNamedKeyCredential = lookup.Find("Azure.AzureNamedKeyCredential");
        AzureSasCredential = lookup.Find("Azure.AzureSasCredential");
        AzureOpenAIClient = lookup.Find("Azure.AI.OpenAI.AzureOpenAIClient");
        OpenAIClients = lookup.FindAll(OpenAIClientNames);
        NetworkCredential = lookup.Find("System.Net.NetworkCredential");
        AuthenticationHeaderValue = lookup.Find("System.Net.Http.Headers.AuthenticationHeaderValue");
        HttpHeaders = lookup.Find("System.Net.Http.Headers.HttpHeaders");
        WebHeaderCollection = lookup.Find("System.Net.WebHeaderCollection");
        BasicAwsCredentials = lookup.Find("Amazon.Runtime.BasicAWSCredentials");
        SessionAwsCredentials = lookup.Find("Amazon.Runtime.SessionAWSCredentials");
        IConfiguration = lookup.Find("Microsoft.Extensions.Configuration.IConfiguration");
    }

    /// <summary>OpenAI clients whose constructors take an <c>apiKey</c> string.</summary>
    private static readonly ImmutableArray<string> OpenAIClientNames = ImmutableArray.Create(
        "OpenAI.OpenAIClient", "OpenAI.Chat.ChatClient", "OpenAI.Embeddings.EmbeddingClient", "OpenAI.Images.ImageClient",
        "OpenAI.Audio.AudioClient", "OpenAI.Responses.ResponsesClient", "OpenAI.Responses.OpenAIResponseClient",
        "OpenAI.Moderations.ModerationClient", "OpenAI.Assistants.AssistantClient", "OpenAI.Files.OpenAIFileClient",
        "OpenAI.Batch.BatchClient", "OpenAI.FineTuning.FineTuningClient", "OpenAI.Realtime.RealtimeClient",
        "OpenAI.VectorStores.VectorStoreClient");

    public INamedTypeSymbol? Exception { get; }
    public INamedTypeSymbol? SystemException { get; }
    public INamedTypeSymbol? AggregateException { get; }
    public INamedTypeSymbol? OperationCanceledException { get; }
    public INamedTypeSymbol? TaskCanceledException { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? ILogger { get; }
    public INamedTypeSymbol? LoggerExtensions { get; }
    public INamedTypeSymbol? LoggerMessageAttribute { get; }

    public INamedTypeSymbol? Activity { get; }
    public INamedTypeSymbol? ActivitySource { get; }
    public INamedTypeSymbol? Trace { get; }

    public INamedTypeSymbol? OpenTelemetryTracer { get; }
    public INamedTypeSymbol? OpenTelemetrySpan { get; }
    public INamedTypeSymbol? OpenTelemetryActivityExtensions { get; }

    public INamedTypeSymbol? KernelFunctionAttribute { get; }
    public INamedTypeSymbol? McpServerToolAttribute { get; }
    public INamedTypeSymbol? AutoGenFunctionAttribute { get; }
    public INamedTypeSymbol? AIFunctionFactory { get; }
    public INamedTypeSymbol? KernelFunctionFactory { get; }
    public INamedTypeSymbol? McpServerTool { get; }
    public INamedTypeSymbol? McpServerToolCreateOptions { get; }

    public INamedTypeSymbol? HttpClient { get; }
    public INamedTypeSymbol? HttpClientJsonExtensions { get; }
    public INamedTypeSymbol? HttpRequestMessage { get; }
    public INamedTypeSymbol? HttpMethod { get; }
    public INamedTypeSymbol? File { get; }
    public INamedTypeSymbol? Directory { get; }
    public INamedTypeSymbol? FileInfo { get; }
    public INamedTypeSymbol? DirectoryInfo { get; }
    public INamedTypeSymbol? StreamWriter { get; }
    public INamedTypeSymbol? FileStream { get; }
    public INamedTypeSymbol? FileMode { get; }
    public INamedTypeSymbol? DbCommand { get; }
    public INamedTypeSymbol? IDbCommand { get; }
    public INamedTypeSymbol? SmtpClient { get; }
    public INamedTypeSymbol? Process { get; }
    public INamedTypeSymbol? IEnumerable { get; }
    public INamedTypeSymbol? TransactionScope { get; }
    public INamedTypeSymbol? NotImplementedException { get; }

    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? IAsyncEnumerableOfT { get; }
    public INamedTypeSymbol? IChatClient { get; }
    public INamedTypeSymbol? ChatClientExtensions { get; }
    public INamedTypeSymbol? ChatClientStructuredOutputExtensions { get; }

    /// <summary>M.E.AI <c>FailoverChatClient</c> and <c>OrderedFailoverChatClient</c> (10.9+), when referenced.</summary>
    public ImmutableArray<INamedTypeSymbol> FailoverChatClients { get; }
    public INamedTypeSymbol? AIFunction { get; }
    public INamedTypeSymbol? AIAgent { get; }

    /// <summary>The M.E.AI and Agent Framework pipeline builders (<c>Use(...)</c> middleware, <c>Build()</c>).</summary>
    public INamedTypeSymbol? ChatClientBuilder { get; }
    public INamedTypeSymbol? AIAgentBuilder { get; }
    public INamedTypeSymbol? McpServerPrompt { get; }
    public INamedTypeSymbol? McpServerResource { get; }
    public INamedTypeSymbol? McpClient { get; }
    public INamedTypeSymbol? McpClientTool { get; }

    /// <summary>The MCP client interface before 0.5, with its <c>McpClientExtensions.CallToolAsync</c>.</summary>
    public INamedTypeSymbol? IMcpClient { get; }
    public INamedTypeSymbol? McpClientExtensions { get; }
    public INamedTypeSymbol? Kernel { get; }
    public INamedTypeSymbol? KernelFunction { get; }

    /// <summary>Polly v8 (Polly.Core).</summary>
    public INamedTypeSymbol? PollyResiliencePipeline { get; }
    public INamedTypeSymbol? PollyResiliencePipelineOfT { get; }
    public INamedTypeSymbol? PollyResiliencePipelineBuilder { get; }
    public INamedTypeSymbol? PollyRetryStrategyOptions { get; }
    public INamedTypeSymbol? PollyDelayBackoffType { get; }

    /// <summary>The marker interface of every Polly v7 policy (<c>Policy</c>, <c>AsyncPolicy</c>, wraps).</summary>
    public INamedTypeSymbol? PollyIsPolicy { get; }
    public INamedTypeSymbol? Random { get; }
    public INamedTypeSymbol? Math { get; }
    public INamedTypeSymbol? TimeSpan { get; }
    public INamedTypeSymbol? FuncOfTwo { get; }

    /// <summary><c>Activity.AddException</c> exists from .NET 9 on.</summary>
    public IMethodSymbol? ActivityAddException { get; }

    public INamedTypeSymbol? ApiKeyCredential { get; }
    public INamedTypeSymbol? AzureKeyCredential { get; }
    public INamedTypeSymbol? AzureNamedKeyCredential { get; }
    public INamedTypeSymbol? AzureSasCredential { get; }
    public INamedTypeSymbol? AzureOpenAIClient { get; }
    public ImmutableArray<INamedTypeSymbol> OpenAIClients { get; }
    public INamedTypeSymbol? NetworkCredential { get; }
    public INamedTypeSymbol? AuthenticationHeaderValue { get; }
    public INamedTypeSymbol? HttpHeaders { get; }
    public INamedTypeSymbol? WebHeaderCollection { get; }
    public INamedTypeSymbol? BasicAwsCredentials { get; }
    public INamedTypeSymbol? SessionAwsCredentials { get; }
    public INamedTypeSymbol? IConfiguration { get; }

    /// <summary>True when <paramref name="type"/> is <paramref name="baseType"/> or derives from it.</summary>
    public static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="type"/> is <paramref name="interfaceType"/> or implements it.</summary>
    public static bool IsOrImplements(ITypeSymbol? type, INamedTypeSymbol? interfaceType)
    {
        if (type is null || interfaceType is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, interfaceType))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, interfaceType))
            {
                return true;
            }
        }

        return type is ITypeParameterSymbol parameter && parameter.ConstraintTypes.Any(c => IsOrImplements(c, interfaceType));
    }

    public bool IsCancellation(ITypeSymbol? type)
        => IsOrDerivesFrom(type, OperationCanceledException);

    public bool IsLogger(ITypeSymbol? type) => IsOrImplements(type, ILogger);

    /// <summary>
    /// The full name of the namespace <paramref name="symbol"/> is declared in (<c>System.Net.Http</c>; empty for the
    /// global namespace), built once per namespace: rules ask it for many calls.
    /// </summary>
    public string NamespaceName(ISymbol symbol)
        => symbol.ContainingNamespace is { IsGlobalNamespace: false } containing
            ? _namespaceNames.GetOrAdd(containing, static n => FullName(n))
            : string.Empty;

    /// <summary>The names from the outermost namespace in, joined by dots (a display string costs far more to build).</summary>
    private static string FullName(INamespaceSymbol ns)
        => ns.ContainingNamespace is { IsGlobalNamespace: false } parent ? FullName(parent) + "." + ns.Name : ns.Name;

    /// <summary>True when <paramref name="symbol"/> is declared in <paramref name="namespaceName"/> or a namespace under it.</summary>
    public bool IsIn(ISymbol symbol, string namespaceName) => IsIn(NamespaceName(symbol), namespaceName);

    /// <summary>True when the namespace <paramref name="fullName"/> is <paramref name="namespaceName"/> or one under it.</summary>
    public static bool IsIn(string fullName, string namespaceName)
        => fullName.StartsWith(namespaceName, StringComparison.Ordinal) && (fullName.Length == namespaceName.Length || fullName[namespaceName.Length] == '.');

    internal static ImmutableArray<INamedTypeSymbol> Resolve(Compilation compilation, ImmutableArray<string> metadataNames)
        => new TypeLookup(compilation).FindAll(metadataNames);

    /// <summary>
    /// <see cref="Compilation.GetTypeByMetadataName"/>'s answer for top-level types, found through the compilation's
    /// merged namespaces: <c>GetTypeByMetadataName</c> splits the name and searches every referenced assembly, once
    /// per name, which is most of the knowledge layer's start-up cost in a project with many references. A type
    /// declared in the compilation wins; a name found in two references resolves to nothing, as the compiler's does.
    /// </summary>
    internal sealed class TypeLookup
    {
        private readonly Compilation _compilation;
        private readonly Dictionary<string, INamespaceSymbol?> _namespaces = new(StringComparer.Ordinal);

        public TypeLookup(Compilation compilation) => _compilation = compilation;

        public INamedTypeSymbol? Find(string metadataName) => Find(metadataName, null);

        /// <summary>
        /// The type named <paramref name="metadataName"/>: the compilation's own, else the only one referenced, else
        /// (several assemblies declaring the name) the one in <paramref name="preferredAssembly"/>.
        /// </summary>
        public INamedTypeSymbol? Find(string metadataName, IAssemblySymbol? preferredAssembly)
        {
            var dot = metadataName.LastIndexOf('.');
            var container = dot < 0 ? _compilation.GlobalNamespace : Namespace(metadataName.Substring(0, dot));
            if (container is null)
            {
                return null;
            }

            var typeName = metadataName.Substring(dot + 1);
            var tick = typeName.IndexOf('`');
            INamedTypeSymbol? referenced = null;
            INamedTypeSymbol? preferred = null;
            var referencedCount = 0;
            foreach (var type in container.GetTypeMembers(tick < 0 ? typeName : typeName.Substring(0, tick)))
            {
                if (!string.Equals(type.MetadataName, typeName, StringComparison.Ordinal))
                {
                    continue;
                }

                if (SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _compilation.Assembly))
                {
                    return type;
                }

                if (preferredAssembly is not null && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, preferredAssembly))
                {
                    preferred = type;
                }

                referenced = type;
                referencedCount++;
            }

            return referencedCount == 1 ? referenced : preferred;
        }

        [MethodImpl(OneTimeWork.Optimized)]
        public ImmutableArray<INamedTypeSymbol> FindAll(ImmutableArray<string> metadataNames)
        {
            var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>(metadataNames.Length);
            foreach (var name in metadataNames)
            {
                if (Find(name) is { } type)
                {
                    builder.Add(type);
                }
            }

            return builder.ToImmutable();
        }

        private INamespaceSymbol? Namespace(string name)
        {
            if (_namespaces.TryGetValue(name, out var known))
            {
                return known;
            }

            var dot = name.LastIndexOf('.');
            var parent = dot < 0 ? _compilation.GlobalNamespace : Namespace(name.Substring(0, dot));
            var simple = name.Substring(dot + 1);
            var result = parent?.GetMembers(simple).OfType<INamespaceSymbol>().FirstOrDefault();
            _namespaces[name] = result;
            return result;
        }
    }
}
