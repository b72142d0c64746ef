using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AgentSafety.CodeFixes;

/// <summary>
/// The plumbing every AgentSafety fix shares: one code action per applicable fix kind, each with a constant
/// equivalence key, and a FixAll that applies all of a document's diagnostics in one pass through the same code
/// path as a single fix, so that shared edits (a <c>using</c>, a field) are made once.
/// </summary>
public abstract class AgentSafetyCodeFixProvider : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(
            async (context, document, diagnostics) => await FixDocumentAsync(
                document, diagnostics, context.CodeActionEquivalenceKey ?? string.Empty, context.CancellationToken).ConfigureAwait(false),
            ImmutableArray.Create(FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var offered = await GetApplicableFixesAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            foreach (var fix in offered)
            {
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        fix.Title,
                        cancellationToken => FixDocumentAsync(document, ImmutableArray.Create(diagnostic), fix.EquivalenceKey, cancellationToken),
                        fix.EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The fixes that apply to one diagnostic, in the order the light bulb shows them.</summary>
    protected abstract Task<ImmutableArray<FixKind>> GetApplicableFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>
    /// Applies the fix <paramref name="equivalenceKey"/> to every diagnostic of one document it applies to (skipping
    /// the others), or returns the document unchanged.
    /// </summary>
    protected abstract Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken);

    public readonly struct FixKind
    {
        public FixKind(string title, string equivalenceKey)
        {
            Title = title;
            EquivalenceKey = equivalenceKey;
        }

        public string Title { get; }

        public string EquivalenceKey { get; }
    }
}
