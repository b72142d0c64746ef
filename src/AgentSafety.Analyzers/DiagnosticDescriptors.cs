using Microsoft.CodeAnalysis;

namespace AgentSafety.Analyzers;

/// <summary>The one place for every rule's title, message, category, severity and help link.</summary>
public static class DiagnosticDescriptors
{
    public static class Categories
    {
        public const string Security = "Security";
        public const string Reliability = "Reliability";
        public const string Observability = "Observability";
    }

    public static readonly DiagnosticDescriptor UnprotectedCall = new(
        id: RuleIds.UnprotectedCall,
        title: "Model or tool call has no retry or fallback",
        messageFormat: "'{0}' can fail transiently (rate limit, timeout, outage) and has no retry or fallback",
        category: Categories.Reliability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A call to a model, an agent, a tool or an HTTP endpoint fails now and then: a rate limit, a timeout, a tool server that restarts. With no retry and no fallback, one transient fault fails the whole agent task.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.UnprotectedCall));

    public static readonly DiagnosticDescriptor SwallowedException = new(
        id: RuleIds.SwallowedException,
        title: "Exception is swallowed",
        messageFormat: "'{0}' in '{1}' {2}; rethrow, log or record the exception",
        category: Categories.Reliability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A catch clause that neither rethrows, logs, records on the trace nor reads the exception hides the failure: the agent answers as if the task succeeded and nobody learns that a tool failed.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.SwallowedException));
}
