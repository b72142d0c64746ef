using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentSafety.Analyzers.Secrets;

/// <summary>AGS001's options, parsed once per distinct option text.</summary>
internal sealed class SecretSettings
{
    /// <summary>Bits per character below which a value under a secret name is not random enough to be a key.</summary>
    public const double DefaultMinEntropy = 3.0;

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly ImmutableArray<string> _excludedWords;
    private readonly ImmutableArray<Regex> _excludedPatterns;

    private SecretSettings(SecretNames names, ImmutableArray<string> excludedWords, ImmutableArray<Regex> excludedPatterns, double minEntropy)
    {
        Names = names;
        _excludedWords = excludedWords;
        _excludedPatterns = excludedPatterns;
        MinEntropy = minEntropy;
    }

    public static SecretSettings Default { get; } = Parse(null, null, null);

    public SecretNames Names { get; }

    public double MinEntropy { get; }

    /// <summary>
    /// <paramref name="secretWords"/> replaces the default word list; <paramref name="excludedValues"/> lists words (a
    /// value containing one, ignoring case, is not a secret) and <c>/regex/</c> entries (matched against the value);
    /// <paramref name="minEntropy"/> is a number of bits per character.
    /// </summary>
    public static SecretSettings Parse(string? secretWords, string? excludedValues, string? minEntropy)
    {
        var names = secretWords is null ? SecretNames.Default : new SecretNames(SecretNames.SplitEntries(secretWords));
        var words = ImmutableArray.CreateBuilder<string>();
        var patterns = ImmutableArray.CreateBuilder<Regex>();
        if (excludedValues is not null)
        {
            foreach (var entry in excludedValues.Split(new[] { ',', ';', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (entry.Length > 2 && entry[0] == '/' && entry[entry.Length - 1] == '/')
                {
                    try
                    {
                        patterns.Add(new Regex(entry.Substring(1, entry.Length - 2), RegexOptions.CultureInvariant, RegexTimeout));
                    }
                    catch (ArgumentException)
                    {
                        // An invalid pattern excludes nothing; the other entries still apply.
                    }
                }
                else
                {
                    words.Add(entry);
                }
            }
        }

        var entropy = double.TryParse(minEntropy, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0
            ? parsed
            : DefaultMinEntropy;
        return new SecretSettings(names, words.ToImmutable(), patterns.ToImmutable(), entropy);
    }

    /// <summary>True when the user excluded <paramref name="value"/> (a listed word inside it, or a pattern that matches).</summary>
    public bool IsExcluded(string value)
    {
        foreach (var word in _excludedWords)
        {
            if (value.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        foreach (var pattern in _excludedPatterns)
        {
            try
            {
                if (pattern.IsMatch(value))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern too slow for this value excludes nothing rather than stalling the build.
            }
        }

        return false;
    }
}
