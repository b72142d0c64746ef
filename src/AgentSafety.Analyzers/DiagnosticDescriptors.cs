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

    /// <summary>
    /// AGS001 in a configuration file whose <c>.editorconfig</c> section sets the rule's severity: the analyzer applies
    /// it (the compiler applies <c>.editorconfig</c> severities to C# files only), so the descriptor says so.
    /// </summary>
    public static readonly DiagnosticDescriptor HardcodedSecretInConfiguredFile = new(
        id: RuleIds.HardcodedSecret,
        title: HardcodedSecret.Title,
        messageFormat: HardcodedSecret.MessageFormat,
        category: Categories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: HardcodedSecret.Description,
        helpLinkUri: RuleIds.HelpLink(RuleIds.HardcodedSecret),
        customTags: AgentModel.RuleSeverity.CustomSeverityConfigurable);

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

    public static readonly DiagnosticDescriptor UncompensatedWriteTool = new(
        id: RuleIds.UncompensatedWriteTool,
        title: "Write tool has no compensating action",
        messageFormat: "Tool '{0}' writes ({1}) but has no compensating action",
        category: Categories.Reliability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A plan that fails at step four leaves steps one to three done. An agent tool that changes external state needs a compensating action that undoes it (the saga pattern): a Compensate/Undo/Revert/Rollback method, a committed transaction, or a catch that undoes and rethrows.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.UncompensatedWriteTool));

    /// <summary>AGS004's second message: a compensation that exists only as a stub hides nothing.</summary>
    public static readonly DiagnosticDescriptor UnimplementedCompensation = new(
        id: RuleIds.UncompensatedWriteTool,
        title: "Compensating action is not implemented",
        messageFormat: "Compensation '{0}' for tool '{1}' is not implemented",
        category: Categories.Reliability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A compensating action whose body only throws NotImplementedException cannot undo the tool's writes when a later step fails.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.UncompensatedWriteTool));

    public static readonly DiagnosticDescriptor UntracedStateChange = new(
        id: RuleIds.UntracedStateChange,
        title: "State change in an agent tool is not traced",
        messageFormat: "State change '{0}' in tool '{1}' is not traced",
        category: Categories.Observability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A tool that changes state outside the process (HTTP writes, files, databases, mail, processes, service calls) without a span or a log leaves no record of what the agent did. Framework spans record that the tool ran, not what it changed.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.UntracedStateChange));

    public static readonly DiagnosticDescriptor ModelControlledInjection = new(
        id: RuleIds.ModelControlledInjection,
        title: "Model-controlled input reaches a command, query, path or URL",
        messageFormat: "Model-controlled {0} reaches the {1} of '{2}'",
        category: Categories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A tool's arguments and a model's answers are chosen by a model that follows whatever text reached it (a web page, an email, a document). Put into a command, SQL text, a file path or a request URL, they hand that text the process, the database, the file system or the internal network (OWASP LLM01, LLM05).",
        helpLinkUri: RuleIds.HelpLink(RuleIds.ModelControlledInjection));

    public static readonly DiagnosticDescriptor SecretDisclosure = new(
        id: RuleIds.SecretDisclosure,
        title: "Secret written to a log, trace, console, exception or prompt",
        messageFormat: "Secret '{0}' is written to {1}",
        category: Categories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A key kept out of source still leaks when its value is logged, set on a span, printed, put in an exception message or pasted into a prompt: logs and traces are shipped to other systems and read by many people, and a model provider stores prompts and the model may repeat them (OWASP LLM02). The message names the secret, never its value.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.SecretDisclosure));

    public static readonly DiagnosticDescriptor UnboundedAgentLoop = new(
        id: RuleIds.UnboundedAgentLoop,
        title: "Agent loop has no bound",
        messageFormat: "Loop calls '{0}' with no turn, token or time limit",
        category: Categories.Reliability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A loop that calls a model or an agent until the model says it is done runs, and bills, for as long as the model keeps going: a confused model, a tool that always fails or a prompt injection turns it into a runaway cost. A turn counter, a token or cost budget, or a timeout stops it.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.UnboundedAgentLoop));

    /// <summary>AGS009's second message: the function-invocation loop of a chat client given no real limit.</summary>
    public static readonly DiagnosticDescriptor UnboundedIterations = new(
        id: RuleIds.UnboundedAgentLoop,
        title: "Function-invocation loop has no real bound",
        messageFormat: "'MaximumIterationsPerRequest' of {0} leaves the agent loop unbounded",
        category: Categories.Reliability,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "FunctionInvokingChatClient calls the model again after every round of tool calls, up to MaximumIterationsPerRequest times per request; a very high value lets one request run hundreds of paid model turns.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.UnboundedAgentLoop));

    public static readonly DiagnosticDescriptor UnapprovedDestructiveTool = new(
        id: RuleIds.UnapprovedDestructiveTool,
        title: "Destructive tool runs without human approval",
        messageFormat: "Tool '{0}' {1} with no human approval",
        category: Categories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A tool that deletes, drops, kills, revokes or moves money does it the moment the model decides to, and a model can be wrong or steered by injected text. Ask a person first: wrap the function in ApprovalRequiredAIFunction, or elicit the user's consent through MCP before the call.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.UnapprovedDestructiveTool));

    /// <summary>AGS007's second message: an MCP hint that tells clients the tool is safer than it is.</summary>
    public static readonly DiagnosticDescriptor FalseToolHint = new(
        id: RuleIds.UnapprovedDestructiveTool,
        title: "Tool hint understates what the tool does",
        messageFormat: "Tool '{0}' is marked {1} but {2}",
        category: Categories.Security,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "MCP clients decide from ReadOnly and Destructive hints whether to ask the user before running a tool. A read-only tool that writes, or a non-destructive tool that deletes, is run without asking.",
        helpLinkUri: RuleIds.HelpLink(RuleIds.UnapprovedDestructiveTool));
}
