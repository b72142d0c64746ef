using System.Globalization;
using System.Text;
using AgentSafety.Tests.Metadata;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Tests.Package;

/// <summary>
/// The <c>AgentSafetyMode</c> presets and the text of their global analyzer config files, written from the rules'
/// descriptors. The package ships the committed files; <see cref="SeverityPresetTests"/> regenerates them and fails
/// when they differ, so a new rule or a changed default cannot ship without its preset entries.
/// </summary>
internal static class SeverityPresets
{
    /// <summary>
    /// Below the SDK's own generated configs (-99) and far below a user's <c>.globalconfig</c> (100) or any other
    /// global config (0): whatever a user writes about one of our rules wins. A user's <c>.editorconfig</c> wins
    /// over every global config whatever its level.
    /// </summary>
    public const int GlobalLevel = -100;

    public static readonly IReadOnlyList<Preset> All = new[]
    {
        new Preset(
            "Recommended",
            "every rule is at least a warning, rules that are off by default included",
            // A preset on the way to Strict never weakens a rule that ships as an error.
            d => d.IsEnabledByDefault && d.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning"),
        new Preset("Strict", "every rule is an error", _ => "error"),
        new Preset("None", "every rule is off (the analyzers do not run)", _ => "none"),
    };

    public static string ConfigDirectory => RepositoryPaths.Combine("src", "AgentSafety.Package", "buildTransitive", "config");

    public sealed record Preset(string Mode, string Summary, Func<DiagnosticDescriptor, string> Severity)
    {
        public string FileName => $"agentsafety_{Mode.ToLowerInvariant()}.globalconfig";

        public string Render(IEnumerable<DiagnosticDescriptor> descriptors)
        {
            var text = new StringBuilder()
                .Append("# AgentSafetyMode = ").Append(Mode).Append(": ").Append(Summary).Append(".\n")
                .Append("# Generated from the rules' descriptors by tests/AgentSafety.Tests/Package/SeverityPresets.cs: do not edit.\n")
                .Append("# Regenerate: AGENTSAFETY_REGENERATE_PRESETS=1 dotnet test --filter SeverityPresetTests\n")
                .Append("is_global = true\n")
                .Append("global_level = ").Append(GlobalLevel).Append('\n');
            foreach (var descriptor in descriptors.OrderBy(d => d.Id, StringComparer.Ordinal))
            {
                text.Append('\n')
                    .Append("# ").Append(descriptor.Id).Append(": ").Append(descriptor.Title.ToString(CultureInfo.InvariantCulture))
                    .Append(" (").Append(descriptor.Category).Append(", shipped as ").Append(ShippedRules.ShippedSeverity(descriptor)).Append(")\n")
                    .Append("dotnet_diagnostic.").Append(descriptor.Id).Append(".severity = ").Append(Severity(descriptor)).Append('\n');
            }

            return text.ToString();
        }
    }
}
