using System.Text;

namespace AgentSafety.Analyzers.Secrets;

/// <summary>
/// A string assembled from parts — literals, and holes whose value is known (a constant) or not (a parameter, a call):
/// <c>"Server=db;Password=" + "S3cret"</c>, <c>$"...Password={DbPassword}"</c>, <c>string.Format("...Password={0}",
/// DbPassword)</c>. Its secrets are the ones no literal part holds alone and no unknown hole touches.
/// </summary>
internal sealed class CompositeText
{
    /// <summary>Stands for a hole of unknown value: a secret that touches it is not hardcoded.</summary>
    private const char Unknown = '\0';

    private readonly StringBuilder _text = new();
    private readonly List<(int Start, int End)> _literals = new();
    private readonly List<(int Start, int End)> _reported = new();

    /// <summary>True when a hole's value is known (so the text holds more than its literals).</summary>
    public bool HasKnownHole { get; private set; }

    public int LiteralCount => _literals.Count;

    /// <summary>True when every hole's value is known.</summary>
    public bool IsComplete { get; private set; } = true;

    /// <summary>
    /// The text so far ends with a secret key's separator (<c>Password=</c>, <c>api_key: </c>, <c>token=</c>) or a URL's
    /// user (<c>amqp://agent:</c>): only a hole there is worth binding. A hole after any other key (<c>"Unknown tool: {name}"</c>,
    /// <c>"id=" + id</c>) cannot complete a secret, and binding it from a syntax action costs what the driver would not.
    /// </summary>
    public bool EndsWithSecretKey(SecretDetector detector)
    {
        var p = _text.Length - 1;
        if (p >= 0 && _text[p] is '\'' or '"')
        {
            p--;
        }

        while (p >= 0 && _text[p] == ' ')
        {
            p--;
        }

        if (p < 0 || _text[p] is not ('=' or ':'))
        {
            return false;
        }

        var separator = _text[p];
        var end = p;
        while (p > 0 && (Chars.IsWordOrDash(_text[p - 1]) || _text[p - 1] == '.'))
        {
            p--;
        }

        if (end == p)
        {
            return false;
        }

        // scheme://user: — the hole is the URL's password.
        if (separator == ':' && p >= 3 && _text[p - 1] == '/' && _text[p - 2] == '/' && _text[p - 3] == ':')
        {
            return true;
        }

        return detector.IsSecretKey(_text.ToString(p, end - p));
    }

    public void AppendLiteral(string text)
    {
        _literals.Add((_text.Length, _text.Length + text.Length));
        _text.Append(text);
    }

    /// <summary>
    /// A hole: its value when known, else null. <paramref name="reportedAlready"/>: the value is a secret where it is
    /// declared (<c>const string DbPassword = "..."</c>), reported there; a secret inside it is not reported again.
    /// </summary>
    public void AppendHole(string? value, bool reportedAlready = false)
    {
        if (value is null)
        {
            IsComplete = false;
            _text.Append(Unknown);
        }
        else
        {
            HasKnownHole = true;
            if (reportedAlready)
            {
                _reported.Add((_text.Length, _text.Length + value.Length));
            }

            _text.Append(value);
        }
    }

    public override string ToString() => _text.ToString();

    /// <summary>
    /// The first secret in the assembled text that no literal part shows alone (that part's own finding is reported at
    /// it already) and that no unknown hole touches.
    /// </summary>
    public bool TryScan(SecretDetector detector, out SecretFinding finding)
    {
        var text = _text.ToString();
        var start = 0;
        while (start < text.Length && detector.TryScan(text, start, text.Length, out finding))
        {
            if (text.IndexOf(Unknown, finding.Start, finding.Length) < 0 && !ShownByOnePart(detector, text, finding) && !InReportedHole(finding))
            {
                return true;
            }

            start = finding.Start + Math.Max(1, finding.Length);
        }

        finding = default;
        return false;
    }

    private bool InReportedHole(SecretFinding finding)
    {
        foreach (var (start, end) in _reported)
        {
            if (finding.Start >= start && finding.Start + finding.Length <= end)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a literal part holds the finding and finds it alone.</summary>
    private bool ShownByOnePart(SecretDetector detector, string text, SecretFinding finding)
    {
        foreach (var (start, end) in _literals)
        {
            if (finding.Start >= start && finding.Start + finding.Length <= end)
            {
                var from = start;
                while (from < end && detector.TryScan(text, from, end, out var alone))
                {
                    if (alone.Start == finding.Start && alone.Length == finding.Length)
                    {
                        return true;
                    }

                    from = alone.Start + Math.Max(1, alone.Length);
                }

                return false;
            }
        }

        return false;
    }
}
