namespace AgentSafety.Analyzers.Secrets;

/// <summary>
/// Passwords written inside a larger value: <c>Password=</c>/<c>Pwd=</c> in a connection string, and the password of
/// a URL's user info (<c>scheme://user:pass@host</c>). One forward pass; each key or URL is read once, up to its end.
/// </summary>
internal static class EmbeddedPasswords
{
    private const int MaxAuthority = 512;

    /// <summary>The start and length of an embedded password's value (any value; the caller judges it).</summary>
    public static IEnumerable<(SecretKind Kind, int Start, int Length)> Find(string text, int start, int end)
    {
        var hasEquals = text.IndexOf('=', start, end - start) >= 0;
        var hasScheme = text.IndexOf("://", start, end - start, StringComparison.Ordinal) >= 0;
        if (!hasEquals && !hasScheme)
        {
            yield break;
        }

        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (hasEquals && c is 'p' or 'P' && KeyStart(text, i, start))
            {
                var keyLength = Chars.AtIgnoreCase(text, i, end, "password") ? 8 : Chars.AtIgnoreCase(text, i, end, "pwd") ? 3 : 0;
                if (keyLength > 0)
                {
                    var p = i + keyLength;
                    while (p < end && text[p] is ' ' or '\t')
                    {
                        p++;
                    }

                    if (p < end && text[p] == '=')
                    {
                        var (valueStart, valueLength, next) = Value(text, p + 1, end);
                        if (valueLength > 0)
                        {
                            yield return (SecretKind.ConnectionStringPassword, valueStart, valueLength);
                        }

                        i = next - 1;
                        continue;
                    }
                }
            }

            if (hasScheme && c == ':' && Chars.At(text, i, end, "://") && i > start && Chars.IsLetter(text[i - 1]))
            {
                var authorityStart = i + 3;
                var authorityEnd = authorityStart;
                var limit = Math.Min(end, authorityStart + MaxAuthority);
                while (authorityEnd < limit && text[authorityEnd] is not ('/' or '?' or '#' or '"' or '\'' or ';' or ',') && !Chars.IsWhiteSpace(text[authorityEnd]))
                {
                    authorityEnd++;
                }

                var at = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
                if (at > authorityStart)
                {
                    var colon = text.IndexOf(':', authorityStart, at - authorityStart);
                    if (colon >= 0 && at - colon - 1 > 0)
                    {
                        yield return (SecretKind.UrlPassword, colon + 1, at - colon - 1);
                    }
                }

                i = authorityEnd - 1;
            }
        }
    }

    private static bool KeyStart(string text, int i, int start)
        => i == start || text[i - 1] is ';' or ' ' or '\t' or '\n' or '\r' or '"' or '\'' or '{' or ',';

    /// <summary>A connection-string value: quoted ('...' or "..."), or up to the next <c>;</c>, trimmed.</summary>
    private static (int Start, int Length, int Next) Value(string text, int from, int end)
    {
        var p = from;
        while (p < end && text[p] is ' ' or '\t')
        {
            p++;
        }

        if (p < end && text[p] is '\'' or '"')
        {
            var quote = text[p];
            var close = text.IndexOf(quote, p + 1, end - p - 1);
            return close < 0 ? (p + 1, 0, end) : (p + 1, close - p - 1, close + 1);
        }

        var valueEnd = p;
        while (valueEnd < end && text[valueEnd] != ';')
        {
            valueEnd++;
        }

        var trimmedEnd = valueEnd;
        while (trimmedEnd > p && Chars.IsWhiteSpace(text[trimmedEnd - 1]))
        {
            trimmedEnd--;
        }

        return (p, trimmedEnd - p, valueEnd);
    }
}
