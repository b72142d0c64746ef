namespace AgentSafety.Analyzers.Secrets;

/// <summary>A <c>key=value</c> (or <c>key: value</c>) pair inside a larger value, or the password of a URL's user info.</summary>
internal readonly struct EmbeddedValue
{
    public EmbeddedValue(int keyStart, int keyLength, int start, int length)
    {
        KeyStart = keyStart;
        KeyLength = keyLength;
        Start = start;
        Length = length;
    }

    /// <summary>The key's start, or -1 for a URL's password.</summary>
    public int KeyStart { get; }

    public int KeyLength { get; }

    public bool IsUrlPassword => KeyStart < 0;

    public int Start { get; }

    public int Length { get; }
}

/// <summary>
/// Values written inside a larger value: <c>key=value</c> pairs anywhere in a string (connection strings, query
/// strings, SQL, <c>key: value</c> and <c>"key": "value"</c> text, several pairs in one string) and the password of a
/// URL's user info (<c>scheme://user:pass@host</c>, any URL-legal characters). One forward pass; each pair or URL is
/// read once, up to its end. Which keys hold a secret is the caller's question (<see cref="SecretDetector"/>).
/// </summary>
internal static class EmbeddedPasswords
{
    private const int MaxAuthority = 512;
    private const int MaxKey = 64;

    /// <summary>
    /// False when <see cref="Find"/> finds nothing in <c>text[start..end)</c>: no <c>=</c> and no <c>:</c> (tested
    /// before the iterator is created).
    /// </summary>
    public static bool MayHold(string text, int start, int end)
        => text.IndexOf('=', start, end - start) >= 0 || text.IndexOf(':', start, end - start) >= 0;

    /// <summary>Every pair with a non-empty key and value, and every URL password, in <c>text[start..end)</c>.</summary>
    public static IEnumerable<EmbeddedValue> Find(string text, int start, int end)
    {
        var hasEquals = text.IndexOf('=', start, end - start) >= 0;
        var hasColon = text.IndexOf(':', start, end - start) >= 0;
        if (!hasEquals && !hasColon)
        {
            yield break;
        }

        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (c == ':' && Chars.At(text, i, end, "://"))
            {
                if (i > start && Chars.IsLetter(text[i - 1]))
                {
                    // The pairs in and after the authority are still read: "tcp://db:1433;Password=...".
                    if (UrlPassword(text, i + 3, AuthorityEnd(text, i + 3, end)) is { } password)
                    {
                        yield return password;
                    }

                    i += 2;
                }

                continue;
            }

            if (c is not ('=' or ':'))
            {
                continue;
            }

            var separator = i;
            var keyEnd = i;
            while (keyEnd > start && text[keyEnd - 1] is ' ' or '\t')
            {
                keyEnd--;
            }

            if (keyEnd > start && text[keyEnd - 1] is '"' or '\'')
            {
                // "password": "..." and password="..." alike.
                keyEnd--;
            }

            var keyStart = keyEnd;
            while (keyStart > start && keyEnd - keyStart < MaxKey && IsKeyCharacter(text[keyStart - 1]))
            {
                keyStart--;
            }

            if (keyStart == keyEnd || !Chars.IsLetter(text[keyStart]) || (keyStart > start && IsKeyCharacter(text[keyStart - 1])))
            {
                continue;
            }

            // A colon separates a key only before a space or a quote: not in "12:30", "urn:x", "http:".
            if (c == ':' && !(separator + 1 < end && text[separator + 1] is ' ' or '\t' or '"' or '\''))
            {
                continue;
            }

            var inQuery = keyStart > start && text[keyStart - 1] is '?' or '&';
            // The scan goes on right after the separator: a value may hold the next pair ("user=agent&password=...").
            var (valueStart, valueLength) = Value(text, separator + 1, end, wide: c == '=', inQuery);
            if (valueLength > 0)
            {
                yield return new EmbeddedValue(keyStart, keyEnd - keyStart, valueStart, valueLength);
            }
        }
    }

    /// <summary>Letters, digits, <c>_</c>, <c>-</c>, <c>.</c>: the characters of a key (<c>user-password</c>, <c>api_key</c>).</summary>
    private static bool IsKeyCharacter(char c) => Chars.IsWord(c) || c is '-' or '.';

    /// <summary>The end of a URL's authority: URL-legal characters up to a path, query, fragment, quote or space.</summary>
    private static int AuthorityEnd(string text, int authorityStart, int end)
    {
        var limit = Math.Min(end, authorityStart + MaxAuthority);
        var p = authorityStart;
        while (p < limit && IsAuthorityCharacter(text[p]))
        {
            p++;
        }

        return p;
    }

    /// <summary>Unreserved, percent-encoded, sub-delimiters, <c>:</c>, <c>@</c>, <c>[</c>, <c>]</c> (RFC 3986).</summary>
    private static bool IsAuthorityCharacter(char c)
        => Chars.IsAlphanumeric(c) || c is '-' or '.' or '_' or '~' or '%' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ','
            or ';' or '=' or ':' or '@' or '[' or ']';

    /// <summary>
    /// The password of <c>user:password@host</c>; null when there is none, or when what looks like one is a connection
    /// string running on after a port (<c>tcp://db:1433;User=a@b.com</c>).
    /// </summary>
    private static EmbeddedValue? UrlPassword(string text, int authorityStart, int authorityEnd)
    {
        if (authorityEnd <= authorityStart)
        {
            return null;
        }

        var at = text.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        if (at <= authorityStart)
        {
            return null;
        }

        var colon = text.IndexOf(':', authorityStart, at - authorityStart);
        if (colon < 0 || at - colon - 1 <= 0)
        {
            return null;
        }

        for (var p = colon + 1; p < at; p++)
        {
            if (text[p] == ';' && p + 1 < at && Chars.IsLetter(text[p + 1]))
            {
                var q = p + 1;
                while (q < at && (Chars.IsWord(text[q]) || text[q] == ' '))
                {
                    q++;
                }

                if (q < at && text[q] == '=')
                {
                    return null;
                }
            }
        }

        return new EmbeddedValue(-1, 0, colon + 1, at - colon - 1);
    }

    /// <summary>
    /// A value: quoted ('...' or "..."), or unquoted — after <c>=</c> up to the next <c>;</c> (and <c>&amp;</c> in a
    /// query string), trimmed, as in connection strings; after <c>:</c> up to a space or a delimiter, without an
    /// unmatched closing bracket (<c>"{ key: value}"</c>).
    /// </summary>
    private static (int Start, int Length) Value(string text, int from, int end, bool wide, bool inQuery)
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
            return close < 0 ? (p + 1, 0) : (p + 1, close - p - 1);
        }

        var valueEnd = p;
        var open = 0;
        while (valueEnd < end && !EndsValue(text[valueEnd], wide, inQuery))
        {
            var c = text[valueEnd];
            if (c is '(' or '{' or '[')
            {
                open++;
            }
            else if (c is ')' or '}' or ']' && --open < 0 && !wide)
            {
                break;
            }

            valueEnd++;
        }

        while (valueEnd > p && Chars.IsWhiteSpace(text[valueEnd - 1]))
        {
            valueEnd--;
        }

        return (p, valueEnd - p);
    }

    private static bool EndsValue(char c, bool wide, bool inQuery)
        => c == ';' || (inQuery && c == '&')
           || (!wide && (Chars.IsWhiteSpace(c) || c is ',' or '"' or '\'' or '<' or '>'));
}
