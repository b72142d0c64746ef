using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AgentSafety.CodeFixes;

/// <summary>
/// The plumbing every AgentSafety fix shares: one code action per applicable fix kind, each with a constant
/// equivalence key, and a FixAll that applies all of a document's diagnostics in one pass through the same code
/// path as a single fix, so that shared edits (a <c>using</c>, a field) are made once. A fix that edits other
/// documents than the diagnostic's (a registration in Program.cs) says so (<see cref="EditsSolution"/>): it gets all
/// the diagnostics of the FixAll scope at once and returns the changed solution.
/// </summary>
public abstract class AgentSafetyCodeFixProvider : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider() => new FixAll(this);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            var offered = await GetApplicableFixesAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false);
            foreach (var fix in offered)
            {
                var document = context.Document;
                var action = EditsSolution(fix.EquivalenceKey)
                    ? CodeAction.Create(
                        fix.Title,
                        cancellationToken => FixSolutionAsync(
                            document.Project.Solution,
                            ImmutableArray.Create((document.Id, ImmutableArray.Create(diagnostic))),
                            fix.EquivalenceKey,
                            cancellationToken),
                        fix.EquivalenceKey)
                    : CodeAction.Create(
                        fix.Title,
                        cancellationToken => FixDocumentAsync(document, ImmutableArray.Create(diagnostic), fix.EquivalenceKey, cancellationToken),
                        fix.EquivalenceKey);
                context.RegisterCodeFix(action, diagnostic);
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

    /// <summary>True when the fix <paramref name="equivalenceKey"/> edits the solution (<see cref="FixSolutionAsync"/>), not one document.</summary>
    protected virtual bool EditsSolution(string equivalenceKey) => false;

    /// <summary>
    /// Applies the solution-level fix <paramref name="equivalenceKey"/> to the diagnostics of each document (the
    /// whole FixAll scope at once, so that an edit several diagnostics share is made once).
    /// </summary>
    protected virtual Task<Solution> FixSolutionAsync(
        Solution solution, ImmutableArray<(DocumentId Document, ImmutableArray<Diagnostic> Diagnostics)> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
        => Task.FromResult(solution);

    /// <summary>The title of a solution-level fix applied to a whole FixAll scope.</summary>
    protected virtual string FixAllTitle(string equivalenceKey) => equivalenceKey;

    /// <summary>Document fixes through the batch FixAll of each document; solution fixes with the scope's diagnostics in one call.</summary>
    private sealed class FixAll : FixAllProvider
    {
        private readonly AgentSafetyCodeFixProvider _provider;
        private readonly FixAllProvider _documents;

        public FixAll(AgentSafetyCodeFixProvider provider)
        {
            _provider = provider;
            _documents = FixAllProvider.Create(
                async (context, document, diagnostics) => await provider.FixDocumentAsync(
                    document, diagnostics, context.CodeActionEquivalenceKey ?? string.Empty, context.CancellationToken).ConfigureAwait(false),
                ImmutableArray.Create(FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution));
        }

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => _documents.GetSupportedFixAllScopes();

        public override async Task<CodeAction?> GetFixAsync(FixAllContext context)
        {
            var key = context.CodeActionEquivalenceKey ?? string.Empty;
            if (!_provider.EditsSolution(key))
            {
                return await _documents.GetFixAsync(context).ConfigureAwait(false);
            }

            var documents = context.Scope switch
            {
                FixAllScope.Document when context.Document is not null => new[] { context.Document },
                FixAllScope.Project => context.Project.Documents.ToArray(),
                FixAllScope.Solution => context.Solution.Projects.SelectMany(p => p.Documents).ToArray(),
                _ => Array.Empty<Document>(),
            };

            var diagnostics = ImmutableArray.CreateBuilder<(DocumentId, ImmutableArray<Diagnostic>)>();
            foreach (var document in documents)
            {
                var found = await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
                if (!found.IsEmpty)
                {
                    diagnostics.Add((document.Id, found));
                }
            }

            if (diagnostics.Count == 0)
            {
                return null;
            }

            var all = diagnostics.ToImmutable();
            return CodeAction.Create(
                _provider.FixAllTitle(key),
                cancellationToken => _provider.FixSolutionAsync(context.Solution, all, key, cancellationToken),
                key);
        }
    }

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
