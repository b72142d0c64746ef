using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Tests.Robustness;

/// <summary>
/// Breaks C# the way half-typed code in an editor is broken: tokens deleted or duplicated, a line gone, the file cut
/// off. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal static class SourceMutator
{
    public static (string Text, string Description) Mutate(string text, Random random)
    {
        var mutations = random.Next(4) == 0 ? 2 : 1;
        var descriptions = new List<string>();
        for (var i = 0; i < mutations; i++)
        {
            var (mutated, description) = MutateOnce(text, random);
            text = mutated;
            descriptions.Add(description);
        }

        return (text, string.Join(" + ", descriptions));
    }

    private static (string Text, string Description) MutateOnce(string text, Random random)
    {
        var tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        if (tokens.Count == 0 || text.Length == 0)
        {
            return (text, "unchanged (empty)");
        }

        switch (random.Next(5))
        {
            case 0:
            {
                var count = 1 + random.Next(3);
                var spans = Enumerable.Range(0, count).Select(_ => tokens[random.Next(tokens.Count)].Span).Distinct().OrderByDescending(s => s.Start).ToList();
                foreach (var span in spans)
                {
                    text = text.Remove(span.Start, span.Length);
                }

                return (text, $"deleted {spans.Count} token(s) at {string.Join(",", spans.Select(s => s.Start))}");
            }

            case 1:
            {
                var token = tokens[random.Next(tokens.Count)];
                return (text.Insert(token.Span.End, " " + token.Text), $"duplicated '{token.Text}' at {token.SpanStart}");
            }

            case 2:
            {
                var cut = random.Next(text.Length);
                return (text.Substring(0, cut), $"truncated at {cut}");
            }

            case 3:
            {
                var lines = SourceText.From(text).Lines;
                var line = lines[random.Next(lines.Count)];
                return (text.Remove(line.Start, line.EndIncludingLineBreak - line.Start), $"deleted line {line.LineNumber + 1}");
            }

            default:
            {
                if (tokens.Count < 2)
                {
                    return (text, "unchanged (one token)");
                }

                var index = random.Next(tokens.Count - 1);
                var (first, second) = (tokens[index], tokens[index + 1]);
                var swapped = text.Substring(0, first.SpanStart) + second.Text + text.Substring(first.Span.End, second.SpanStart - first.Span.End)
                              + first.Text + text.Substring(second.Span.End);
                return (swapped, $"swapped '{first.Text}' and '{second.Text}' at {first.SpanStart}");
            }
        }
    }
}
