using System.Collections.Immutable;
using System.Composition;
using AgentSafety.Analyzers;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AgentSafety.CodeFixes;

/// <summary>
/// AGS008 fix: the secret in the message becomes <c>[redacted]</c> — an interpolation hole becomes that text, a string
/// operand or argument the literal <c>"[redacted]"</c>. Offered only where the reported part reads the secret itself
/// (not a local built from it earlier, which other code may still need).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SecretDisclosureCodeFixProvider)), Shared]
public sealed class SecretDisclosureCodeFixProvider : AgentSafetyCodeFixProvider
{
    public const string RedactKey = "AGS008.Redact";

    /// <summary>What takes the secret's place.</summary>
    public const string Redacted = "[redacted]";

    private static readonly FixKind Redact = new("Replace the secret with \"[redacted]\"", RedactKey);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.SecretDisclosure);

    protected override async Task<ImmutableArray<FixKind>> GetApplicableFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is not null && Locate(root, diagnostic) is not null ? ImmutableArray.Create(Redact) : ImmutableArray<FixKind>.Empty;
    }

    protected override async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (equivalenceKey != RedactKey || root is null)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var holes = new HashSet<InterpolationSyntax>();
        var values = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            switch (Locate(root, diagnostic))
            {
                case InterpolationSyntax hole:
                    holes.Add(hole);
                    break;
                case { } value:
                    values.Add(value);
                    break;
            }
        }

        // The holes of one string are redacted together, and the string parsed again: its text parts merge as the compiler reads them.
        foreach (var text in holes.Select(h => h.Parent).OfType<InterpolatedStringExpressionSyntax>().Distinct())
        {
            editor.ReplaceNode(text, RedactHoles(text, holes));
        }

        foreach (var value in values)
        {
            editor.ReplaceNode(value, Literals.String(Redacted).WithTriviaFrom(value));
        }

        return document.WithSyntaxRoot(editor.GetChangedRoot());
    }

    private static ExpressionSyntax RedactHoles(InterpolatedStringExpressionSyntax text, HashSet<InterpolationSyntax> holes)
    {
        var written = new System.Text.StringBuilder(text.StringStartToken.ToString());
        foreach (var content in text.Contents)
        {
            written.Append(content is InterpolationSyntax hole && holes.Contains(hole) ? Redacted : content.ToString());
        }

        written.Append(text.StringEndToken.ToString());
        return ParseExpression(written.ToString()).WithTriviaFrom(text);
    }

    /// <summary>The node to replace: the interpolation around the reported hole, or the reported expression.</summary>
    private static SyntaxNode? Locate(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(SecretDisclosureAnalyzer.FixProperty, out var fix))
        {
            return null;
        }

        var span = diagnostic.Location.SourceSpan;
        if (root.FindNode(span, getInnermostNodeForTie: true) is not ExpressionSyntax expression)
        {
            return null;
        }

        // FindNode may return an outer node with the same span (an argument's expression): take the expression that has it.
        while (expression.Span != span && expression.Parent is ExpressionSyntax parent && parent.Span.Contains(span))
        {
            expression = parent;
        }

        if (expression.Span != span)
        {
            return null;
        }

        if (fix == SecretDisclosureAnalyzer.FixHole)
        {
            SyntaxNode outer = expression;
            while (outer.Parent is ParenthesizedExpressionSyntax parenthesized)
            {
                outer = parenthesized;
            }

            return outer.Parent as InterpolationSyntax;
        }

        return fix == SecretDisclosureAnalyzer.FixValue ? expression : null;
    }
}
