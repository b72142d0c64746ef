namespace AgentSafety.Analyzers.Secrets;

/// <summary>Shannon entropy in bits per character: how random a value looks. One pass, no allocation for ASCII.</summary>
internal static class Entropy
{
    public static double Of(string text) => Of(text, 0, text.Length);

    public static double Of(string text, int start, int length)
    {
        if (length <= 1)
        {
            return 0;
        }

        Span<int> ascii = stackalloc int[128];
        Dictionary<char, int>? others = null;
        for (var i = start; i < start + length; i++)
        {
            var c = text[i];
            if (c < 128)
            {
                ascii[c]++;
            }
            else
            {
                others ??= new Dictionary<char, int>();
                others.TryGetValue(c, out var count);
                others[c] = count + 1;
            }
        }

        var entropy = 0.0;
        foreach (var count in ascii)
        {
            entropy += Term(count, length);
        }

        if (others is not null)
        {
            foreach (var count in others.Values)
            {
                entropy += Term(count, length);
            }
        }

        return entropy;
    }

    private static double Term(int count, int length)
    {
        if (count == 0)
        {
            return 0;
        }

        var p = (double)count / length;
        return -p * Math.Log(p, 2);
    }
}
