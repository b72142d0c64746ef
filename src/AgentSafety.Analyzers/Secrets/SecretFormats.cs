namespace AgentSafety.Analyzers.Secrets;

/// <summary>
/// Known key formats, recognised wherever they appear in a value (facts from gitleaks' public rules; our own
/// scanners). One forward pass: a format is tried only where its prefix starts a token (the character before is
/// not one of the format's own characters), every body is scanned with a bounded length, and so no run of characters
/// is scanned twice by the same format — linear in the value's length, with no regular expression to backtrack.
/// </summary>
internal static class SecretFormats
{
    /// <summary>The shortest format (an AWS access key id): shorter values are not scanned at all.</summary>
    public const int MinimumLength = 20;

    private const int MaxTokenLength = 400;

    private static readonly string[] GitLabPrefixes =
    {
        "glpat-", "gldt-", "glrt-", "glft-", "glsoat-", "glffct-", "glimt-", "glagent-", "gloas-", "glptt-", "glcbt-",
    };

    private static readonly string[] GitHubPrefixes = { "ghp_", "gho_", "ghu_", "ghs_", "ghr_" };

    private static readonly string[] AwsPrefixes = { "AKIA", "ASIA", "ABIA", "ACCA" };

    private static readonly string[] SlackPrefixes = { "xoxb-", "xoxp-", "xoxa-", "xoxe-", "xoxr-", "xoxs-", "xoxo-", "xoxe.xoxb-", "xoxe.xoxp-", "xapp-" };

    private static readonly string[] SlackWebhookPaths = { "services/", "workflows/", "triggers/" };

    private static readonly string[] OpenAIProjectPrefixes = { "sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-" };

    private static readonly string[] WebSchemes = { "https://", "http://" };

    /// <summary>Finds the first known-format secret in <paramref name="text"/>.</summary>
    public static bool TryFind(string text, out SecretFinding finding) => TryFind(text, 0, text.Length, out finding);

    /// <summary>
    /// The longest run of characters without white space that every format holds (<c>-----BEGIN</c>, the shortest: the
    /// other formats hold 20 or more, prefix and body): text with no such run (most messages) is not scanned.
    /// </summary>
    internal const int MinimumRun = 10;

    /// <summary>Finds the first known-format secret in <c>text[start..end)</c>.</summary>
    public static bool TryFind(string text, int start, int end, out SecretFinding finding)
    {
        finding = default;
        return end - start >= MinimumLength && HasRun(text, start, end, MinimumRun) && Scan(text, start, end, out finding);
    }

    /// <summary>
    /// True when <c>text[start..end)</c> holds <paramref name="length"/> characters in a row that are not white space
    /// (<see cref="Chars.IsWhiteSpace"/>). Looks at every <paramref name="length"/>-th character first: a white space
    /// there rules out every run through it, so spaced text is settled in a few looks.
    /// </summary>
    internal static bool HasRun(string text, int start, int end, int length)
    {
        // p is the last character of the window [p - length + 1, p] being tried.
        var p = start + length - 1;
        while (p < end)
        {
            if (Chars.IsWhiteSpace(text[p]))
            {
                p += length;
                continue;
            }

            var k = p - 1;
            while (k > p - length && !Chars.IsWhiteSpace(text[k]))
            {
                k--;
            }

            if (k == p - length)
            {
                return true;
            }

            // text[k] is white space: the next window starts after it.
            p = k + length;
        }

        return false;
    }

    /// <summary><see cref="TryFind(string, int, int, out SecretFinding)"/> without the run test: every character tried (for tests).</summary>
    internal static bool Scan(string text, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (end - start < MinimumLength)
        {
            return false;
        }

        for (var i = start; i < end; i++)
        {
            // The second character picks the candidates, so most characters cost one or two comparisons.
            var next = i + 1 < end ? text[i + 1] : '\0';
            var found = text[i] switch
            {
                's' when next == 'k' => OpenAIOrAnthropic(text, i, start, end, out finding) || Stripe(text, i, start, end, out finding),
                's' when next == 'i' => SasSignature(text, i, start, end, out finding),
                'r' when next == 'k' => Stripe(text, i, start, end, out finding),
                'A' when next is 'K' or 'S' or 'B' or 'C' or '3' => Aws(text, i, start, end, out finding),
                'A' when next == 'I' => GoogleApiKey(text, i, start, end, out finding),
                'A' or 'a' when next is 'c' or 'C' => AzureConnectionKey(text, i, start, end, out finding),
                'S' when next == 'G' => SendGrid(text, i, start, end, out finding),
                'S' when next == 'K' => Twilio(text, i, start, end, out finding),
                'S' or 's' when next is 'h' or 'H' => AzureConnectionKey(text, i, start, end, out finding),
                'g' when next is 'h' or 'i' => GitHub(text, i, start, end, out finding),
                'g' when next == 'l' => GitLab(text, i, start, end, out finding),
                'g' when next == 's' => Groq(text, i, start, end, out finding),
                'G' when next == 'O' => GoogleOAuth(text, i, start, end, out finding),
                'G' when next == 'R' => GitLabRunnerRegistration(text, i, start, end, out finding),
                'x' when next is 'o' or 'a' => Slack(text, i, start, end, out finding),
                'h' when next == 'f' => HuggingFace(text, i, start, end, "hf_", out finding),
                'h' when next == 'o' => SlackWebhook(text, i, start, end, out finding),
                'a' when next == 'p' => HuggingFace(text, i, start, end, "api_org_", out finding),
                'n' when next == 'p' => Npm(text, i, start, end, out finding),
                'o' when next == 'y' => NuGet(text, i, start, end, out finding),
                'd' when next == 'a' => Databricks(text, i, start, end, out finding),
                'd' when next == 'o' => DigitalOcean(text, i, start, end, out finding),
                'e' when next == 'y' => Jwt(text, i, start, end, out finding),
                '-' when next == '-' => PemPrivateKey(text, i, start, end, out finding),
                '~' => AzureAdClientSecret(text, i, start, end, out finding),
                _ => false,
            };

            if (found)
            {
                return true;
            }
        }

        finding = default;
        return false;
    }

    /// <summary>Publishable keys are public by design (RULES-NOTES): never secrets, whatever they are called.</summary>
    public static bool IsPublicKey(string value)
        => value.StartsWith("pk_live_", StringComparison.Ordinal) || value.StartsWith("pk_test_", StringComparison.Ordinal);

    // sk-proj-/sk-svcacct-/sk-admin-/sk-None- + 40..300 key characters; legacy sk- + 20 + T3BlbkFJ + 20 (the marker is
    // "OpenAI" in base64). Anthropic: sk-ant-api03-/sk-ant-admin01- + 93 + "AA"; OAuth sk-ant-oat01-/sk-ant-ort01- + 40+.
    private static bool OpenAIOrAnthropic(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "sk-") || !TokenStart(text, i, start, Chars.IsWordOrDash))
        {
            return false;
        }

        if (Chars.At(text, i, end, "sk-ant-"))
        {
            var p = i + 7;
            var api = Chars.At(text, p, end, "api03-");
            if (api || Chars.At(text, p, end, "admin01-"))
            {
                var bodyStart = p + (api ? 6 : 8);
                var body = Chars.Run(text, bodyStart, end, 95, Chars.IsWordOrDash);
                return body == 95 && text[bodyStart + 93] == 'A' && text[bodyStart + 94] == 'A'
                       && Accept(text, i, bodyStart, body, 3.0, api ? SecretKind.AnthropicApiKey : SecretKind.AnthropicAdminKey, 4, out finding);
            }

            if (Chars.At(text, p, end, "oat01-") || Chars.At(text, p, end, "ort01-"))
            {
                var body = Chars.Run(text, p + 6, end, MaxTokenLength, Chars.IsWordOrDash);
                return body is >= 40 and <= MaxTokenLength && Accept(text, i, p + 6, body, 3.0, SecretKind.AnthropicOAuthToken, 4, out finding);
            }

            return false;
        }

        if (PrefixAt(text, i, end, OpenAIProjectPrefixes) is { } project)
        {
            var bodyStart = i + project.Length;
            var body = Chars.Run(text, bodyStart, end, MaxTokenLength, Chars.IsWordOrDash);
            var kind = project == "sk-admin-" ? SecretKind.OpenAIAdminKey : SecretKind.OpenAIApiKey;
            return body is >= 40 and <= MaxTokenLength && Accept(text, i, bodyStart, body, 3.0, kind, 4, out finding);
        }

        var legacy = Chars.Run(text, i + 3, end, 48, Chars.IsAlphanumeric);
        return legacy == 48 && Chars.At(text, i + 23, end, "T3BlbkFJ") && !NextIs(text, i + 51, end, Chars.IsWordOrDash)
               && Accept(text, i, i + 3, 48, 3.0, SecretKind.OpenAIApiKey, 4, out finding);
    }

    // sk_live_/sk_test_/rk_live_/rk_test_ + 16..255 alphanumerics. A known format wins over the word "test".
    private static bool Stripe(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!(Chars.At(text, i, end, "sk_") || Chars.At(text, i, end, "rk_"))
            || !(Chars.At(text, i + 3, end, "live_") || Chars.At(text, i + 3, end, "test_"))
            || !TokenStart(text, i, start, Chars.IsWord))
        {
            return false;
        }

        var body = Chars.Run(text, i + 8, end, 255, Chars.IsAlphanumeric);
        var kind = text[i] == 's' ? SecretKind.StripeSecretKey : SecretKind.StripeRestrictedKey;
        return body is >= 16 and <= 255 && !NextIs(text, i + 8 + body, end, Chars.IsWord)
               && Accept(text, i, i + 8, body, 3.0, kind, 4, out finding);
    }

    // (AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9]) + 16 [A-Z0-9]: exactly 20 upper-case alphanumerics.
    private static bool Aws(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!(Chars.At(text, i, end, "A3T") || PrefixAt(text, i, end, AwsPrefixes) is not null) || !TokenStart(text, i, start, Chars.IsAlphanumeric))
        {
            return false;
        }

        var run = Chars.Run(text, i, end, 20, Chars.IsUpperAlphanumeric);
        return run == 20 && !NextIs(text, i + 20, end, Chars.IsAlphanumeric)
               && Accept(text, i, i, 20, 3.0, SecretKind.AwsAccessKeyId, 4, out finding);
    }

    // AIza + 35 [A-Za-z0-9_-]
    private static bool GoogleApiKey(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "AIza") || !TokenStart(text, i, start, Chars.IsWordOrDash))
        {
            return false;
        }

        var body = Chars.Run(text, i + 4, end, 35, Chars.IsWordOrDash);
        return body == 35 && Accept(text, i, i + 4, 35, 3.5, SecretKind.GoogleApiKey, 4, out finding);
    }

    // GOCSPX- + 28 [A-Za-z0-9_-]
    private static bool GoogleOAuth(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "GOCSPX-") || !TokenStart(text, i, start, Chars.IsWordOrDash))
        {
            return false;
        }

        var body = Chars.Run(text, i + 7, end, 28, Chars.IsWordOrDash);
        return body == 28 && Accept(text, i, i + 7, 28, 3.0, SecretKind.GoogleOAuthClientSecret, 4, out finding);
    }

    // AccountKey= + base64 (storage), SharedAccessKey= + base64 (Service Bus, Event Hubs), in connection strings.
    private static bool AzureConnectionKey(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        SecretKind kind;
        int keyLength;
        int minimum;
        if (Chars.AtIgnoreCase(text, i, end, "AccountKey="))
        {
            (kind, keyLength, minimum) = (SecretKind.AzureStorageAccountKey, 11, 40);
        }
        else if (Chars.AtIgnoreCase(text, i, end, "SharedAccessKey="))
        {
            (kind, keyLength, minimum) = (SecretKind.AzureSharedAccessKey, 16, 32);
        }
        else if (Chars.AtIgnoreCase(text, i, end, "SharedAccessSignature="))
        {
            return SignatureIn(text, i + 22, end, SecretKind.AzureSharedAccessSignature, out finding);
        }
        else
        {
            return false;
        }

        if (!ConnectionStringKeyStart(text, i, start))
        {
            return false;
        }

        var valueStart = i + keyLength;
        var body = Chars.Run(text, valueStart, end, 512, Chars.IsBase64OrPadding);
        return body >= minimum && body <= 512 && Accept(text, valueStart, valueStart, body, 3.5, kind, 0, out finding);
    }

    // A SAS token's signature: ...&sig=<url-encoded base64> in a URL query that also has sv= (the service version).
    private static bool SasSignature(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "sig=") || i == start || text[i - 1] is not ('?' or '&'))
        {
            return false;
        }

        var windowStart = Math.Max(start, i - 256);
        var query = text.LastIndexOf('?', i - 1, i - windowStart);
        return query >= 0 && text.IndexOf("sv=", query, i - query, StringComparison.Ordinal) >= 0
               && SignatureIn(text, i, end, SecretKind.AzureSharedAccessSignature, out finding);
    }

    private static bool SignatureIn(string text, int from, int end, SecretKind kind, out SecretFinding finding)
    {
        finding = default;
        var limit = Math.Min(end, from + 2048);
        for (var p = from; p < limit; p++)
        {
            var c = text[p];
            if (c is ';' || Chars.IsWhiteSpace(c) || c is '"' or '\''
                || (c is 'S' or 's' && p > from && Chars.AtIgnoreCase(text, p, limit, "SharedAccessSignature=")))
            {
                // The value ends here; stopping at the next key keeps the scans of repeated keys from overlapping.
                return false;
            }

            if (c == 's' && Chars.At(text, p, limit, "sig=") && (p == from || text[p - 1] is '&' or '?'))
            {
                var body = Chars.Run(text, p + 4, end, 256, c2 => Chars.IsBase64OrPadding(c2) || c2 == '%');
                return body is >= 20 and <= 256 && Accept(text, p + 4, p + 4, body, 3.5, kind, 0, out finding);
            }
        }

        return false;
    }

    // SG. + 22 + . + 43 [A-Za-z0-9_-]
    private static bool SendGrid(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "SG.") || !TokenStart(text, i, start, c => Chars.IsWordOrDash(c) || c == '.'))
        {
            return false;
        }

        var first = Chars.Run(text, i + 3, end, 22, Chars.IsWordOrDash);
        if (first != 22 || !Chars.At(text, i + 25, end, "."))
        {
            return false;
        }

        var second = Chars.Run(text, i + 26, end, 43, Chars.IsWordOrDash);
        return second == 43 && Accept(text, i, i + 3, 66, 3.5, SecretKind.SendGridApiKey, 3, out finding);
    }

    // SK + 32 lower-case hex (Twilio API key)
    private static bool Twilio(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "SK") || !TokenStart(text, i, start, Chars.IsAlphanumeric))
        {
            return false;
        }

        var body = Chars.Run(text, i + 2, end, 32, Chars.IsLowerHex);
        return body == 32 && !NextIs(text, i + 34, end, Chars.IsAlphanumeric)
               && Accept(text, i, i + 2, 32, 3.0, SecretKind.TwilioApiKey, 2, out finding);
    }

    // ghp_/gho_/ghu_/ghs_/ghr_ + 36 alphanumerics; github_pat_ + 82 [A-Za-z0-9_]
    private static bool GitHub(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!TokenStart(text, i, start, Chars.IsWord))
        {
            return false;
        }

        if (Chars.At(text, i, end, "github_pat_"))
        {
            var fineGrained = Chars.Run(text, i + 11, end, 82, Chars.IsWord);
            return fineGrained == 82 && Accept(text, i, i + 11, 82, 3.0, SecretKind.GitHubToken, 4, out finding);
        }

        if (PrefixAt(text, i, end, GitHubPrefixes) is null)
        {
            return false;
        }

        var body = Chars.Run(text, i + 4, end, 36, Chars.IsAlphanumeric);
        return body == 36 && !NextIs(text, i + 40, end, Chars.IsWord)
               && Accept(text, i, i + 4, 36, 3.0, SecretKind.GitHubToken, 4, out finding);
    }

    // glpat- and its kin: 20+ [A-Za-z0-9_.-] (routable tokens are longer and carry a dot)
    private static bool GitLab(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "gl") || !TokenStart(text, i, start, Chars.IsWordOrDash))
        {
            return false;
        }

        if (PrefixAt(text, i, end, GitLabPrefixes) is not { } prefix)
        {
            return false;
        }

        var bodyStart = i + prefix.Length;
        var body = TrimTrailingDots(text, bodyStart, Chars.Run(text, bodyStart, end, MaxTokenLength, c => Chars.IsWordOrDash(c) || c == '.'));
        return body is >= 20 and <= MaxTokenLength && Accept(text, i, bodyStart, body, 3.0, SecretKind.GitLabToken, 4, out finding);
    }

    // GR1348941 + 20 [A-Za-z0-9_-] (GitLab runner registration token)
    private static bool GitLabRunnerRegistration(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "GR1348941") || !TokenStart(text, i, start, Chars.IsWordOrDash))
        {
            return false;
        }

        var body = Chars.Run(text, i + 9, end, 64, Chars.IsWordOrDash);
        return body is >= 20 and <= 64 && Accept(text, i, i + 9, body, 3.0, SecretKind.GitLabToken, 4, out finding);
    }

    // gsk_ + 48 alphanumerics
    private static bool Groq(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "gsk_") || !TokenStart(text, i, start, Chars.IsWord))
        {
            return false;
        }

        var body = Chars.Run(text, i + 4, end, 48, Chars.IsAlphanumeric);
        return body == 48 && !NextIs(text, i + 52, end, Chars.IsWord)
               && Accept(text, i, i + 4, 48, 3.5, SecretKind.GroqApiKey, 4, out finding);
    }

    // xoxb-/xoxp-/xoxa-/xoxe-/xoxr-/xoxs-/xoxo-/xoxe.xoxp-/xapp- + digit-led segments: 20+ [A-Za-z0-9-], 8+ digits
    private static bool Slack(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!TokenStart(text, i, start, c => Chars.IsWordOrDash(c) || c == '.'))
        {
            return false;
        }

        if (PrefixAt(text, i, end, SlackPrefixes) is { } prefix)
        {
            var bodyStart = i + prefix.Length;
            var body = Chars.Run(text, bodyStart, end, MaxTokenLength, c => Chars.IsAlphanumeric(c) || c == '-');
            if (body < 20 || body > MaxTokenLength || !Chars.IsDigit(text[bodyStart]))
            {
                return false;
            }

            var digits = 0;
            for (var p = bodyStart; p < bodyStart + body; p++)
            {
                digits += Chars.IsDigit(text[p]) ? 1 : 0;
            }

            return digits >= 8 && Accept(text, i, bodyStart, body, 2.5, SecretKind.SlackToken, 4, out finding);
        }

        return false;
    }

    // hooks.slack.com/services|workflows|triggers/ + 40+ [A-Za-z0-9+/_-]
    private static bool SlackWebhook(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "hooks.slack.com/"))
        {
            return false;
        }

        var p = i + 16;
        if (PrefixAt(text, p, end, SlackWebhookPaths) is not { } path)
        {
            return false;
        }

        var bodyStart = p + path.Length;
        var body = Chars.Run(text, bodyStart, end, MaxTokenLength, c => Chars.IsWordOrDash(c) || c is '+' or '/');
        if (body is < 40 or > MaxTokenLength)
        {
            return false;
        }

        var urlStart = i;
        foreach (var scheme in WebSchemes)
        {
            if (i - start >= scheme.Length && Chars.At(text, i - scheme.Length, end, scheme))
            {
                urlStart = i - scheme.Length;
            }
        }

        return Accept(text, urlStart, bodyStart, body, 3.0, SecretKind.SlackWebhookUrl, 4, out finding, bodyStart + body - urlStart);
    }

    // hf_ / api_org_ + 34 letters
    private static bool HuggingFace(string text, int i, int start, int end, string prefix, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, prefix) || !TokenStart(text, i, start, Chars.IsWord))
        {
            return false;
        }

        var bodyStart = i + prefix.Length;
        var body = Chars.Run(text, bodyStart, end, 34, Chars.IsLetter);
        return body == 34 && !NextIs(text, bodyStart + 34, end, Chars.IsWord)
               && Accept(text, i, bodyStart, 34, 3.0, SecretKind.HuggingFaceToken, 3, out finding);
    }

    // npm_ + 36 alphanumerics
    private static bool Npm(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "npm_") || !TokenStart(text, i, start, Chars.IsWord))
        {
            return false;
        }

        var body = Chars.Run(text, i + 4, end, 36, Chars.IsAlphanumeric);
        return body == 36 && !NextIs(text, i + 40, end, Chars.IsWord)
               && Accept(text, i, i + 4, 36, 3.0, SecretKind.NpmToken, 4, out finding);
    }

    // oy2 + 43 lower-case alphanumerics (nuget.org API key)
    private static bool NuGet(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "oy2") || !TokenStart(text, i, start, Chars.IsAlphanumeric))
        {
            return false;
        }

        var body = Chars.Run(text, i + 3, end, 43, Chars.IsLowerAlphanumeric);
        return body == 43 && !NextIs(text, i + 46, end, Chars.IsAlphanumeric)
               && Accept(text, i, i + 3, 43, 3.0, SecretKind.NuGetApiKey, 3, out finding);
    }

    // dapi + 32 [a-h0-9] (Databricks personal access token)
    private static bool Databricks(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "dapi") || !TokenStart(text, i, start, Chars.IsAlphanumeric))
        {
            return false;
        }

        var body = Chars.Run(text, i + 4, end, 32, c => Chars.IsDigit(c) || c is >= 'a' and <= 'h');
        return body == 32 && !NextIs(text, i + 36, end, Chars.IsAlphanumeric)
               && Accept(text, i, i + 4, 32, 3.0, SecretKind.DatabricksToken, 4, out finding);
    }

    // dop_v1_/doo_v1_/dor_v1_ + 64 lower-case hex
    private static bool DigitalOcean(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!(Chars.At(text, i, end, "dop_v1_") || Chars.At(text, i, end, "doo_v1_") || Chars.At(text, i, end, "dor_v1_"))
            || !TokenStart(text, i, start, Chars.IsWord))
        {
            return false;
        }

        var body = Chars.Run(text, i + 7, end, 64, Chars.IsLowerHex);
        return body == 64 && !NextIs(text, i + 71, end, Chars.IsAlphanumeric)
               && Accept(text, i, i + 7, 64, 3.0, SecretKind.DigitalOceanToken, 4, out finding);
    }

    // eyJ<header>.ey<payload>.<signature>: three base64url segments, the first two JSON objects.
    private static bool Jwt(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "eyJ") || !TokenStart(text, i, start, c => Chars.IsWordOrDash(c) || c == '.'))
        {
            return false;
        }

        var header = Chars.Run(text, i, end, 4096, Chars.IsWordOrDash);
        var p = i + header;
        if (header is < 10 or > 4096 || !Chars.At(text, p, end, ".ey"))
        {
            return false;
        }

        var payload = Chars.Run(text, p + 1, end, 16384, Chars.IsWordOrDash);
        p += 1 + payload;
        if (payload is < 10 or > 16384 || !Chars.At(text, p, end, "."))
        {
            return false;
        }

        var signature = Chars.Run(text, p + 1, end, 2048, Chars.IsWordOrDash);
        if (signature is < 10 or > 2048)
        {
            return false;
        }

        var total = p + 1 + signature - i;
        return Accept(text, i, p + 1, signature, 3.0, SecretKind.JsonWebToken, 3, out finding, total);
    }

    // -----BEGIN [A-Z ]*PRIVATE KEY----- then 64+ base64 characters (whitespace between lines allowed).
    private static bool PemPrivateKey(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        if (!Chars.At(text, i, end, "-----BEGIN"))
        {
            return false;
        }

        var header = Chars.Run(text, i + 10, end, 100, c => Chars.IsUpperAlphanumeric(c) || c is ' ' or '_' or '-');
        var headerEnd = i + 10 + header;
        if (header > 100 || header < 16 || string.CompareOrdinal(text, headerEnd - 16, "PRIVATE KEY-----", 0, 16) != 0)
        {
            return false;
        }

        var p = headerEnd;
        var base64 = 0;
        var bodyStart = -1;
        while (p < end && (Chars.IsBase64OrPadding(text[p]) || Chars.IsWhiteSpace(text[p])))
        {
            if (!Chars.IsWhiteSpace(text[p]))
            {
                bodyStart = bodyStart < 0 ? p : bodyStart;
                base64++;
            }

            p++;
        }

        if (base64 < 64 || Entropy.Of(text, bodyStart, Math.Min(64, p - bodyStart)) < 3.5)
        {
            return false;
        }

        if (Chars.At(text, p, end, "-----END"))
        {
            var close = Chars.Run(text, p + 8, end, 100, c => Chars.IsUpperAlphanumeric(c) || c is ' ' or '_');
            p += 8 + close;
            p += Chars.Run(text, p, end, 5, c => c == '-');
        }

        finding = new SecretFinding(SecretKind.PrivateKey, i, p - i, 4);
        return !Placeholders.IsTemplate(text.Substring(bodyStart, Math.Min(64, p - bodyStart)));
    }

    // [a-zA-Z0-9_~.]{3} + digit + "Q~" + [a-zA-Z0-9_~.-]{31,34}: found at its "~".
    private static bool AzureAdClientSecret(string text, int i, int start, int end, out SecretFinding finding)
    {
        finding = default;
        static bool Head(char c) => Chars.IsWord(c) || c is '~' or '.';
        static bool Body(char c) => Head(c) || c == '-';
        var secretStart = i - 5;
        if (secretStart < start || text[i - 1] != 'Q' || !Chars.IsDigit(text[i - 2])
            || !Head(text[i - 3]) || !Head(text[i - 4]) || !Head(text[i - 5])
            || !TokenStart(text, secretStart, start, Body))
        {
            return false;
        }

        var body = Chars.Run(text, i + 1, end, 34, Body);
        return body is >= 31 and <= 34 && Accept(text, secretStart, i + 1, body, 3.0, SecretKind.AzureAdClientSecret, 0, out finding, 6 + body);
    }

    /// <summary>
    /// Accepts a format match whose random part (<paramref name="bodyStart"/>, <paramref name="bodyLength"/>) looks
    /// random: entropy at least <paramref name="minEntropy"/> and no mask or "your key" wording.
    /// </summary>
    private static bool Accept(
        string text, int secretStart, int bodyStart, int bodyLength, double minEntropy, SecretKind kind, int visiblePrefix,
        out SecretFinding finding, int? secretLength = null)
    {
        var length = secretLength ?? bodyStart + bodyLength - secretStart;
        finding = new SecretFinding(kind, secretStart, length, visiblePrefix);
        if (Entropy.Of(text, bodyStart, bodyLength) < minEntropy)
        {
            return false;
        }

        var body = text.Substring(bodyStart, bodyLength);
        return !Placeholders.IsTemplate(body)
               && body.IndexOf("your", StringComparison.OrdinalIgnoreCase) < 0
               && body.IndexOf("placeholder", StringComparison.OrdinalIgnoreCase) < 0;
    }

    /// <summary>True when the token starts at <paramref name="i"/>: the character before is not one of its own.</summary>
    private static bool TokenStart(string text, int i, int start, Func<char, bool> tokenCharacter)
        => i == start || !tokenCharacter(text[i - 1]);

    private static bool ConnectionStringKeyStart(string text, int i, int start)
        => i == start || text[i - 1] is ';' or '"' or '\'' or ' ' or '\t' or '\n' or '\r';

    private static string? PrefixAt(string text, int i, int end, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (Chars.At(text, i, end, prefix))
            {
                return prefix;
            }
        }

        return null;
    }

    private static bool NextIs(string text, int index, int end, Func<char, bool> predicate)
        => index < end && predicate(text[index]);

    private static int TrimTrailingDots(string text, int start, int length)
    {
        while (length > 0 && text[start + length - 1] is '.' or '-')
        {
            length--;
        }

        return length;
    }
}
