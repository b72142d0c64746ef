namespace AgentSafety.Analyzers.Secrets;

/// <summary>
/// Values that stand in for a secret without being one: masks (<c>xxxx</c>, <c>****</c>, <c>sk-...</c>),
/// templates (<c>&lt;your-key&gt;</c>, <c>${VAR}</c>, <c>%VAR%</c>, <c>{{var}}</c>, <c>{0}</c>), "your key" wording,
/// placeholder words (<c>dummy</c>, <c>changeme</c>), and names of secrets rather than secrets (<c>OPENAI_API_KEY</c>,
/// <c>Authorization</c>, <c>OpenAI:ApiKey</c>).
/// </summary>
internal static class Placeholders
{
    private const string MaskCharacters = "xX*.-_#";

    /// <summary>Words that mark a value as a stand-in — except where even weak values are passwords (RULES-NOTES).</summary>
    private static readonly HashSet<string> PlaceholderWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "dummy", "fake", "test", "testing", "placeholder", "changeme", "sample", "example", "redacted", "todo",
        "replace", "replaceme", "unused", "notneeded", "needed", "nokey", "required", "ollama", "lmstudio", "local",
        "localhost", "none", "null", "nil", "empty", "undefined", "unset", "anything", "whatever", "mock",
        "stub", "demo", "xxx", "invalid",
    };

    /// <summary>
    /// Placeholder words that count everywhere, also at password sinks and under password names (RULES-NOTES): as the
    /// whole value or one of its words (<c>Password=example</c>, <c>invalid_key</c>). A known key format still wins.
    /// </summary>
    private static readonly HashSet<string> StrongPlaceholderWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "example", "invalid", "sample", "dummy", "fake",
    };

    /// <summary>
    /// Published example values of documentation and SDK samples: never secrets. AWS's documented keys hold
    /// <c>EXAMPLE</c> (see <see cref="IsTemplate"/>); these are the Firebase Android SDK's sample API keys (as
    /// gitleaks' public rules allow them).
    /// </summary>
    private static readonly HashSet<string> DocumentationExamples = new(StringComparer.Ordinal)
    {
        "AIzaSyabcdefghijklmnopqrstuvwxyz1234567", "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs",
        "AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM", "AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU",
        "AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0", "AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
        "AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c", "AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4",
        "AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY", "AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM",
        "AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ", "AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g",
        "AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU", "AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw",
        "AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE", "AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY",
    };

    /// <summary>Values that say "no value" — not a password even where weak passwords count.</summary>
    private static readonly HashSet<string> NoValueWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "none", "null", "nil", "empty", "n/a", "na", "undefined", "unset", "default",
    };

    private static readonly HashSet<string> KeyWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "key", "apikey", "token", "secret", "password", "pass", "passwd", "pwd", "passphrase", "credential",
        "credentials", "api", "access", "client", "private", "pat", "sas", "signature", "connection",
    };

    /// <summary>Header names that carry credentials: names, not values.</summary>
    private static readonly HashSet<string> CredentialHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "api-key", "x-api-key", "apikey", "x-apikey", "Ocp-Apim-Subscription-Key",
        "X-Auth-Token", "X-Access-Token", "X-Goog-Api-Key", "anthropic-api-key", "x-functions-key", "Cookie", "Set-Cookie",
    };

    /// <summary>
    /// True when <paramref name="value"/> is a stand-in by its shape alone: empty, a mask, a template or format item,
    /// "your key" wording, or cut off with an ellipsis. These never count, whatever the context.
    /// </summary>
    public static bool IsTemplate(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return true;
        }

        if (trimmed.EndsWith("...", StringComparison.Ordinal) || trimmed.EndsWith("\u2026", StringComparison.Ordinal))
        {
            return true;
        }

        if (IsMostlyMask(trimmed) || IsSequential(trimmed) || DocumentationExamples.Contains(trimmed))
        {
            return true;
        }

        if (trimmed.IndexOf("EXAMPLE", StringComparison.Ordinal) >= 0)
        {
            return true;
        }

        var open = trimmed.IndexOf('<');
        if (open >= 0 && trimmed.IndexOf('>', open + 1) > open)
        {
            return true;
        }

        if (Contains(trimmed, "${") || Contains(trimmed, "$(") || Contains(trimmed, "{{") || Contains(trimmed, "#{")
            || (trimmed.Length > 2 && trimmed[0] == '%' && trimmed[trimmed.Length - 1] == '%')
            || (trimmed.Length > 2 && trimmed[0] == '{' && trimmed[trimmed.Length - 1] == '}')
            || (trimmed.Length > 2 && trimmed[0] == '[' && trimmed[trimmed.Length - 1] == ']')
            || (trimmed.Length > 4 && trimmed.StartsWith("__", StringComparison.Ordinal) && trimmed.EndsWith("__", StringComparison.Ordinal)))
        {
            return true;
        }

        return HasYourNextToKeyWord(trimmed);
    }

    /// <summary>True when one of the value's words is a placeholder word (<c>dummy</c>, <c>fake</c>, <c>changeme</c>, ...).</summary>
    public static bool HasPlaceholderWord(string value)
    {
        foreach (var word in Words.Split(value))
        {
            if (PlaceholderWords.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the whole value or one of its words (trailing digits aside) is <c>example</c>, <c>invalid</c>,
    /// <c>sample</c>, <c>dummy</c> or <c>fake</c>: a stand-in even where weak passwords count.
    /// </summary>
    public static bool HasStrongPlaceholderWord(string value)
    {
        foreach (var word in Words.Split(value))
        {
            var end = word.Length;
            while (end > 0 && Chars.IsDigit(word[end - 1]))
            {
                end--;
            }

            if (end >= 4 && StrongPlaceholderWords.Contains(end == word.Length ? word : word.Substring(0, end)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A documentation example value (<see cref="DocumentationExamples"/>).</summary>
    public static bool IsDocumentationExample(string value) => DocumentationExamples.Contains(value);

    /// <summary>
    /// A SQL bind parameter where a value would be: <c>@p</c>, <c>:pwd</c>, <c>$1</c>, <c>?</c> (<c>password=@p</c>
    /// in SQL or a connection-string-like text).
    /// </summary>
    public static bool IsBindParameter(string value)
    {
        if (value == "?")
        {
            return true;
        }

        if (value.Length < 2 || value[0] is not ('@' or ':' or '$'))
        {
            return false;
        }

        if (value[0] == '$')
        {
            for (var i = 1; i < value.Length; i++)
            {
                if (!Chars.IsDigit(value[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (!(Chars.IsLetter(value[1]) || value[1] == '_'))
        {
            return false;
        }

        for (var i = 2; i < value.Length; i++)
        {
            if (!Chars.IsWord(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A route or relative path: segments of lower-case words, digits, dashes and <c>{parameters}</c> between slashes
    /// (<c>/users/reset-password</c>, <c>account/change-password</c>, <c>api/tokens/{id}</c>).
    /// </summary>
    public static bool IsRoute(string value) => value.IndexOf('/') >= 0 && IsRouteText(value);

    private static bool IsRouteText(string value)
    {
        var braces = 0;
        var letters = 0;
        foreach (var c in value)
        {
            if (c == '{')
            {
                braces++;
            }
            else if (c == '}')
            {
                braces--;
            }
            else if (braces > 0 || Chars.IsLowerAlphanumeric(c) || c is '/' or '-' or '_' or '.' or '~')
            {
                letters += Chars.IsLower(c) ? 1 : 0;
            }
            else
            {
                return false;
            }

            if (braces is < 0 or > 1)
            {
                return false;
            }
        }

        return braces == 0 && letters > 0;
    }

    /// <summary>
    /// Made of ascending runs of at least three (<c>abcdefgh</c>, <c>1234567890</c>, <c>abc123xyz-456def789</c>),
    /// eight characters or more: a stand-in typed by hand, not a key.
    /// </summary>
    public static bool IsSequential(string value)
    {
        if (value.Length < 8)
        {
            return false;
        }

        var run = 0;
        var alphanumeric = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!Chars.IsAlphanumeric(c))
            {
                if (c is not ('-' or '_' or '.') || (run is > 0 and < 3))
                {
                    return false;
                }

                run = 0;
                continue;
            }

            alphanumeric++;
            if (run > 0 && Follows(value[i - 1], c))
            {
                run++;
                continue;
            }

            if (run is > 0 and < 3)
            {
                return false;
            }

            run = 1;
        }

        return run >= 3 && alphanumeric >= 8;
    }

    /// <summary><paramref name="c"/> comes right after <paramref name="previous"/> (ignoring case; 0 after 9, as on a keyboard).</summary>
    private static bool Follows(char previous, char c)
    {
        var p = Chars.IsUpper(previous) ? (char)(previous + 32) : previous;
        var n = Chars.IsUpper(c) ? (char)(c + 32) : c;
        return (n == p + 1 && Chars.IsDigit(p) == Chars.IsDigit(n)) || (p == '9' && n == '0');
    }

    public static bool IsNoValue(string value) => NoValueWords.Contains(value.Trim());

    /// <summary>An environment-variable name: upper case, digits and at least one underscore (<c>OPENAI_API_KEY</c>).</summary>
    public static bool IsEnvironmentVariableName(string value)
    {
        if (value.Length < 3 || !Chars.IsUpper(value[0]))
        {
            return false;
        }

        var underscore = false;
        foreach (var c in value)
        {
            if (c == '_')
            {
                underscore = true;
            }
            else if (!Chars.IsUpperAlphanumeric(c))
            {
                return false;
            }
        }

        return underscore;
    }

    public static bool IsCredentialHeaderName(string value) => CredentialHeaderNames.Contains(value.Trim());

    /// <summary>
    /// A reference to a secret rather than a secret: an identifier-like value whose words include a secret word
    /// (<c>password</c>, <c>DbPassword</c>, <c>OpenAI:ApiKey</c>, <c>hf_token</c>) and no digits.
    /// </summary>
    public static bool IsSecretReference(string value, SecretNames names)
    {
        foreach (var c in value)
        {
            if (!(Chars.IsLetter(c) || c is '_' or '-' or '.' or ':'))
            {
                return false;
            }
        }

        return names.Classify(value, ignoreDescriptiveWords: true).IsSecret;
    }

    /// <summary>A configuration path of identifiers: <c>OpenAI:ApiKey</c>, <c>ConnectionStrings:Default</c>.</summary>
    public static bool IsConfigurationPath(string value)
    {
        var colon = value.IndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            return false;
        }

        var segmentStart = true;
        foreach (var c in value)
        {
            if (c == ':')
            {
                if (segmentStart)
                {
                    return false;
                }

                segmentStart = true;
            }
            else if (segmentStart ? Chars.IsLetter(c) || c == '_' : Chars.IsWord(c) || c == '.')
            {
                segmentStart = false;
            }
            else
            {
                return false;
            }
        }

        return !segmentStart;
    }

    /// <summary>A URL without a password, or a file path: locations, not secrets.</summary>
    public static bool IsLocation(string value)
        => value.IndexOf("://", StringComparison.Ordinal) > 0
           || value[0] is '/' or '~' or '\\'
           || (value.Length > 2 && Chars.IsLetter(value[0]) && value[1] == ':' && value[2] is '\\' or '/')
           || value.StartsWith("./", StringComparison.Ordinal) || value.StartsWith("../", StringComparison.Ordinal)
           || HasFileExtension(value);

    private static bool HasFileExtension(string value)
    {
        var dot = value.LastIndexOf('.');
        if (dot <= 0 || value.Length - dot - 1 is < 2 or > 5)
        {
            return false;
        }

        var extension = value.Substring(dot + 1).ToLowerInvariant();
        return extension is "json" or "pem" or "key" or "pfx" or "p12" or "crt" or "cer" or "txt" or "xml" or "yaml" or "yml"
            or "config" or "env" or "dll" or "exe" or "cs" or "html" or "png" or "jpg" or "csv";
    }

    private static bool IsMostlyMask(string value)
    {
        var mask = 0;
        var run = 1;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (MaskCharacters.IndexOf(c) >= 0)
            {
                mask++;
            }

            run = i > 0 && value[i - 1] == c ? run + 1 : 1;
            if (run >= 4 && c is 'x' or 'X' or '*' or '#' or '.')
            {
                return true;
            }
        }

        // A short value is a mask only when it is all mask ("x", "**"); "x1" is a (weak) value.
        return value.Length < 4 ? mask == value.Length : mask * 2 >= value.Length;
    }

    private static bool HasYourNextToKeyWord(string value)
    {
        if (value.IndexOf("your", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return false;
        }

        var your = false;
        var key = false;
        foreach (var word in Words.Split(value))
        {
            if (word.Equals("your", StringComparison.OrdinalIgnoreCase)
                || (word.StartsWith("your", StringComparison.OrdinalIgnoreCase) && KeyWords.Contains(word.Substring(4))))
            {
                your = true;
                key |= word.Length > 4;
            }
            else if (KeyWords.Contains(word))
            {
                key = true;
            }
        }

        return your && key;
    }

    private static bool Contains(string value, string part) => value.IndexOf(part, StringComparison.Ordinal) >= 0;
}
