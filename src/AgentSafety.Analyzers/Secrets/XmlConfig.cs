using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Analyzers.Secrets;

/// <summary>
/// Values in <c>web.config</c>/<c>app.config</c>: <c>&lt;add key="ApiKey" value="..."/&gt;</c> (the value under its key),
/// every other attribute under its own name (<c>connectionString="..."</c>, <c>password="..."</c>), and the text of an
/// element that holds only text (<c>&lt;Password&gt;...&lt;/Password&gt;</c>). Comments and CDATA are skipped.
/// </summary>
internal static class XmlConfig
{
    public static IEnumerable<ConfigEntry> Entries(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('<', i);
            if (open < 0 || open + 1 >= text.Length)
            {
                yield break;
            }

            if (Chars.At(text, open, text.Length, "<!--"))
            {
                i = After(text, open, "-->");
                continue;
            }

            if (Chars.At(text, open, text.Length, "<![CDATA[") || Chars.At(text, open, text.Length, "<!") || text[open + 1] is '?' or '/')
            {
                i = After(text, open, text[open + 1] == '!' && text[open + 2] == '[' ? "]]>" : ">");
                continue;
            }

            var nameEnd = open + 1;
            while (nameEnd < text.Length && !Chars.IsWhiteSpace(text[nameEnd]) && text[nameEnd] is not ('>' or '/'))
            {
                nameEnd++;
            }

            var elementName = text.Substring(open + 1, nameEnd - open - 1);
            var attributes = new List<(string Name, string Value, TextSpan Span)>();
            var p = nameEnd;
            while (p < text.Length && text[p] is not ('>' or '<'))
            {
                if (!Chars.IsWhiteSpace(text[p]) && text[p] != '/')
                {
                    var attributeStart = p;
                    while (p < text.Length && text[p] is not ('=' or '>' or '/') && !Chars.IsWhiteSpace(text[p]))
                    {
                        p++;
                    }

                    var attributeName = text.Substring(attributeStart, p - attributeStart);
                    while (p < text.Length && Chars.IsWhiteSpace(text[p]))
                    {
                        p++;
                    }

                    if (p < text.Length && text[p] == '=')
                    {
                        p++;
                        while (p < text.Length && Chars.IsWhiteSpace(text[p]))
                        {
                            p++;
                        }

                        if (p < text.Length && text[p] is '"' or '\'')
                        {
                            var close = text.IndexOf(text[p], p + 1);
                            var valueEnd = close < 0 ? text.Length : close;
                            attributes.Add((attributeName, Decode(text, p + 1, valueEnd), TextSpan.FromBounds(p + 1, valueEnd)));
                            p = valueEnd + 1;
                            continue;
                        }
                    }

                    continue;
                }

                p++;
            }

            var selfClosing = p > 0 && p < text.Length && text[p] == '>' && text[p - 1] == '/';
            i = p < text.Length && text[p] == '>' ? p + 1 : p;

            var keyIndex = attributes.FindIndex(a => a.Name.Equals("key", StringComparison.OrdinalIgnoreCase));
            var valueIndex = attributes.FindIndex(a => a.Name.Equals("value", StringComparison.OrdinalIgnoreCase));
            for (var a = 0; a < attributes.Count; a++)
            {
                if (keyIndex >= 0 && valueIndex >= 0)
                {
                    if (a == valueIndex)
                    {
                        yield return new ConfigEntry(attributes[keyIndex].Value, attributes[a].Value, attributes[a].Span);
                    }
                }
                else
                {
                    yield return new ConfigEntry(attributes[a].Name, attributes[a].Value, attributes[a].Span);
                }
            }

            if (!selfClosing && i < text.Length)
            {
                var textEnd = text.IndexOf('<', i);
                if (textEnd > i && Chars.At(text, textEnd, text.Length, "</" + elementName))
                {
                    var start = i;
                    var end = textEnd;
                    while (start < end && Chars.IsWhiteSpace(text[start]))
                    {
                        start++;
                    }

                    while (end > start && Chars.IsWhiteSpace(text[end - 1]))
                    {
                        end--;
                    }

                    if (end > start)
                    {
                        yield return new ConfigEntry(elementName, Decode(text, start, end), TextSpan.FromBounds(start, end));
                    }
                }
            }
        }
    }

    private static int After(string text, int from, string terminator)
    {
        var close = text.IndexOf(terminator, from + 1, StringComparison.Ordinal);
        return close < 0 ? text.Length : close + terminator.Length;
    }

    private static string Decode(string text, int start, int end)
    {
        var raw = text.Substring(start, end - start);
        if (raw.IndexOf('&') < 0)
        {
            return raw;
        }

        return new StringBuilder(raw)
            .Replace("&quot;", "\"").Replace("&apos;", "'").Replace("&lt;", "<").Replace("&gt;", ">").Replace("&amp;", "&")
            .ToString();
    }
}
