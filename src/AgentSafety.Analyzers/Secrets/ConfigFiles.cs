using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Analyzers.Secrets;

/// <summary>The configuration files AGS001 reads, by name.</summary>
internal enum ConfigFileKind
{
    None,
    Json,
    DotEnv,
    Yaml,
    Xml,
}

/// <summary>A value in a configuration file: its key (null when it has none), its text, and where it is written.</summary>
internal readonly struct ConfigEntry
{
    public ConfigEntry(string? name, string value, TextSpan span)
    {
        Name = name;
        Value = value;
        Span = span;
    }

    public string? Name { get; }

    /// <summary>The value with its escapes resolved.</summary>
    public string Value { get; }

    /// <summary>The value as written, inside its quotes.</summary>
    public TextSpan Span { get; }
}

/// <summary>
/// Recognises configuration files by name and lists their values with the key each one is written under. The readers
/// are lenient (comments and trailing commas in JSON, partial YAML) and single-pass: a file is never rejected, at
/// worst some of its values are not seen.
/// </summary>
internal static class ConfigFiles
{
    /// <summary>
    /// <c>appsettings*.json</c>, <c>launchSettings.json</c>, <c>.env</c> (<c>.env.*</c>, except templates such as
    /// <c>.env.example</c>), <c>web.config</c>, <c>app.config</c> (and their transforms), <c>*.yaml</c>, <c>*.yml</c>.
    /// </summary>
    public static ConfigFileKind KindOf(string path)
    {
        var name = FileName(path).ToLowerInvariant();
        if (name.EndsWith(".json", StringComparison.Ordinal))
        {
            return name.StartsWith("appsettings", StringComparison.Ordinal) || name == "launchsettings.json" ? ConfigFileKind.Json : ConfigFileKind.None;
        }

        if (name == ".env" || (name.StartsWith(".env.", StringComparison.Ordinal) && !IsTemplateName(name)))
        {
            return ConfigFileKind.DotEnv;
        }

        if (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
        {
            return ConfigFileKind.Yaml;
        }

        if (name.EndsWith(".config", StringComparison.Ordinal) && (name.StartsWith("web.", StringComparison.Ordinal) || name.StartsWith("app.", StringComparison.Ordinal)))
        {
            return ConfigFileKind.Xml;
        }

        return ConfigFileKind.None;
    }

    public static IEnumerable<ConfigEntry> Entries(ConfigFileKind kind, string text) => kind switch
    {
        ConfigFileKind.Json => JsonConfig.Entries(text),
        ConfigFileKind.DotEnv => LineConfig.DotEnvEntries(text),
        ConfigFileKind.Yaml => LineConfig.YamlEntries(text),
        ConfigFileKind.Xml => XmlConfig.Entries(text),
        _ => Enumerable.Empty<ConfigEntry>(),
    };

    private static bool IsTemplateName(string name)
        => name.Contains("example") || name.Contains("sample") || name.Contains("template") || name.EndsWith(".dist", StringComparison.Ordinal) || name.EndsWith(".defaults", StringComparison.Ordinal);

    private static string FileName(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return slash < 0 ? path : path.Substring(slash + 1);
    }
}
