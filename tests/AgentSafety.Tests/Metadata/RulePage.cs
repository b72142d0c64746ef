using System.Text.RegularExpressions;

namespace AgentSafety.Tests.Metadata;

/// <summary>
/// A rule's page, <c>docs/rules/AGSnnn.md</c>, read the way the doc-lint needs it: first line, property table,
/// headings (outside code fences) with the text under each, code blocks and table rows.
/// </summary>
internal sealed class RulePage
{
    /// <summary>
    /// The headings every rule page has, in this order (other headings may sit between them). docs/rules/README.md
    /// explains what goes under each; a test keeps that file and this list in step.
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredHeadings = new[]
    {
        "## Why",
        "## What it reports",
        "### Not reported",
        "## Examples",
        "## Fixes",
        "## Configuration",
        "## Suppression",
    };

    private RulePage(string text)
    {
        Text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        Lines = Text.Split('\n');
        var inFence = false;
        var headings = new List<(int Line, int Level, string Heading)>();
        for (var i = 0; i < Lines.Count; i++)
        {
            if (Lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            else if (!inFence && Regex.Match(Lines[i], "^(#{1,6}) ") is { Success: true } heading)
            {
                headings.Add((i, heading.Groups[1].Length, Lines[i].TrimEnd()));
            }
        }

        Headings = headings;
    }

    public string Text { get; }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>Every heading outside code fences, with its line index and level.</summary>
    public IReadOnlyList<(int Line, int Level, string Heading)> Headings { get; }

    public static string PathOf(string id) => RepositoryPaths.Combine("docs", "rules", id + ".md");

    public static RulePage? Load(string id) => File.Exists(PathOf(id)) ? new RulePage(File.ReadAllText(PathOf(id))) : null;

    /// <summary>The ids of every rule page in docs/rules (README.md there is the guide, not a page).</summary>
    public static IEnumerable<string> PageIds()
        => Directory.GetFiles(RepositoryPaths.Combine("docs", "rules"), "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name is not null && System.Text.RegularExpressions.Regex.IsMatch(name, "^AGS[0-9]{3}$"))
            .Select(name => name!)
            .OrderBy(name => name, StringComparer.Ordinal);

    /// <summary>The value column of the property table row <c>| name | value |</c>, or null.</summary>
    public string? Property(string name)
        => Lines.Select(l => Regex.Match(l, $@"^\|\s*{Regex.Escape(name)}\s*\|\s*(.*?)\s*\|\s*$")).FirstOrDefault(m => m.Success)?.Groups[1].Value;

    /// <summary>The text under <paramref name="heading"/> up to the next heading of the same or a higher level, or null when absent.</summary>
    public string? Section(string heading)
    {
        var index = Headings.ToList().FindIndex(h => h.Heading == heading);
        if (index < 0)
        {
            return null;
        }

        var (line, level, _) = Headings[index];
        var end = Headings.Skip(index + 1).Where(h => h.Level <= level).Select(h => h.Line).DefaultIfEmpty(Lines.Count).First();
        return string.Join("\n", Lines.Skip(line + 1).Take(end - line - 1));
    }

    /// <summary>The contents of every fenced block in <paramref name="text"/> opened with <c>```language</c>.</summary>
    public static IReadOnlyList<string> CodeBlocks(string text, string language)
        => Regex.Matches(text, $@"^```{Regex.Escape(language)}\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .ToList();

    /// <summary>The cells of every table row in <paramref name="text"/> whose first cell is a code span, keyed by that span's text.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> CodeKeyedRows(string text)
    {
        var rows = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();
            rows[cells[0].Trim('`')] = cells;
        }

        return rows;
    }
}
