using System.Globalization;

namespace AgentSafety.Analyzers.Secrets;

/// <summary>A secret found in a value: its kind, where it sits in the value, and how much of it the message may show.</summary>
internal readonly struct SecretFinding
{
    public SecretFinding(SecretKind kind, int start, int length, int visiblePrefix)
    {
        Kind = kind;
        Start = start;
        Length = length;
        VisiblePrefix = Math.Min(visiblePrefix, Math.Min(MaxVisible, length / 4));
    }

    /// <summary>Never more than four characters, and never more than a quarter of the secret.</summary>
    private const int MaxVisible = 4;

    public SecretKind Kind { get; }

    public int Start { get; }

    public int Length { get; }

    /// <summary>
    /// How many leading characters the message shows: only a format's public prefix (<c>sk-p</c>, <c>AKIA</c>,
    /// <c>ghp_</c>). Secrets known by name or by where they go show none: a password's first letters are secret too.
    /// </summary>
    public int VisiblePrefix { get; }

    /// <summary>The redacted form for messages, e.g. <c>sk-p…(164 chars)</c>; never the secret itself.</summary>
    public string Redact(string value)
        => value.Substring(Start, VisiblePrefix) + "\u2026(" + Length.ToString(CultureInfo.InvariantCulture) + " chars)";
}
