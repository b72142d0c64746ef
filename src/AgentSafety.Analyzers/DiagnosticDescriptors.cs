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

    public static readonly DiagnosticDescriptor HardcodedSecret = new(
        id: RuleIds.HardcodedSecret,
        title: "Secret is hardcoded",
        messageFormat: "{0} '{1}' is hardcoded; load it from the environment, configuration or a secret store",
        category: Categories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An API key, token or password written in source or in a committed config file is in every clone, fork, build log and package of the project, and rotating it means a code change. The message names the kind of secret and shows only a redacted form of it.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.HardcodedSecret));

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
