using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Analyzers.Secrets;

/// <summary>
/// Line-based configuration: <c>.env</c> (<c>NAME=value</c>, optional <c>export</c>, quotes, <c># comments</c>) and YAML
/// mappings (<c>key: value</c>, list items, and <c>- NAME=value</c> environment lists). Block scalars and flow
/// collections are skipped.
/// </summary>
internal static class LineConfig
{
    public static IEnumerable<ConfigEntry> DotEnvEntries(string text)
    {
        foreach (var (lineStart, lineEnd) in Lines(text))
        {
            var p = SkipSpaces(text, lineStart, lineEnd);
            if (p >= lineEnd || text[p] == '#')
            {
                continue;
            }

            if (Chars.At(text, p, lineEnd, "export "))
            {
                p = SkipSpaces(text, p + 7, lineEnd);
            }

            if (Assignment(text, p, lineEnd, '=') is { } entry)
            {
                yield return entry;
            }
        }
    }

    public static IEnumerable<ConfigEntry> YamlEntries(string text)
    {
        foreach (var (lineStart, lineEnd) in Lines(text))
        {
            var p = SkipSpaces(text, lineStart, lineEnd);
            if (p >= lineEnd || text[p] == '#')
            {
                continue;
            }

            while (p + 1 < lineEnd && text[p] == '-' && text[p + 1] == ' ')
            {
                p = SkipSpaces(text, p + 2, lineEnd);
            }

            var colon = MappingColon(text, p, lineEnd);
            if (colon < 0)
            {
                // A bare list item: "- NAME=value" in a compose file's environment list.
                var (itemStart, itemEnd) = Scalar(text, p, lineEnd);
                if (itemEnd > itemStart && Assignment(text, itemStart, itemEnd, '=') is { } item)
                {
                    yield return item;
                }

                continue;
            }

            var key = Unquote(text.Substring(p, colon - p).Trim());
            var valueStart = SkipSpaces(text, colon + 1, lineEnd);
            while (valueStart < lineEnd && text[valueStart] is '!' or '&')
            {
                // A tag or an anchor before the value.
                while (valueStart < lineEnd && text[valueStart] != ' ')
                {
                    valueStart++;
                }

                valueStart = SkipSpaces(text, valueStart, lineEnd);
            }

            if (valueStart >= lineEnd || text[valueStart] is '|' or '>' or '{' or '[' or '*' or '#')
            {
                continue;
            }

            var (start, end) = Scalar(text, valueStart, lineEnd);
            if (end > start)
            {
                yield return new ConfigEntry(key, text.Substring(start, end - start), TextSpan.FromBounds(start, end));
            }
        }
    }

    /// <summary><c>NAME=value</c> from <paramref name="start"/>: an identifier, the separator, and a value (quoted or up to a comment).</summary>
    private static ConfigEntry? Assignment(string text, int start, int end, char separator)
    {
        var p = start;
        while (p < end && (Chars.IsWord(text[p]) || text[p] is '.' or '-'))
        {
            p++;
        }

        var nameEnd = p;
        p = SkipSpaces(text, p, end);
        if (nameEnd == start || p >= end || text[p] != separator)
        {
            return null;
        }

        var (valueStart, valueEnd) = Scalar(text, SkipSpaces(text, p + 1, end), end);
        return valueEnd > valueStart
            ? new ConfigEntry(text.Substring(start, nameEnd - start), text.Substring(valueStart, valueEnd - valueStart), TextSpan.FromBounds(valueStart, valueEnd))
            : null;
    }

    /// <summary>A scalar's text: inside its quotes, or up to a <c> #</c> comment, trimmed.</summary>
    private static (int Start, int End) Scalar(string text, int start, int end)
    {
        if (start < end && text[start] is '"' or '\'')
        {
            var close = text.IndexOf(text[start], start + 1, end - start - 1);
            return close < 0 ? (start + 1, end) : (start + 1, close);
        }

        var p = start;
        while (p < end && !(text[p] == '#' && p > start && text[p - 1] is ' ' or '\t'))
        {
            p++;
        }

        while (p > start && Chars.IsWhiteSpace(text[p - 1]))
        {
            p--;
        }

        return (start, p);
    }

    /// <summary>The colon that ends a mapping key (followed by a space or the line end), outside quotes; -1 when none.</summary>
    private static int MappingColon(string text, int start, int end)
    {
        var p = start;
        if (p < end && text[p] is '"' or '\'')
        {
            var close = text.IndexOf(text[p], p + 1, end - p - 1);
            if (close < 0)
            {
                return -1;
            }

            p = close + 1;
        }

        for (; p < end; p++)
        {
            if (text[p] == ':' && (p + 1 == end || text[p + 1] is ' ' or '\t'))
            {
                return p;
            }

            if (text[p] == ' ' && p + 1 < end && text[p + 1] == '#')
            {
                return -1;
            }
        }

        return -1;
    }

    private static string Unquote(string key)
        => key.Length >= 2 && key[0] is '"' or '\'' && key[key.Length - 1] == key[0] ? key.Substring(1, key.Length - 2) : key;

    private static int SkipSpaces(string text, int p, int end)
    {
        while (p < end && text[p] is ' ' or '\t')
        {
            p++;
        }

        return p;
    }

    private static IEnumerable<(int Start, int End)> Lines(string text)
    {
        var start = 0;
        while (start <= text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            yield return (start, end > start && text[end - 1] == '\r' ? end - 1 : end);
            if (newline < 0)
            {
                yield break;
            }

            start = newline + 1;
        }
    }
}
