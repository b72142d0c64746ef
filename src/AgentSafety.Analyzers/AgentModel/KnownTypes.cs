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

    public INamedTypeSymbol? ILogger { get; }
    public INamedTypeSymbol? LoggerExtensions { get; }
    public INamedTypeSymbol? LoggerMessageAttribute { get; }

    public INamedTypeSymbol? Activity { get; }
    public INamedTypeSymbol? ActivitySource { get; }
    public INamedTypeSymbol? Trace { get; }

    public INamedTypeSymbol? OpenTelemetryTracer { get; }
    public INamedTypeSymbol? OpenTelemetrySpan { get; }
    public INamedTypeSymbol? OpenTelemetryActivityExtensions { get; }

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
