using System.Collections.Immutable;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// Whether a name (a parameter, variable, property) may carry a secret, for fixes that write values into traces and
/// logs. It answers a wider question than AGS001's <see cref="Secrets.SecretNames"/> (which decides whether a literal
/// under a name is a hardcoded secret) and asks it first. Secret-ish names: password, passwd, pwd, passphrase, secret,
/// API key, access key, token, credential, client secret, private key, connection string — in any casing and with
/// any separators (<c>apiKey</c>, <c>API_KEY</c>, <c>x-api-key</c>, <c>githubToken</c>, <c>dbpassword</c>). Names
/// that describe a secret without holding one are not secret: a secret word followed by Name, Path, File, Header,
/// Route, Url, Uri, Question, Format, Count, Length, Id, Field, Label, Hint, Prompt, Policy, Endpoint, Type, Kind
/// (<c>secretName</c>, <c>privateKeyPath</c>, <c>ApiKeyHeader</c>, <c>passwordQuestion</c>), and token counts
/// (<c>maxTokens</c>, <c>tokenCount</c>, <c>inputTokens</c>). Fixes never write a secret-named value into a trace
/// or a log.
/// <para>
/// Two questions, for two askers: <see cref="IsSecretName"/> ("may this name carry a secret", wide: fixes never write
/// such a value into a trace) and <see cref="HoldsSecret"/> ("does this name say its value is a secret", narrow:
/// AGS008 reports such a value reaching a log). <see cref="KeyHoldsSecret"/> asks the second of a configuration key
/// or an environment variable's name.
/// </para>
/// </summary>
internal static class SecretNames
{
    /// <summary>Secrets written as one word, or as the run-together form of several (<c>apikey</c>).</summary>
    private static readonly ImmutableArray<string> SecretWords = ImmutableArray.Create(
        "password", "passwords", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "tokens",
        "credential", "credentials", "apikey", "accesskey", "clientsecret", "privatekey", "connectionstring");

    /// <summary>
    /// A part of every word <see cref="HoldsSecret"/> takes for a secret (AGS001's default words but the weak
    /// <c>auth</c>: password, pwd, secret, api key, token, credential, ...), for text searches that rule out code naming
    /// no secret: a secret name holds one of them in any casing unless it spells the word across separators.
    /// </summary>
    public static readonly ImmutableArray<string> SecretWordParts = ImmutableArray.Create("pass", "pwd", "secret", "key", "token", "credential");

    /// <summary>The words before <c>key</c> that make it a secret (<c>apiKey</c>, <c>ACCESS_KEY</c>, <c>private-key</c>); <c>secret key</c> holds <c>secret</c>.</summary>
    private static readonly ImmutableArray<string> KeyPrefixes = ImmutableArray.Create("api", "access", "private");

    /// <summary>
    /// False when the <paramref name="part"/> of <see cref="SecretWordParts"/> found at <paramref name="index"/> of
    /// <paramref name="text"/> cannot make the name around it secret: <c>key</c> not after api, access or private
    /// (<c>KeyValuePair</c>, <c>cacheKey</c>), <c>Token</c> after <c>Cancellation</c> (a protocol's token, whatever
    /// the rest of the name).
    /// </summary>
    public static bool MayBeSecretWordAt(string text, int index, string part)
    {
        switch (part)
        {
            case "key":
                var end = index;
                while (end > 0 && text[end - 1] is '_' or '-' or '.' or ' ')
                {
                    end--;
                }

                foreach (var prefix in KeyPrefixes)
                {
                    if (end >= prefix.Length && string.Compare(text, end - prefix.Length, prefix, 0, prefix.Length, StringComparison.OrdinalIgnoreCase) == 0)
                    {
                        return true;
                    }
                }

                return false;
            case "token":
                const string cancellation = "Cancellation";
                return !(index >= cancellation.Length
                         && string.Compare(text, index - cancellation.Length, cancellation, 0, cancellation.Length, StringComparison.OrdinalIgnoreCase) == 0
                         && char.IsUpper(text[index]));
            default:
                return true;
        }
    }

    /// <summary>Secrets written as two words (<c>api_key</c>, <c>PrivateKey</c>).</summary>
    private static readonly ImmutableArray<(string First, string Second)> SecretPairs = ImmutableArray.Create(
        ("api", "key"), ("api", "keys"), ("access", "key"), ("access", "keys"), ("client", "secret"),
        ("private", "key"), ("connection", "string"));

    /// <summary>A secret word followed by one of these describes the secret (<c>secretName</c>, <c>tokenCount</c>).</summary>
    private static readonly HashSet<string> DescribingWords = NameSet.Of("name", "path", "file", "header", "route", "url", "uri", "question", "format", "count", "length", "id", "field",
        "label", "hint", "prompt", "policy", "endpoint", "type", "kind");

    /// <summary>Before <c>token(s)</c>, these make a count of model tokens (<c>maxTokens</c>, <c>promptTokens</c>).</summary>
    private static readonly HashSet<string> CountWords = NameSet.Of("max", "min", "num", "number", "total", "limit", "remaining", "used", "input", "output", "prompt", "completion",
        "reasoning", "cached", "estimated");

    /// <summary>Before <c>token</c>, these make a token of a protocol, not a credential (<c>continuationToken</c>, <c>progressToken</c>).</summary>
    private static readonly HashSet<string> ProtocolTokenWords = NameSet.Of("continuation", "page", "paging", "pagination", "next", "sync", "resume", "progress",
        "cancellation", "cancel", "change", "correlation", "idempotency", "cursor", "skip", "delta", "stop", "end", "start", "special", "bos", "eos");

    /// <summary>
    /// True when <paramref name="name"/> says its value is a secret, as AGS001 reads names (its default words and its
    /// "describes a secret" exclusions: <c>secretName</c>, <c>apiKeyHeader</c>, <c>tokenCount</c>, <c>passwordHash</c>),
    /// without the weak word <c>auth</c> (which AGS001 trusts only beside a long value), and without the tokens of a
    /// protocol or a tokenizer (<c>continuationToken</c>, <c>nextPageToken</c>, <c>maxTokens</c>, <c>eosToken</c>).
    /// </summary>
    public static bool HoldsSecret(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var match = Secrets.SecretNames.Default.Classify(name!);
        if (!match.IsSecret || match.NeedsLongValue)
        {
            return false;
        }

        var words = Secrets.Words.Split(name!);
        var first = -1;
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] is "token" or "tokens" && i > 0 && (ProtocolTokenWords.Contains(words[i - 1]) || CountWords.Contains(words[i - 1])))
            {
                return false;
            }

            // The end of the first secret word: a two-word one (api key, secret key) ends at its second word.
            if (first < 0)
            {
                first = i + 1 < words.Count && IsSecretWord(words[i] + words[i + 1]) ? i + 1 : IsSecretWord(words[i]) ? i : -1;
            }
        }

        // A describing word anywhere after the first secret word (AGS001 looks after the last one only):
        // TokenEndpointAuthMethod is a method of authenticating at the token endpoint.
        for (var k = first + 1; first >= 0 && k < words.Count; k++)
        {
            if (Secrets.SecretNames.IsDescriptive(words[k]) || MoreDescribingWords.Contains(words[k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Words that, after a secret word, describe it in protocols and settings (<c>TokenEndpointAuthMethod</c>, <c>passwordGrant</c>).</summary>
    private static readonly HashSet<string> MoreDescribingWords = NameSet.Of("method", "methods", "grant", "flow", "usage", "algorithm", "request", "response", "endpoint",
        "exchange", "refresh", "validation", "validator", "handler", "cache", "source", "info", "details", "metadata");

    private static bool IsSecretWord(string word) => Secrets.SecretNames.Default.Classify(word) is { IsSecret: true, NeedsLongValue: false };

    /// <summary>
    /// True for a name that is the bare word <c>token</c> (<c>token</c>, <c>_token</c>, <c>Token</c>): in agent code a
    /// parameter or local so named is as often a streamed model token (<c>onToken: token =&gt; Console.Write(token)</c>)
    /// as a credential, so AGS008 takes it for a secret only when its value visibly comes from one.
    /// </summary>
    public static bool IsBareToken(string name)
    {
        var words = Secrets.Words.Split(name);
        return words.Count == 1 && words[0] == "token";
    }

    /// <summary>
    /// True when the last segment of a configuration key or an environment variable's name holds a secret
    /// (<c>"OpenAI:ApiKey"</c>, <c>"OPENAI_API_KEY"</c>, <c>"Db__Password"</c>); the whole key when it has one segment.
    /// </summary>
    public static bool KeyHoldsSecret(string? key)
    {
        if (string.IsNullOrEmpty(key) || key!.Length > 200)
        {
            return false;
        }

        var colon = key.LastIndexOf(':');
        var underscores = key.LastIndexOf("__", StringComparison.Ordinal);
        var start = Math.Max(colon + 1, underscores >= 0 ? underscores + 2 : 0);
        return HoldsSecret(start > 0 ? key.Substring(start) : key);
    }

    public static bool IsSecretName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        // Redaction casts a wider net than detection: whatever AGS001 calls secret-named is never traced, and so
        // are names that may carry a secret without holding a raw one (passwordHash, connectionString, dbpassword).
        if (Secrets.SecretNames.Default.Classify(name!).IsSecret)
        {
            return true;
        }

        var words = Words(name!);
        for (var i = 0; i < words.Count; i++)
        {
            var next = i + 1 < words.Count ? words[i + 1] : null;
            var previous = i > 0 ? words[i - 1] : null;
            foreach (var (first, second) in SecretPairs)
            {
                if (words[i] == first && next == second)
                {
                    var after = i + 2 < words.Count ? words[i + 2] : null;
                    if (after is null || !DescribingWords.Contains(after))
                    {
                        return true;
                    }
                }
            }

            if (HoldsSecret(words[i], previous, next))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HoldsSecret(string word, string? previous, string? next)
    {
        foreach (var secret in SecretWords)
        {
            if (word == secret)
            {
                return !Describes(next) && !(IsToken(secret) && previous is not null && CountWords.Contains(previous));
            }

            // Run-together words: "dbpassword", "accesstoken", "maxtokens", "passwordhint".
            if (word.Length > secret.Length && word.EndsWith(secret, StringComparison.Ordinal))
            {
                var prefix = word.Substring(0, word.Length - secret.Length);
                if (!Describes(next) && !(IsToken(secret) && CountWords.Contains(prefix)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Describes(string? next) => next is not null && DescribingWords.Contains(next);

    private static bool IsToken(string secret) => secret is "token" or "tokens";

    /// <summary>Lower-case words of an identifier: split at separators, digits and case changes (<c>APIKey</c> → api, key).</summary>
    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var c = i < name.Length ? name[i] : '\0';
            var boundary = i == name.Length || !char.IsLetter(c)
                || (start >= 0 && char.IsUpper(c) && (char.IsLower(name[i - 1])
                    || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))));
            if (boundary && start >= 0)
            {
                words.Add(name.Substring(start, i - start).ToLowerInvariant());
                start = -1;
            }

            if (i < name.Length && char.IsLetter(c) && start < 0)
            {
                start = i;
            }
        }

        return words;
    }
}
