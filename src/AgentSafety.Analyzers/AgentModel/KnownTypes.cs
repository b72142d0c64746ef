using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>The framework and agent-library types the model recognises, resolved once per compilation (null when the library is not referenced).</summary>
internal sealed class KnownTypes
{
    public KnownTypes(Compilation compilation)
    {
        Exception = compilation.GetTypeByMetadataName("System.Exception");
        SystemException = compilation.GetTypeByMetadataName("System.SystemException");
        AggregateException = compilation.GetTypeByMetadataName("System.AggregateException");
        OperationCanceledException = compilation.GetTypeByMetadataName("System.OperationCanceledException");
        TaskCanceledException = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskCanceledException");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");

        ILogger = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILogger");
        LoggerExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.LoggerExtensions");
        LoggerMessageAttribute = compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.LoggerMessageAttribute");

        Activity = compilation.GetTypeByMetadataName("System.Diagnostics.Activity");
        ActivitySource = compilation.GetTypeByMetadataName("System.Diagnostics.ActivitySource");
        Trace = compilation.GetTypeByMetadataName("System.Diagnostics.Trace");

        OpenTelemetryTracer = compilation.GetTypeByMetadataName("OpenTelemetry.Trace.Tracer");
        OpenTelemetrySpan = compilation.GetTypeByMetadataName("OpenTelemetry.Trace.TelemetrySpan");
        OpenTelemetryActivityExtensions = compilation.GetTypeByMetadataName("OpenTelemetry.Trace.ActivityExtensions");

        ActivityAddException = Activity?.GetMembers("AddException").OfType<IMethodSymbol>().FirstOrDefault();

        KernelFunctionAttribute = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.KernelFunctionAttribute");
        McpServerToolAttribute = compilation.GetTypeByMetadataName("ModelContextProtocol.Server.McpServerToolAttribute");
        AutoGenFunctionAttribute = compilation.GetTypeByMetadataName("AutoGen.Core.FunctionAttribute");
        AIFunctionFactory = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.AIFunctionFactory");
        KernelFunctionFactory = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.KernelFunctionFactory");
        McpServerTool = compilation.GetTypeByMetadataName("ModelContextProtocol.Server.McpServerTool");
        McpServerToolCreateOptions = compilation.GetTypeByMetadataName("ModelContextProtocol.Server.McpServerToolCreateOptions");

        HttpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
        HttpClientJsonExtensions = compilation.GetTypeByMetadataName("System.Net.Http.Json.HttpClientJsonExtensions");
        HttpRequestMessage = compilation.GetTypeByMetadataName("System.Net.Http.HttpRequestMessage");
        HttpMethod = compilation.GetTypeByMetadataName("System.Net.Http.HttpMethod");
        File = compilation.GetTypeByMetadataName("System.IO.File");
        Directory = compilation.GetTypeByMetadataName("System.IO.Directory");
        FileInfo = compilation.GetTypeByMetadataName("System.IO.FileInfo");
        DirectoryInfo = compilation.GetTypeByMetadataName("System.IO.DirectoryInfo");
        StreamWriter = compilation.GetTypeByMetadataName("System.IO.StreamWriter");
        FileStream = compilation.GetTypeByMetadataName("System.IO.FileStream");
        FileMode = compilation.GetTypeByMetadataName("System.IO.FileMode");
        DbCommand = compilation.GetTypeByMetadataName("System.Data.Common.DbCommand");
        IDbCommand = compilation.GetTypeByMetadataName("System.Data.IDbCommand");
        SmtpClient = compilation.GetTypeByMetadataName("System.Net.Mail.SmtpClient");
        Process = compilation.GetTypeByMetadataName("System.Diagnostics.Process");
        IEnumerable = compilation.GetTypeByMetadataName("System.Collections.IEnumerable");
        TransactionScope = compilation.GetTypeByMetadataName("System.Transactions.TransactionScope");
        NotImplementedException = compilation.GetTypeByMetadataName("System.NotImplementedException");

        // Outbound calls and what protects them (AGS002).
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        IAsyncEnumerableOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        IChatClient = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.IChatClient");
        ChatClientExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatClientExtensions");
        ChatClientStructuredOutputExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions");
        FailoverChatClients = Resolve(compilation, ImmutableArray.Create(
            "Microsoft.Extensions.AI.FailoverChatClient", "Microsoft.Extensions.AI.OrderedFailoverChatClient"));
        AIFunction = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.AIFunction");
        AIAgent = compilation.GetTypeByMetadataName("Microsoft.Agents.AI.AIAgent");
        McpClient = compilation.GetTypeByMetadataName("ModelContextProtocol.Client.McpClient");
        McpClientTool = compilation.GetTypeByMetadataName("ModelContextProtocol.Client.McpClientTool");
        IMcpClient = compilation.GetTypeByMetadataName("ModelContextProtocol.Client.IMcpClient");
        McpClientExtensions = compilation.GetTypeByMetadataName("ModelContextProtocol.Client.McpClientExtensions");
        Kernel = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.Kernel");
        KernelFunction = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.KernelFunction");
        PollyResiliencePipeline = compilation.GetTypeByMetadataName("Polly.ResiliencePipeline");
        PollyResiliencePipelineOfT = compilation.GetTypeByMetadataName("Polly.ResiliencePipeline`1");
        PollyResiliencePipelineBuilder = compilation.GetTypeByMetadataName("Polly.ResiliencePipelineBuilder");
        PollyRetryStrategyOptions = compilation.GetTypeByMetadataName("Polly.Retry.RetryStrategyOptions");
        PollyDelayBackoffType = compilation.GetTypeByMetadataName("Polly.DelayBackoffType");
        PollyIsPolicy = compilation.GetTypeByMetadataName("Polly.IsPolicy");
        Random = compilation.GetTypeByMetadataName("System.Random");
        Math = compilation.GetTypeByMetadataName("System.Math");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        FuncOfTwo = compilation.GetTypeByMetadataName("System.Func`2");

        // Credentials and configuration (AGS001's credential sinks and fixes)
        ApiKeyCredential = compilation.GetTypeByMetadataName("System.ClientModel.ApiKeyCredential");
        AzureKeyCredential = compilation.GetTypeByMetadataName("Azure.AzureKeyCredential");
        AzureNamedKeyCredential = compilation.GetTypeByMetadataName("Azure.AzureNamedKeyCredential");
        AzureSasCredential = compilation.GetTypeByMetadataName("Azure.AzureSasCredential");
        AzureOpenAIClient = compilation.GetTypeByMetadataName("Azure.AI.OpenAI.AzureOpenAIClient");
        OpenAIClients = Resolve(compilation, OpenAIClientNames);
        NetworkCredential = compilation.GetTypeByMetadataName("System.Net.NetworkCredential");
        AuthenticationHeaderValue = compilation.GetTypeByMetadataName("System.Net.Http.Headers.AuthenticationHeaderValue");
        HttpHeaders = compilation.GetTypeByMetadataName("System.Net.Http.Headers.HttpHeaders");
        WebHeaderCollection = compilation.GetTypeByMetadataName("System.Net.WebHeaderCollection");
        BasicAwsCredentials = compilation.GetTypeByMetadataName("Amazon.Runtime.BasicAWSCredentials");
        SessionAwsCredentials = compilation.GetTypeByMetadataName("Amazon.Runtime.SessionAWSCredentials");
        IConfiguration = compilation.GetTypeByMetadataName("Microsoft.Extensions.Configuration.IConfiguration");
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

    internal static ImmutableArray<INamedTypeSymbol> Resolve(Compilation compilation, ImmutableArray<string> metadataNames)
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>(metadataNames.Length);
        foreach (var name in metadataNames)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }
}
