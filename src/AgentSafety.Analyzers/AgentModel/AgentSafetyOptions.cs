using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>Every <c>.editorconfig</c> key AgentSafety reads, and the reader for one syntax tree.</summary>
internal readonly struct AgentSafetyOptions
{
    public static class Keys
    {
        /// <summary>Shared: more attributes that mark a method as an agent tool.</summary>
        public const string ToolAttributes = "agentsafety.tool_attributes";

        /// <summary>Shared by AGS004 and AGS005: the verbs that make a method call a write (replaces the default list).</summary>
        public const string WriteVerbs = "agentsafety.write_verbs";

        public const string Ags003BroadExceptionTypes = "agentsafety.AGS003.broad_exception_types";
        public const string Ags003FailureRecordingMethods = "agentsafety.AGS003.failure_recording_methods";
        public const string Ags005TraceMethods = "agentsafety.AGS005.trace_methods";
    }

    private readonly AnalyzerConfigOptions _options;

    private AgentSafetyOptions(AnalyzerConfigOptions options) => _options = options;

    /// <summary>The options in force for <paramref name="tree"/> (its <c>.editorconfig</c> sections and global configs).</summary>
    public static AgentSafetyOptions For(AnalyzerOptions options, SyntaxTree tree)
        => new(options.AnalyzerConfigOptionsProvider.GetOptions(tree));

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
