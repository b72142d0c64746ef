namespace AgentSafety.Analyzers.Secrets;

/// <summary>ASCII character classes used by the scanners (culture-free, unlike <see cref="char.IsLetter(char)"/>).</summary>
internal static class Chars
{
    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static bool IsUpper(char c) => c is >= 'A' and <= 'Z';

    public static bool IsLower(char c) => c is >= 'a' and <= 'z';

    public static bool IsLetter(char c) => IsUpper(c) || IsLower(c);

    public static bool IsAlphanumeric(char c) => IsLetter(c) || IsDigit(c);

    public static bool IsUpperAlphanumeric(char c) => IsUpper(c) || IsDigit(c);

    public static bool IsLowerAlphanumeric(char c) => IsLower(c) || IsDigit(c);

    /// <summary><c>[A-Za-z0-9_]</c></summary>
    public static bool IsWord(char c) => IsAlphanumeric(c) || c == '_';

    /// <summary><c>[A-Za-z0-9_-]</c>: the body of most API keys, and base64url.</summary>
    public static bool IsWordOrDash(char c) => IsWord(c) || c == '-';

    public static bool IsLowerHex(char c) => IsDigit(c) || c is >= 'a' and <= 'f';

    /// <summary><c>[A-Za-z0-9+/]</c></summary>
    public static bool IsBase64(char c) => IsAlphanumeric(c) || c == '+' || c == '/';

    /// <summary><c>[A-Za-z0-9+/=]</c></summary>
    public static bool IsBase64OrPadding(char c) => IsBase64(c) || c == '=';

    public static bool IsWhiteSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v' || (c > 127 && char.IsWhiteSpace(c));

    /// <summary>The length of the run of <paramref name="predicate"/> characters from <paramref name="start"/>, counting at most <paramref name="max"/> + 1.</summary>
    public static int Run(string text, int start, int end, int max, Func<char, bool> predicate)
    {
        var limit = Math.Min(end, start + max + 1);
        var i = start;
        while (i < limit && predicate(text[i]))
        {
            i++;
        }

        return i - start;
    }

    public static bool HasWhiteSpace(string text)
    {
        foreach (var c in text)
        {
            if (IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    public static bool At(string text, int index, int end, string prefix)
        => end - index >= prefix.Length && string.CompareOrdinal(text, index, prefix, 0, prefix.Length) == 0;

    public static bool AtIgnoreCase(string text, int index, int end, string prefix)
        => end - index >= prefix.Length && string.Compare(text, index, prefix, 0, prefix.Length, StringComparison.OrdinalIgnoreCase) == 0;
}
