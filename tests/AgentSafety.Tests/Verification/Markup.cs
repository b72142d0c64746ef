using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Tests.Verification;

/// <summary>
/// Test-source markup: <c>[|text|]</c> (the analyzer's only diagnostic), <c>{|AGS003:text|}</c> (a diagnostic by
/// id) and <c>{|#0:text|}</c> (a numbered location that an expectation refers to). Markers may nest.
/// </summary>
internal sealed class Markup
{
    private Markup(string text, IReadOnlyList<MarkedSpan> spans)
    {
        Text = text;
        Spans = spans;
    }

    /// <summary>The source without its markers.</summary>
    public string Text { get; }

    public IReadOnlyList<MarkedSpan> Spans { get; }

    public static Markup Parse(string markup)
    {
        var text = new System.Text.StringBuilder(markup.Length);
        var spans = new List<MarkedSpan>();
        var open = new Stack<(int Start, string? Label)>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (At(markup, i, "[|"))
            {
                open.Push((text.Length, null));
                i++;
            }
            else if (At(markup, i, "{|"))
            {
                var colon = markup.IndexOf(':', i + 2);
                if (colon < 0)
                {
                    throw new FormatException($"Markup '{{|' at {i} has no ':'.");
                }

                open.Push((text.Length, markup.Substring(i + 2, colon - i - 2)));
                i = colon;
            }
            else if (At(markup, i, "|]") || At(markup, i, "|}"))
            {
                if (open.Count == 0)
                {
                    throw new FormatException($"Markup close at {i} has no open marker.");
                }

                var (start, label) = open.Pop();
                spans.Add(new MarkedSpan(TextSpan.FromBounds(start, text.Length), label));
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException("Markup has an unclosed marker.");
        }

        return new Markup(text.ToString(), spans);
    }

    private static bool At(string s, int index, string token)
        => string.CompareOrdinal(s, index, token, 0, token.Length) == 0;
}

/// <summary>A marked span: <see cref="Label"/> is null for <c>[|...|]</c>, an id for <c>{|ID:...|}</c>, <c>#n</c> for a location.</summary>
internal sealed record MarkedSpan(TextSpan Span, string? Label)
{
    public bool IsLocation => Label is not null && Label.StartsWith('#');
}
