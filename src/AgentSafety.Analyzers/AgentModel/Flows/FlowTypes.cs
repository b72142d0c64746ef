using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Analyzers.AgentModel.Flows;

/// <summary>
/// The types the value flows and the injection sinks read, resolved once per compilation on first use (null when the
/// library is not referenced). Kept apart from <see cref="KnownTypes"/>: only the flow questions (AGS006, AGS008)
/// need them, and a compilation with no sink never resolves them.
/// </summary>
internal sealed class FlowTypes
{
    [MethodImpl(OneTimeWork.Optimized)]
    public FlowTypes(Compilation compilation)
    {
        var lookup = new KnownTypes.TypeLookup(compilation);
        Path = lookup.Find("System.IO.Path");
        Uri = lookup.Find("System.Uri");
        WebUtility = lookup.Find("System.Net.WebUtility");
        HttpUtility = lookup.Find("System.Web.HttpUtility");
        StringBuilder = lookup.Find("System.Text.StringBuilder");
        JsonElement = lookup.Find("System.Text.Json.JsonElement");
        StreamReader = lookup.Find("System.IO.StreamReader");
        ProcessStartInfo = lookup.Find("System.Diagnostics.ProcessStartInfo");
        RelationalQueryableExtensions = lookup.Find("Microsoft.EntityFrameworkCore.RelationalQueryableExtensions");
        RelationalDatabaseFacadeExtensions = lookup.Find("Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions");
        ChatResponse = lookup.Find("Microsoft.Extensions.AI.ChatResponse");
        ChatResponseOfT = lookup.Find("Microsoft.Extensions.AI.ChatResponse`1");
        ChatMessage = lookup.Find("Microsoft.Extensions.AI.ChatMessage");
        ChatResponseUpdate = lookup.Find("Microsoft.Extensions.AI.ChatResponseUpdate");
        AgentResponse = lookup.Find("Microsoft.Agents.AI.AgentResponse");
        AgentResponseOfT = lookup.Find("Microsoft.Agents.AI.AgentResponse`1");
        AgentRunResponse = lookup.Find("Microsoft.Agents.AI.AgentRunResponse");
        AgentResponseUpdate = lookup.Find("Microsoft.Agents.AI.AgentResponseUpdate");
        OpenAIChatMessageContentPart = lookup.Find("OpenAI.Chat.ChatMessageContentPart");
        KernelChatMessageContent = lookup.Find("Microsoft.SemanticKernel.ChatMessageContent");

        // Where secrets come from and where text is disclosed (AGS008).
        Environment = lookup.Find("System.Environment");
        ConfigurationBinder = lookup.Find("Microsoft.Extensions.Configuration.ConfigurationBinder");
        KeyVaultSecret = lookup.Find("Azure.Security.KeyVault.Secrets.KeyVaultSecret");
        Console = lookup.Find("System.Console");
        Debug = lookup.Find("System.Diagnostics.Debug");
        TextWriter = lookup.Find("System.IO.TextWriter");
        ActivityEvent = lookup.Find("System.Diagnostics.ActivityEvent");
        OpenAIChatMessage = lookup.Find("OpenAI.Chat.ChatMessage");
        KernelChatHistory = lookup.Find("Microsoft.SemanticKernel.ChatCompletion.ChatHistory");
    }

    public INamedTypeSymbol? Path { get; }
    public INamedTypeSymbol? Uri { get; }
    public INamedTypeSymbol? WebUtility { get; }
    public INamedTypeSymbol? HttpUtility { get; }
    public INamedTypeSymbol? StringBuilder { get; }
    public INamedTypeSymbol? JsonElement { get; }
    public INamedTypeSymbol? StreamReader { get; }
    public INamedTypeSymbol? ProcessStartInfo { get; }
    public INamedTypeSymbol? RelationalQueryableExtensions { get; }
    public INamedTypeSymbol? RelationalDatabaseFacadeExtensions { get; }
    public INamedTypeSymbol? ChatResponse { get; }
    public INamedTypeSymbol? ChatResponseOfT { get; }
    public INamedTypeSymbol? ChatMessage { get; }
    public INamedTypeSymbol? ChatResponseUpdate { get; }
    public INamedTypeSymbol? AgentResponse { get; }
    public INamedTypeSymbol? AgentResponseOfT { get; }
    public INamedTypeSymbol? AgentRunResponse { get; }
    public INamedTypeSymbol? AgentResponseUpdate { get; }
    public INamedTypeSymbol? OpenAIChatMessageContentPart { get; }
    public INamedTypeSymbol? KernelChatMessageContent { get; }
    public INamedTypeSymbol? Environment { get; }
    public INamedTypeSymbol? ConfigurationBinder { get; }
    public INamedTypeSymbol? KeyVaultSecret { get; }
    public INamedTypeSymbol? Console { get; }
    public INamedTypeSymbol? Debug { get; }
    public INamedTypeSymbol? TextWriter { get; }
    public INamedTypeSymbol? ActivityEvent { get; }
    public INamedTypeSymbol? OpenAIChatMessage { get; }
    public INamedTypeSymbol? KernelChatHistory { get; }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);
}
