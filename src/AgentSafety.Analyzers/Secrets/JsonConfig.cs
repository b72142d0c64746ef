using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Analyzers.Secrets;

/// <summary>
/// The string values of a JSON file (<c>appsettings.json</c> allows comments and trailing commas), each with the key it
/// is written under; strings in an array take the array's key.
/// </summary>
internal static class JsonConfig
{
    public static IEnumerable<ConfigEntry> Entries(string text)
    {
        // Each open container: whether it is an object, and the key it sits under.
        var containers = new Stack<(bool IsObject, string? Key)>();
        string? pendingKey = null;
        var expectKey = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case '/' when i + 1 < text.Length && text[i + 1] == '/':
                    i = LineEnd(text, i);
                    continue;
                case '/' when i + 1 < text.Length && text[i + 1] == '*':
                    var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = close < 0 ? text.Length : close + 2;
                    continue;
                case '{':
                    containers.Push((true, pendingKey));
                    expectKey = true;
                    break;
                case '[':
                    containers.Push((false, pendingKey));
                    expectKey = false;
                    break;
                case '}' or ']':
                    if (containers.Count > 0)
                    {
                        containers.Pop();
                    }

                    expectKey = false;
                    break;
                case ',':
                    expectKey = containers.Count > 0 && containers.Peek().IsObject;
                    break;
                case ':':
                    expectKey = false;
                    break;
                case '"':
                    var (value, span, next) = ReadString(text, i);
                    i = next;
                    if (expectKey)
                    {
                        pendingKey = value;
                        continue;
                    }

                    var inObject = containers.Count > 0 && containers.Peek().IsObject;
                    yield return new ConfigEntry(inObject ? pendingKey : containers.Count > 0 ? containers.Peek().Key : null, value, span);
                    continue;
            }

            i++;
        }
    }

    private static int LineEnd(string text, int i)
    {
        var end = text.IndexOf('\n', i);
        return end < 0 ? text.Length : end;
    }

    /// <summary>Reads the string starting at the quote at <paramref name="quote"/>: its value, the span inside the quotes, and the index after it.</summary>
    private static (string Value, TextSpan Span, int Next) ReadString(string text, int quote)
    {
        var start = quote + 1;
        var builder = (StringBuilder?)null;
        var i = start;
        while (i < text.Length && text[i] != '"' && text[i] != '\n')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                builder ??= new StringBuilder(text, start, i - start, 64);
                var escaped = text[i + 1];
                switch (escaped)
                {
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'u' when i + 5 < text.Length
                                  && int.TryParse(text.Substring(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                        builder.Append((char)code);
                        i += 4;
                        break;
                    default: builder.Append(escaped); break;
                }

                i += 2;
                continue;
            }

            builder?.Append(text[i]);
            i++;
        }

        var value = builder?.ToString() ?? text.Substring(start, i - start);
        var next = i < text.Length && text[i] == '"' ? i + 1 : i;
        return (value, TextSpan.FromBounds(start, i), next);
    }
}
