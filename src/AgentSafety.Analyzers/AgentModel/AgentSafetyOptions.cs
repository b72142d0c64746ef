using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>Every <c>.editorconfig</c> key AgentSafety reads, and the reader for one syntax tree.</summary>
internal readonly struct AgentSafetyOptions
{
    public static class Keys
    {
        /// <summary>Shared by every rule: <c>skip</c> (default) or <c>analyze</c> generated code.</summary>
        public const string GeneratedCode = "agentsafety.generated_code";

        /// <summary>Shared: more attributes that mark a method as an agent tool.</summary>
        public const string ToolAttributes = "agentsafety.tool_attributes";

        /// <summary>Shared by AGS004 and AGS005: the verbs that make a method call a write (replaces the default list).</summary>
        public const string WriteVerbs = "agentsafety.write_verbs";

        public const string Ags002HttpScope = "agentsafety.AGS002.http_scope";
        public const string Ags002ResilienceWrappers = "agentsafety.AGS002.resilience_wrappers";
        public const string Ags002ResilientTypes = "agentsafety.AGS002.resilient_types";

        public const string Ags001SecretWords = "agentsafety.AGS001.secret_words";
        public const string Ags001ExcludedValues = "agentsafety.AGS001.excluded_values";
        public const string Ags001MinEntropy = "agentsafety.AGS001.min_entropy";
        public const string Ags001ScanConfigFiles = "agentsafety.AGS001.scan_config_files";

        public const string Ags003BroadExceptionTypes = "agentsafety.AGS003.broad_exception_types";
        public const string Ags003FailureRecordingMethods = "agentsafety.AGS003.failure_recording_methods";

        public const string Ags004CompensationPrefixes = "agentsafety.AGS004.compensation_prefixes";
        public const string Ags005TraceMethods = "agentsafety.AGS005.trace_methods";
        public const string Ags006Sanitizers = "agentsafety.AGS006.sanitizers";
        public const string Ags008Redactors = "agentsafety.AGS008.redactors";
        public const string Ags008SinkMethods = "agentsafety.AGS008.sink_methods";
        public const string Ags009MaxIterations = "agentsafety.AGS009.max_iterations";
        public const string Ags007DestructiveVerbs = "agentsafety.AGS007.destructive_verbs";
        public const string Ags007ApprovalMethods = "agentsafety.AGS007.approval_methods";
    }

    private readonly AnalyzerConfigOptions _options;

    private AgentSafetyOptions(AnalyzerConfigOptions options) => _options = options;

    /// <summary>The options in force for <paramref name="tree"/> (its <c>.editorconfig</c> sections and global configs).</summary>
    public static AgentSafetyOptions For(AnalyzerOptions options, SyntaxTree tree)
        => new(options.AnalyzerConfigOptionsProvider.GetOptions(tree));

    /// <summary>The options in force for an additional file (its <c>.editorconfig</c> sections and global configs).</summary>
    public static AgentSafetyOptions For(AnalyzerOptions options, AdditionalText file)
        => new(options.AnalyzerConfigOptionsProvider.GetOptions(file));

    /// <summary>The project-wide options: global configs and MSBuild properties made visible to the compiler.</summary>
    public static AgentSafetyOptions Global(AnalyzerOptions options)
        => new(options.AnalyzerConfigOptionsProvider.GlobalOptions);

    /// <summary>The value of <paramref name="key"/> (keys are case-insensitive), or null when it is not set.</summary>
    public string? Get(string key)
        => _options.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>A list option: items separated by commas, semicolons or whitespace.</summary>
    public static ImmutableArray<string> SplitList(string value)
        => value.Split(new[] { ',', ';', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(item => item.Trim())
            .Where(item => item.Length > 0)
            .ToImmutableArray();
}
