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

    public static readonly DiagnosticDescriptor SwallowedException = new(
        id: RuleIds.SwallowedException,
        title: "Exception is swallowed",
        messageFormat: "'{0}' in '{1}' {2}; rethrow, log or record the exception",
        category: Categories.Reliability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A catch clause that neither rethrows, logs, records on the trace nor reads the exception hides the failure: the agent answers as if the task succeeded and nobody learns that a tool failed.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.SwallowedException));

    public static readonly DiagnosticDescriptor UntracedStateChange = new(
        id: RuleIds.UntracedStateChange,
        title: "State change in an agent tool is not traced",
        messageFormat: "State change '{0}' in tool '{1}' is not traced",
        category: Categories.Observability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A tool that changes state outside the process (HTTP writes, files, databases, mail, processes, service calls) without a span or a log leaves no record of what the agent did. Framework spans record that the tool ran, not what it changed.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.UntracedStateChange));
}
