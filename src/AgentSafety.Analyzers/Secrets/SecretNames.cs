using System.Collections.Immutable;

namespace AgentSafety.Analyzers.Secrets;

/// <summary>
/// Whether a name (variable, field, property, parameter, configuration key) says it holds a secret. Names are
/// compared word by word (<c>openAiApiKey</c> → open, ai, api, key), so <c>tokenizer</c> is not <c>token</c> and
/// <c>maxTokens</c> (a count) is not a secret. A name that describes a secret without holding one — a secret word
/// followed by Name, Path, Header, Count, ... (<c>secretName</c>, <c>ApiKeyHeader</c>, <c>passwordQuestion</c>) — is
/// not secret-named.
/// </summary>
internal sealed class SecretNames
{
    /// <summary>The words when <c>agentsafety.AGS001.secret_words</c> is not set.</summary>
    public const string DefaultWords =
        "password, passwd, pwd, passphrase, secret, api_key, access_key, secret_key, token, access_token, auth_token, credential, credentials, client_secret, private_key, auth";

    private const int MaxWordsPerEntry = 4;

    /// <summary>A word that makes a name secret-named only for a value of 16 characters or more (<c>auth</c>, <c>x-auth</c>).</summary>
    private const string WeakWord = "auth";

    private static readonly HashSet<string> PasswordWords = new(StringComparer.Ordinal) { "password", "passwd", "pwd", "passphrase" };

    /// <summary>Words that, after a secret word, make the name describe the secret instead of holding it.</summary>
    private static readonly HashSet<string> DescriptiveWords = new(StringComparer.Ordinal)
    {
        // RULES-NOTES
        "name", "path", "file", "header", "route", "url", "uri", "question", "format", "count", "length", "id", "field",
        "label", "hint", "prompt", "policy", "endpoint", "type", "kind",
        // Same idea, seen in the wild: rules, lookups and metadata about a secret.
        "names", "paths", "files", "headers", "hash", "hashed", "pattern", "regex", "prefix", "suffix", "version",
        "variable", "var", "env", "section", "setting", "settings", "expiry", "expiration", "expires", "lifetime",
        "timeout", "size", "limit", "limits", "min", "max", "location", "reference", "ref", "placeholder", "text",
        "message", "description", "title", "scheme", "parameter", "param", "claim", "scope", "scopes", "audience",
        "issuer", "provider", "store", "vault", "manager", "service", "client", "generator", "validator", "options",
        "config", "configuration", "mode", "status", "state", "index", "key",
    };

    private readonly HashSet<string> _words;

    /// <summary>True for a word that, after a secret word, makes a name describe the secret (<c>name</c>, <c>header</c>, <c>hash</c>).</summary>
    public static bool IsDescriptive(string word) => DescriptiveWords.Contains(word);

    public SecretNames(ImmutableArray<string> words)
    {
        _words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var normalized = string.Concat(Words.Split(word));
            if (normalized.Length > 0)
            {
                _words.Add(normalized);
            }
        }

        _entries = _words.ToArray();
        foreach (var entry in _entries)
        {
            // An entry of one character, or of a character outside a-z0-9, is searched the plain way.
            if (entry.Length < 2 || BigramIndex(entry[0], entry[1]) < 0)
            {
                _startsWithPair = null;
                break;
            }

            (_startsWithPair ??= new bool[BigramCount])[BigramIndex(entry[0], entry[1])] = true;
        }
    }

    private const int BigramCount = 36 * 36;

    private readonly string[] _entries;

    /// <summary>The pairs of letters or digits an entry starts with (null: search every entry the plain way).</summary>
    private readonly bool[]? _startsWithPair;

    /// <summary>The index of a pair of lower-case letters or digits, or -1.</summary>
    private static int BigramIndex(char first, char second)
    {
        var a = AlphanumericIndex(first);
        var b = AlphanumericIndex(second);
        return a < 0 || b < 0 ? -1 : (a * 36) + b;
    }

    private static int AlphanumericIndex(char c) => c is >= 'a' and <= 'z' ? c - 'a' : c is >= '0' and <= '9' ? 26 + (c - '0') : -1;

    public static SecretNames Default { get; } = new(SplitEntries(DefaultWords));

    public static ImmutableArray<string> SplitEntries(string value)
        => value.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Trim())
            .Where(entry => entry.Length > 0)
            .ToImmutableArray();

    /// <summary>
    /// What <paramref name="name"/> says about its value. With <paramref name="ignoreDescriptiveWords"/> a name such as
    /// <c>ApiKeyHeader</c> still counts (used to recognise values that merely name a secret).
    /// </summary>
    public NameMatch Classify(string name, bool ignoreDescriptiveWords = false)
    {
        if (name.Length == 0)
        {
            return default;
        }

        // Most names hold no secret word: an entry matches concatenated words, so it stands in the name's letters and
        // digits run together; if no entry does, the name is settled without splitting it into words.
        if (!MayHoldEntry(name))
        {
            return default;
        }

        var words = Words.Split(name);
        string? matched = null;
        var matchedEnd = -1;
        var password = false;
        for (var i = 0; i < words.Count; i++)
        {
            var concatenated = string.Empty;
            for (var j = i; j < words.Count && j < i + MaxWordsPerEntry; j++)
            {
                concatenated += words[j];
                if (_words.Contains(concatenated) && !IsPublicKeyToken(words, i, j))
                {
                    // A stronger word wins over the weak one: authToken is a token.
                    matched = matched is null || (matched == WeakWord && concatenated != WeakWord) ? concatenated : matched;
                    password |= PasswordWords.Contains(concatenated);
                    matchedEnd = Math.Max(matchedEnd, j);
                }
            }
        }

        if (matched is null)
        {
            return default;
        }

        if (!ignoreDescriptiveWords)
        {
            for (var k = matchedEnd + 1; k < words.Count; k++)
            {
                if (DescriptiveWords.Contains(words[k]))
                {
                    return default;
                }
            }
        }

        var aws = words.Contains("secret") && (words.Contains("aws") || words.Contains("access"));
        var kind = password ? SecretKind.Password : KindOf(matched);
        return new NameMatch(kind, password, aws, needsLongValue: matched == WeakWord);
    }

    /// <summary><c>PublicKeyToken</c>: a strong-named assembly's public key token is public by design.</summary>
    private static bool IsPublicKeyToken(List<string> words, int first, int last)
        => first == last && first >= 2 && words[first] == "token" && words[first - 1] == "key" && words[first - 2] == "public";

    /// <summary>
    /// True when an entry stands in the name's letters and digits run together, lower-cased: one pass over the name
    /// (no string built), each entry compared only where the pair of characters it starts with does.
    /// </summary>
    internal bool MayHoldEntry(string name)
    {
        var pairs = _startsWithPair;
        if (pairs is null)
        {
            return MayHoldEntryPlain(name);
        }

        // p: the previous letter or digit (lower-cased) and its index in the name.
        var previous = '\0';
        var previousIndex = -1;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!Chars.IsAlphanumeric(c))
            {
                continue;
            }

            c = Chars.IsUpper(c) ? (char)(c + 32) : c;
            if (previousIndex >= 0 && pairs[BigramIndex(previous, c)] && EntryAt(name, previousIndex))
            {
                return true;
            }

            previous = c;
            previousIndex = i;
        }

        return false;
    }

    /// <summary>An entry that the name's letters and digits, from <paramref name="start"/> on, begin with.</summary>
    private bool EntryAt(string name, int start)
    {
        foreach (var entry in _entries)
        {
            var matched = 0;
            for (var i = start; i < name.Length && matched < entry.Length; i++)
            {
                var c = name[i];
                if (!Chars.IsAlphanumeric(c))
                {
                    continue;
                }

                if ((Chars.IsUpper(c) ? (char)(c + 32) : c) != entry[matched])
                {
                    break;
                }

                matched++;
            }

            if (matched == entry.Length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The plain search: the name's letters and digits run together, each entry looked for in them.</summary>
    internal bool MayHoldEntryPlain(string name)
    {
        var letters = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (Chars.IsAlphanumeric(c))
            {
                letters.Append(Chars.IsUpper(c) ? char.ToLowerInvariant(c) : c);
            }
        }

        var run = letters.ToString();
        foreach (var entry in _words)
        {
            if (run.IndexOf(entry, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static SecretKind KindOf(string word) => word switch
    {
        "apikey" => SecretKind.ApiKey,
        "accesskey" => SecretKind.AccessKey,
        "token" or "accesstoken" or "authtoken" or "bearertoken" => SecretKind.Token,
        "clientsecret" => SecretKind.ClientSecret,
        "privatekey" => SecretKind.PrivateKey,
        "credential" or "credentials" => SecretKind.Credential,
        _ => SecretKind.Secret,
    };
}

/// <summary>What a name says: nothing, a secret of some kind, a password (weak values count), or an AWS secret key.</summary>
internal readonly struct NameMatch
{
    public NameMatch(SecretKind kind, bool isPassword, bool isAwsSecret, bool needsLongValue = false)
    {
        Kind = kind;
        IsPassword = isPassword;
        IsAwsSecret = isAwsSecret;
        NeedsLongValue = needsLongValue;
    }

    public SecretKind? Kind { get; }

    public bool IsSecret => Kind is not null;

    public bool IsPassword { get; }

    public bool IsAwsSecret { get; }

    /// <summary>Only the weak word <c>auth</c> matched: the value must also be 16 characters or more.</summary>
    public bool NeedsLongValue { get; }
}
