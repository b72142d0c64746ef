namespace AgentSafety.Analyzers.Secrets;

/// <summary>Splits identifiers and values into lower-case words: <c>OpenAIApiKey</c>, <c>OPENAI_API_KEY</c>, <c>api-key</c>.</summary>
internal static class Words
{
    /// <summary>
    /// Words are runs of ASCII letters and digits, split where case changes (<c>apiKey</c> → api, key;
    /// <c>APIKey</c> → api, key). Digits stay with the letters before them (<c>password123</c> is one word).
    /// </summary>
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!Chars.IsAlphanumeric(c))
            {
                if (start >= 0)
                {
                    words.Add(text.Substring(start, i - start).ToLowerInvariant());
                    start = -1;
                }

                continue;
            }

            if (start < 0)
            {
                start = i;
                continue;
            }

            var previous = text[i - 1];
            var boundary = Chars.IsUpper(c)
                           && (Chars.IsLower(previous) || Chars.IsDigit(previous)
                               || (Chars.IsUpper(previous) && i + 1 < text.Length && Chars.IsLower(text[i + 1])));
            if (boundary)
            {
                words.Add(text.Substring(start, i - start).ToLowerInvariant());
                start = i;
            }
        }

        if (start >= 0)
        {
            words.Add(text.Substring(start).ToLowerInvariant());
        }

        return words;
    }

    /// <summary><c>_openAiKey</c> → <c>OPEN_AI_KEY</c>.</summary>
    public static string ScreamingSnakeCase(string name)
        => string.Join("_", Split(name)).ToUpperInvariant();

    /// <summary><c>_open_ai_key</c> → <c>OpenAiKey</c>.</summary>
    public static string PascalCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length);
        foreach (var word in Split(name))
        {
            builder.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
        }

        return builder.ToString();
    }
}
