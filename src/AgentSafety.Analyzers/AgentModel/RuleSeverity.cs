using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// The severity a user set for a rule where the compiler does not apply it for us. The compiler applies
/// <c>dotnet_diagnostic.ID.severity</c> from <c>.editorconfig</c> sections to C# files only: a finding in a non-C# file
/// (an <c>appsettings.json</c> read as an additional file) gets the global configuration and the project's
/// <c>NoWarn</c>, never a <c>[*]</c> or <c>[appsettings.json]</c> section (dotnet/roslyn#37876). The package passes the
/// project's <c>.editorconfig</c> files as additional files; this reads their sections for such a file, as the compiler
/// reads them for a C# file: nearest file last, a <c>root = true</c> file ends the search, a later section wins.
/// </summary>
internal static class RuleSeverity
{
    /// <summary>
    /// Custom tag of a descriptor whose severity the analyzer sets itself (the compiler leaves it alone from Roslyn 4.9
    /// on; older compilers apply the global configuration over it). The constant is not in Microsoft.CodeAnalysis 4.8.
    /// </summary>
    public const string CustomSeverityConfigurable = "CustomSeverityConfigurable";

    /// <summary>
    /// True when <paramref name="id"/> is off for the whole compilation: <c>NoWarn</c> (or a rule set), or a global
    /// configuration that turns it off with no <c>.editorconfig</c> section turning it back on for <paramref name="tree"/>.
    /// An analyzer with a custom-severity descriptor is run by the compiler even when its rule is off; it stops itself here.
    /// </summary>
    public static bool IsOff(Compilation compilation, SyntaxTree tree, string id, CancellationToken cancellationToken)
    {
        if (IsSuppressedByProject(compilation, id))
        {
            return true;
        }

        var provider = compilation.Options.SyntaxTreeOptionsProvider;
        if (provider is null)
        {
            return false;
        }

        if (provider.TryGetDiagnosticValue(tree, id, cancellationToken, out var forTree))
        {
            return forTree == ReportDiagnostic.Suppress;
        }

        return provider.TryGetGlobalDiagnosticValue(id, cancellationToken, out var global) && global == ReportDiagnostic.Suppress;
    }

    /// <summary>
    /// True when <see cref="IsOff"/> is true for some tree of <paramref name="compilation"/>: asked once at the start,
    /// false spares a rule asking per callback.
    /// </summary>
    public static bool IsOffInAnyTree(Compilation compilation, string id, CancellationToken cancellationToken)
    {
        if (IsSuppressedByProject(compilation, id))
        {
            return true;
        }

        if (compilation.Options.SyntaxTreeOptionsProvider is null)
        {
            return false;
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            if (IsOff(compilation, tree, id, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the project's <c>NoWarn</c> (or a rule set) turns <paramref name="id"/> off: nothing turns it back on.</summary>
    public static bool IsSuppressedByProject(Compilation compilation, string id)
        => compilation.Options.SpecificDiagnosticOptions.TryGetValue(id, out var specific) && specific == ReportDiagnostic.Suppress;

    /// <summary>
    /// The <c>dotnet_diagnostic.ID.severity</c> that the <c>.editorconfig</c> files among <paramref name="files"/> set for
    /// the file at <paramref name="path"/>, or null when none does. <c>default</c> comes back as <see cref="ReportDiagnostic.Default"/>.
    /// </summary>
    public static ReportDiagnostic? ForFile(string path, string id, ImmutableArray<AdditionalText> files, CancellationToken cancellationToken)
    {
        var filePath = Normalize(path);
        var configs = new List<(string Directory, AdditionalText File)>();
        foreach (var file in files)
        {
            var configPath = Normalize(file.Path);
            if (configPath.EndsWith("/.editorconfig", StringComparison.Ordinal))
            {
                var directory = configPath.Substring(0, configPath.Length - "/.editorconfig".Length);
                if (filePath.StartsWith(directory + "/", StringComparison.Ordinal) && !configs.Any(c => c.Directory == directory))
                {
                    configs.Add((directory, file));
                }
            }
        }

        if (configs.Count == 0)
        {
            return null;
        }

        // Nearest first, up to the first root file; then applied farthest first, so that the nearest wins.
        configs.Sort((a, b) => b.Directory.Length.CompareTo(a.Directory.Length));
        var parsed = new List<(string Directory, EditorConfig Config)>();
        foreach (var (directory, file) in configs)
        {
            var text = file.GetText(cancellationToken);
            if (text is null)
            {
                continue;
            }

            var config = EditorConfig.Parse(text.ToString());
            parsed.Add((directory, config));
            if (config.IsRoot)
            {
                break;
            }
        }

        var key = "dotnet_diagnostic." + id + ".severity";
        ReportDiagnostic? severity = null;
        for (var i = parsed.Count - 1; i >= 0; i--)
        {
            var (directory, config) = parsed[i];
            foreach (var section in config.Sections)
            {
                if (section.Properties.TryGetValue(key, out var value) && TryParseSeverity(value, out var parsedSeverity) && section.Matches(directory, filePath))
                {
                    severity = parsedSeverity;
                }
            }
        }

        return severity;
    }

    /// <summary>The severity a finding is reported with when a user set <paramref name="configured"/> (<c>default</c>: the rule's own).</summary>
    public static DiagnosticSeverity? ToSeverity(ReportDiagnostic configured, DiagnosticDescriptor descriptor) => configured switch
    {
        ReportDiagnostic.Error => DiagnosticSeverity.Error,
        ReportDiagnostic.Warn => DiagnosticSeverity.Warning,
        ReportDiagnostic.Info => DiagnosticSeverity.Info,
        ReportDiagnostic.Hidden => DiagnosticSeverity.Hidden,
        ReportDiagnostic.Suppress => null,
        _ => descriptor.DefaultSeverity,
    };

    private static bool TryParseSeverity(string value, out ReportDiagnostic severity)
    {
        // The compiler's words (AnalyzerConfigSet): error, warning/warn, suggestion/info, silent/hidden/refactoring, none, default.
        severity = value.Trim().ToLowerInvariant() switch
        {
            "error" => ReportDiagnostic.Error,
            "warning" or "warn" => ReportDiagnostic.Warn,
            "suggestion" or "info" => ReportDiagnostic.Info,
            "silent" or "hidden" or "refactoring" => ReportDiagnostic.Hidden,
            "none" => ReportDiagnostic.Suppress,
            "default" => ReportDiagnostic.Default,
            _ => (ReportDiagnostic)(-1),
        };
        return severity != (ReportDiagnostic)(-1);
    }

    private static string Normalize(string path) => path.Replace('\\', '/');

    /// <summary>One <c>.editorconfig</c> file: its <c>root</c> flag and its sections, keys lower-cased as the compiler reads them.</summary>
    private sealed class EditorConfig
    {
        private EditorConfig(bool isRoot, List<Section> sections)
        {
            IsRoot = isRoot;
            Sections = sections;
        }

        public bool IsRoot { get; }

        public List<Section> Sections { get; }

        public static EditorConfig Parse(string text)
        {
            var isRoot = false;
            var sections = new List<Section>();
            Section? current = null;
            foreach (var rawLine in text.Split('\n'))
            {
                var line = rawLine.Trim();
                if (line.Length == 0 || line[0] is '#' or ';')
                {
                    continue;
                }

                if (line[0] == '[')
                {
                    var end = line.LastIndexOf(']');
                    current = end > 0 ? new Section(line.Substring(1, end - 1)) : null;
                    if (current is not null)
                    {
                        sections.Add(current);
                    }

                    continue;
                }

                var equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    continue;
                }

                var key = line.Substring(0, equals).Trim().ToLowerInvariant();
                var value = StripComment(line.Substring(equals + 1)).Trim();
                if (current is null)
                {
                    isRoot |= key == "root" && value.Equals("true", StringComparison.OrdinalIgnoreCase);
                }
                else
                {
                    current.Properties[key] = value;
                }
            }

            return new EditorConfig(isRoot, sections);
        }

        private static string StripComment(string value)
        {
            // A comment after a value starts with " #" or " ;" (the compiler's reading of trailing comments).
            for (var i = 1; i < value.Length; i++)
            {
                if (value[i] is '#' or ';' && char.IsWhiteSpace(value[i - 1]))
                {
                    return value.Substring(0, i);
                }
            }

            return value;
        }
    }

    /// <summary>A section: its glob and its properties.</summary>
    private sealed class Section
    {
        private readonly string _glob;
        private Regex? _regex;
        private string? _regexDirectory;

        public Section(string glob) => _glob = glob.Trim();

        public Dictionary<string, string> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// Whether the section applies to <paramref name="filePath"/>, under the config file's <paramref name="directory"/>.
        /// A glob without '/' matches a file name in any folder below; with '/', a path from the config file's folder.
        /// </summary>
        public bool Matches(string directory, string filePath)
        {
            if (_regex is null || _regexDirectory != directory)
            {
                var glob = _glob.IndexOf('/') >= 0 ? _glob.TrimStart('/') : "**/" + _glob;
                _regex = new Regex("^" + Regex.Escape(directory + "/") + GlobToRegex(glob) + "$", RegexOptions.CultureInvariant);
                _regexDirectory = directory;
            }

            return _regex.IsMatch(filePath);
        }

        /// <summary>EditorConfig globs: <c>*</c>, <c>**</c>, <c>?</c>, <c>[...]</c>, <c>[!...]</c>, <c>{a,b}</c>, <c>{n..m}</c> (any integer).</summary>
        private static string GlobToRegex(string glob)
        {
            var builder = new StringBuilder();
            var braces = 0;
            for (var i = 0; i < glob.Length; i++)
            {
                var c = glob[i];
                switch (c)
                {
                    case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                        i++;
                        if (i + 1 < glob.Length && glob[i + 1] == '/')
                        {
                            // "**/" also matches no folder at all.
                            i++;
                            builder.Append("(?:.*/)?");
                        }
                        else
                        {
                            builder.Append(".*");
                        }

                        break;
                    case '*':
                        builder.Append("[^/]*");
                        break;
                    case '?':
                        builder.Append("[^/]");
                        break;
                    case '[':
                        var close = glob.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            builder.Append(@"\[");
                            break;
                        }

                        var set = glob.Substring(i + 1, close - i - 1);
                        builder.Append('[').Append(set.StartsWith("!", StringComparison.Ordinal) ? "^" + Regex.Escape(set.Substring(1)) : Regex.Escape(set)).Append(']');
                        i = close;
                        break;
                    case '{':
                        var closing = glob.IndexOf('}', i + 1);
                        if (closing > 0 && Regex.IsMatch(glob.Substring(i + 1, closing - i - 1), @"^-?\d+\.\.-?\d+$"))
                        {
                            builder.Append(@"-?\d+");
                            i = closing;
                            break;
                        }

                        braces++;
                        builder.Append("(?:");
                        break;
                    case ',' when braces > 0:
                        builder.Append('|');
                        break;
                    case '}' when braces > 0:
                        braces--;
                        builder.Append(')');
                        break;
                    case '\\' when i + 1 < glob.Length:
                        i++;
                        builder.Append(Regex.Escape(glob[i].ToString()));
                        break;
                    default:
                        builder.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            for (; braces > 0; braces--)
            {
                builder.Append(')');
            }

            return builder.ToString();
        }
    }
}
