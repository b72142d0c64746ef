using AgentSafety.Analyzers.AgentModel;

namespace AgentSafety.Analyzers.Secrets;

/// <summary>Where a value goes: the name it is given, and the credential sink it is passed to.</summary>
internal readonly struct SecretContext
{
    public SecretContext(string? name, CredentialSink sink)
    {
        Name = name;
        Sink = sink;
    }

    /// <summary>The variable, field, property, parameter or key the value initializes or is assigned to.</summary>
    public string? Name { get; }

    public CredentialSink Sink { get; }

    public bool IsEmpty => Name is null && !Sink.IsSink;
}

/// <summary>
/// Decides whether a value is a hardcoded secret. First by its shape alone (a known key format; a password inside a
/// connection string or URL), then by where it goes: a credential sink takes any real-looking value, a password name
/// even a weak one, and any other secret name a value random enough to be a key.
/// </summary>
internal sealed class SecretDetector
{
    private const int MinCredentialLength = 8;
    private const int MinRandomLength = 12;
    private const int MinAuthLength = 16;
    private const int MaxPasswordLength = 256;
    private const int AwsSecretLength = 40;

    private static readonly string[] AuthorizationSchemes = { "Bearer", "Basic", "Token", "Bot", "ApiKey", "SharedAccessSignature", "SSWS", "Digest" };

    private readonly SecretSettings _settings;

    public SecretDetector(SecretSettings settings) => _settings = settings;

    public SecretSettings Settings => _settings;

    /// <summary>A secret recognisable by shape in <c>value[start..end)</c>, whatever the value's context.</summary>
    public bool TryScan(string value, int start, int end, out SecretFinding finding)
    {
        if (SecretFormats.TryFind(value, start, end, out finding)
            && !Placeholders.IsDocumentationExample(value.Substring(finding.Start, finding.Length))
            && !_settings.IsExcluded(value.Substring(finding.Start, finding.Length)) && !_settings.IsExcluded(value))
        {
            return true;
        }

        if (!EmbeddedPasswords.MayHold(value, start, end))
        {
            finding = default;
            return false;
        }

        foreach (var embedded in EmbeddedPasswords.Find(value, start, end))
        {
            if (TryEmbedded(value, embedded, out finding))
            {
                return true;
            }
        }

        finding = default;
        return false;
    }

    /// <summary>
    /// A pair's value under a password key (<c>Password=</c>, <c>passwd=</c>, <c>user_password=</c>,
    /// <c>userpassword=</c>: even weak values), a URL's password, or a random value under another secret key
    /// (<c>token=</c>, <c>Secret=</c>, <c>api_key: </c>).
    /// </summary>
    private bool TryEmbedded(string value, EmbeddedValue embedded, out SecretFinding finding)
    {
        finding = default;
        if (embedded.IsUrlPassword || IsPasswordKey(value, embedded.KeyStart, embedded.KeyLength))
        {
            if (!IsPassword(value.Substring(embedded.Start, embedded.Length)))
            {
                return false;
            }

            var kind = embedded.IsUrlPassword ? SecretKind.UrlPassword : SecretKind.ConnectionStringPassword;
            finding = new SecretFinding(kind, embedded.Start, embedded.Length, visiblePrefix: 0);
            return true;
        }

        var match = _settings.Names.Classify(value.Substring(embedded.KeyStart, embedded.KeyLength));
        if (!match.IsSecret)
        {
            return false;
        }

        // Outside a password the value is one token: it ends at a space.
        var length = 0;
        while (length < embedded.Length && !Chars.IsWhiteSpace(value[embedded.Start + length]))
        {
            length++;
        }

        var candidate = value.Substring(embedded.Start, length);
        if (match.IsAwsSecret && IsAwsSecretShaped(candidate))
        {
            finding = new SecretFinding(SecretKind.AwsSecretAccessKey, embedded.Start, length, visiblePrefix: 0);
            return true;
        }

        if (IsRandomKey(candidate) && (!match.NeedsLongValue || length >= MinAuthLength))
        {
            finding = new SecretFinding(match.Kind!, embedded.Start, length, visiblePrefix: 0);
            return true;
        }

        return false;
    }

    /// <summary>A key whose value is judged as a secret: a password key, or a name the settings call secret.</summary>
    public bool IsSecretKey(string key) => IsPasswordKey(key, 0, key.Length) || _settings.Names.Classify(key).IsSecret;

    private static readonly string[] PasswordKeyEndings = { "password", "passwd", "pwd", "passphrase" };

    /// <summary>A key whose letters end with a password word: <c>Password</c>, <c>Pwd</c>, <c>user_password</c>, <c>userpassword</c>.</summary>
    private static bool IsPasswordKey(string text, int keyStart, int keyLength)
    {
        foreach (var ending in PasswordKeyEndings)
        {
            // Letters from the end of the key backwards, skipping separators and digits.
            var p = keyStart + keyLength - 1;
            var matched = ending.Length - 1;
            while (p >= keyStart && matched >= 0)
            {
                var c = text[p];
                if (Chars.IsLetter(c))
                {
                    if ((Chars.IsUpper(c) ? (char)(c + 32) : c) != ending[matched])
                    {
                        break;
                    }

                    matched--;
                }
                else if (matched != ending.Length - 1 || !Chars.IsDigit(c))
                {
                    break;
                }

                p--;
            }

            if (matched < 0)
            {
                return true;
            }
        }

        return false;
    }

    public bool TryScan(string value, out SecretFinding finding) => TryScan(value, 0, value.Length, out finding);

    /// <summary>
    /// False when <see cref="TryClassify"/> answers false for <paramref name="context"/> whatever the value: no sink,
    /// and no name or one the settings do not call secret.
    /// </summary>
    public bool MayClassify(SecretContext context)
        => context.Sink.IsSink || (context.Name is { } name && _settings.Names.Classify(name).IsSecret);

    /// <summary>A secret recognisable by where <paramref name="value"/> goes (a sink, a secret name).</summary>
    public bool TryClassify(string value, SecretContext context, out SecretFinding finding)
    {
        finding = default;
        if (context.Sink.IsSink && SinkHoldsSecret(value, context.Sink, out finding))
        {
            return true;
        }

        if (context.Name is not { } name)
        {
            return false;
        }

        var match = _settings.Names.Classify(name);
        if (!match.IsSecret)
        {
            return false;
        }

        if (match.IsAwsSecret && IsAwsSecretShaped(value))
        {
            finding = new SecretFinding(SecretKind.AwsSecretAccessKey, 0, value.Length, visiblePrefix: 0);
            return true;
        }

        var secret = match.IsPassword ? IsPassword(value) : IsRandomKey(value) && (!match.NeedsLongValue || value.Length >= MinAuthLength);
        finding = secret ? new SecretFinding(match.Kind!, 0, value.Length, visiblePrefix: 0) : default;
        return secret;
    }

    private bool SinkHoldsSecret(string value, CredentialSink sink, out SecretFinding finding)
    {
        finding = default;
        var start = 0;
        if (sink.Kind is CredentialKind.AuthorizationHeader or CredentialKind.ApiKey)
        {
            start = SchemeLength(value);
        }

        var candidate = start == 0 ? value : value.Substring(start);
        var secret = sink.Kind switch
        {
            CredentialKind.Password => IsPassword(candidate),
            CredentialKind.AwsSecretAccessKey => IsAwsSecretShaped(candidate) || IsCredential(candidate),
            _ => IsCredential(candidate),
        };

        if (secret)
        {
            var kind = KindOf(sink, value, start);
            finding = new SecretFinding(kind, start, candidate.Length, visiblePrefix: 0);
        }

        return secret;
    }

    private static SecretKind KindOf(CredentialSink sink, string value, int schemeLength) => sink.Kind switch
    {
        CredentialKind.Password => SecretKind.Password,
        CredentialKind.AwsSecretAccessKey => SecretKind.AwsSecretAccessKey,
        CredentialKind.SharedAccessSignature => SecretKind.AzureSharedAccessSignature,
        CredentialKind.BasicCredentials => SecretKind.BasicCredentials,
        CredentialKind.AuthorizationHeader when value.StartsWith("Basic", StringComparison.OrdinalIgnoreCase) && schemeLength > 0 => SecretKind.BasicCredentials,
        CredentialKind.AuthorizationHeader => SecretKind.BearerToken,
        CredentialKind.Token when sink.Provider == CredentialProvider.Anthropic => SecretKind.AnthropicOAuthToken,
        CredentialKind.Token => SecretKind.Token,
        _ => sink.Provider switch
        {
            CredentialProvider.OpenAI => SecretKind.OpenAIApiKey,
            CredentialProvider.AzureOpenAI => SecretKind.AzureOpenAIApiKey,
            CredentialProvider.Anthropic => SecretKind.AnthropicApiKey,
            _ => SecretKind.ApiKey,
        },
    };

    /// <summary>The length of a leading authorization scheme and the spaces after it (<c>Bearer </c>), or 0.</summary>
    private static int SchemeLength(string value)
    {
        foreach (var scheme in AuthorizationSchemes)
        {
            if (value.Length > scheme.Length + 1 && Chars.AtIgnoreCase(value, 0, value.Length, scheme) && value[scheme.Length] == ' ')
            {
                var p = scheme.Length;
                while (p < value.Length && value[p] == ' ')
                {
                    p++;
                }

                return p;
            }
        }

        return 0;
    }

    /// <summary>
    /// A password where even weak values count (RULES-NOTES): any non-empty value but a template, a placeholder word
    /// (<c>example</c>, <c>invalid</c>, ...), a "no value" word, a name of a secret (<c>DB_PASSWORD</c>,
    /// <c>password</c>), a SQL bind parameter (<c>@p</c>), a route (<c>/users/reset-password</c>),
    /// whitespace-separated text or a user exclusion. A value shorter than three characters needs a letter or digit.
    /// </summary>
    private bool IsPassword(string value)
        => value.Length is >= 1 and <= MaxPasswordLength
           && (value.Length >= 3 || HasAlphanumeric(value))
           && !Chars.HasWhiteSpace(value)
           && !Placeholders.IsTemplate(value)
           && !Placeholders.IsNoValue(value)
           && !Placeholders.HasStrongPlaceholderWord(value)
           && !Placeholders.IsBindParameter(value)
           && !Placeholders.IsRoute(value)
           && !Placeholders.IsEnvironmentVariableName(value)
           && !Placeholders.IsSecretReference(value, _settings.Names)
           && !_settings.IsExcluded(value);

    private static bool HasAlphanumeric(string value)
    {
        foreach (var c in value)
        {
            if (Chars.IsAlphanumeric(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value a credential parameter takes seriously: no placeholder of any kind, not a name or a location.</summary>
    private bool IsCredential(string value)
        => value.Length >= MinCredentialLength
           && !Chars.HasWhiteSpace(value)
           && !Placeholders.IsTemplate(value)
           && !Placeholders.HasPlaceholderWord(value)
           && !Placeholders.IsEnvironmentVariableName(value)
           && !Placeholders.IsCredentialHeaderName(value)
           && !Placeholders.IsConfigurationPath(value)
           && !Placeholders.IsLocation(value)
           && !Placeholders.IsRoute(value)
           && !SecretFormats.IsPublicKey(value)
           && !Placeholders.IsSecretReference(value, _settings.Names)
           && !_settings.IsExcluded(value);

    /// <summary>A credential-like value random enough to be a key: letters and digits, and entropy above the threshold.</summary>
    private bool IsRandomKey(string value)
    {
        if (value.Length < MinRandomLength)
        {
            return false;
        }

        bool letter = false, digit = false;
        foreach (var c in value)
        {
            letter |= Chars.IsLetter(c);
            digit |= Chars.IsDigit(c);
        }

        return letter && digit && Entropy.Of(value) >= _settings.MinEntropy && IsCredential(value);
    }

    /// <summary>40 base64 characters with upper case, lower case and digits: the shape of an AWS secret access key.</summary>
    private bool IsAwsSecretShaped(string value)
    {
        if (value.Length != AwsSecretLength)
        {
            return false;
        }

        bool upper = false, lower = false, digit = false;
        foreach (var c in value)
        {
            if (!Chars.IsBase64OrPadding(c))
            {
                return false;
            }

            upper |= Chars.IsUpper(c);
            lower |= Chars.IsLower(c);
            digit |= Chars.IsDigit(c);
        }

        return upper && lower && digit && Entropy.Of(value) >= 3.5 && !Placeholders.IsTemplate(value) && !_settings.IsExcluded(value);
    }
}
