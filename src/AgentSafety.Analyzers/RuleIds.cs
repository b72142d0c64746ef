namespace AgentSafety.Analyzers;

/// <summary>Every rule id, and the link to its documentation page.</summary>
public static class RuleIds
{
    public const string HardcodedSecret = "AGS001";
    public const string UnprotectedCall = "AGS002";
    public const string SwallowedException = "AGS003";
    public const string UncompensatedWriteTool = "AGS004";
    public const string UntracedStateChange = "AGS005";
    public const string ModelControlledInjection = "AGS006";
    public const string UnapprovedDestructiveTool = "AGS007";
    public const string SecretDisclosure = "AGS008";
    public const string UnboundedAgentLoop = "AGS009";

    public const string DocumentationBaseUrl = "https://github.com/agentsafety/agentsafety/blob/main/docs/rules/";

    public static string HelpLink(string id) => DocumentationBaseUrl + id + ".md";
}
