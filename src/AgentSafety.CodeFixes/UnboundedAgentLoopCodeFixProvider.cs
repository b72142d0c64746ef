using System.Collections.Immutable;
using System.Composition;
using AgentSafety.Analyzers;
using AgentSafety.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AgentSafety.CodeFixes;

/// <summary>
/// AGS009 fix: bounds the loop by turns. Before the loop, <c>const int MaxTurns = 10;</c> and a counter; as the
/// body's first statement, <c>if (++turns &gt; MaxTurns) throw new InvalidOperationException(...)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedAgentLoopCodeFixProvider)), Shared]
public sealed class UnboundedAgentLoopCodeFixProvider : AgentSafetyCodeFixProvider
{
    public const string AddTurnLimitKey = "AGS009.AddTurnLimit";

    /// <summary>The limit the fix writes: enough turns for a real task, few enough to stop a runaway soon.</summary>
    public const int DefaultMaxTurns = 10;

    private static readonly FixKind AddTurnLimit = new("Add a turn limit", AddTurnLimitKey);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnboundedAgentLoop);

    protected override async Task<ImmutableArray<FixKind>> GetApplicableFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is not null && Locate(root, diagnostic) is not null
            ? ImmutableArray.Create(AddTurnLimit)
            : ImmutableArray<FixKind>.Empty;
    }

    protected override async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (equivalenceKey != AddTurnLimitKey || root is null || semanticModel is null)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var usings = new HashSet<string>(StringComparer.Ordinal);
        // Names taken per member: a nested loop's counter may not reuse a name of the loop around it (CS0136).
        var taken = new Dictionary<SyntaxNode, HashSet<string>>();
        var fixedLoops = new HashSet<StatementSyntax>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (Locate(root, diagnostic) is not { } loop || !fixedLoops.Add(loop))
            {
                continue;
            }

            var scope = loop.FirstAncestorOrSelf<SyntaxNode>(n => n is MemberDeclarationSyntax or CompilationUnitSyntax) ?? root;
            if (!taken.TryGetValue(scope, out var reserved))
            {
                reserved = new HashSet<string>(StringComparer.Ordinal);
                taken.Add(scope, reserved);
            }

            var limitName = Identifiers.Unique(semanticModel, loop.SpanStart, scope, reserved, "MaxTurns", "MaxAgentTurns");
            reserved.Add(limitName);
            var counterName = Identifiers.Unique(semanticModel, loop.SpanStart, scope, reserved, "turns", "agentTurns");
            reserved.Add(counterName);

            var exception = semanticModel.Compilation.GetTypeByMetadataName("System.InvalidOperationException") is { } exceptionType
                ? Imports.TypeName(semanticModel, loop.SpanStart, exceptionType, usings)
                : ParseTypeName("System.InvalidOperationException");
            // The declarations take the loop's place, comments and blank lines before it included; the loop keeps its indentation.
            var anchor = loop.Parent is GlobalStatementSyntax global ? (SyntaxNode)global : loop;
            var leading = anchor.GetLeadingTrivia();
            var indentation = leading.Count > 0 && leading.Last().IsKind(SyntaxKind.WhitespaceTrivia) ? TriviaList(leading.Last()) : TriviaList();
            var endOfLine = Layout.EndOfLine(root);
            var before = new StatementSyntax[]
            {
                LimitDeclaration(limitName).WithLeadingTrivia(leading).WithTrailingTrivia(endOfLine),
                CounterDeclaration(counterName).WithLeadingTrivia(indentation).WithTrailingTrivia(endOfLine),
            };
            var guard = Guard(limitName, counterName, exception);

            editor.InsertBefore(anchor, anchor is GlobalStatementSyntax ? before.Select(s => (SyntaxNode)GlobalStatement(s)) : before);
            editor.ReplaceNode(loop, (current, _) => WithGuard((StatementSyntax)current, guard).WithLeadingTrivia(indentation));
        }

        var newRoot = editor.GetChangedRoot();
        foreach (var ns in usings)
        {
            newRoot = Imports.AddUsing(newRoot, ns);
        }

        return document.WithSyntaxRoot(newRoot);
    }

    /// <summary>The loop the diagnostic's keyword starts, when new statements can go before it (in a block or at top level).</summary>
    private static StatementSyntax? Locate(SyntaxNode root, Diagnostic diagnostic)
    {
        var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
        var loop = token.Parent as StatementSyntax;
        return loop is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax
               && loop.Parent is BlockSyntax or GlobalStatementSyntax or SwitchSectionSyntax
            ? loop
            : null;
    }

    private static LocalDeclarationStatementSyntax LimitDeclaration(string name)
        => LocalDeclarationStatement(
                VariableDeclaration(PredefinedType(Token(SyntaxKind.IntKeyword)))
                    .AddVariables(VariableDeclarator(Identifiers.Token(name)).WithInitializer(EqualsValueClause(Literals.Number(DefaultMaxTurns)))))
            .AddModifiers(Token(SyntaxKind.ConstKeyword));

    private static LocalDeclarationStatementSyntax CounterDeclaration(string name)
        => LocalDeclarationStatement(
            VariableDeclaration(IdentifierName("var"))
                .AddVariables(VariableDeclarator(Identifiers.Token(name)).WithInitializer(EqualsValueClause(Literals.Number(0)))));

    /// <summary><c>if (++turns &gt; MaxTurns) throw new InvalidOperationException($"The agent loop stopped after {MaxTurns} turns.");</c></summary>
    private static StatementSyntax Guard(string limitName, string counterName, TypeSyntax exception)
    {
        var message = InterpolatedStringExpression(
            Token(SyntaxKind.InterpolatedStringStartToken),
            List(new InterpolatedStringContentSyntax[]
            {
                InterpolatedStringText(Token(default, SyntaxKind.InterpolatedStringTextToken, "The agent loop stopped after ", "The agent loop stopped after ", default)),
                Interpolation(IdentifierName(Identifiers.Token(limitName))),
                InterpolatedStringText(Token(default, SyntaxKind.InterpolatedStringTextToken, " turns.", " turns.", default)),
            }));
        return IfStatement(
                BinaryExpression(
                    SyntaxKind.GreaterThanExpression,
                    PrefixUnaryExpression(SyntaxKind.PreIncrementExpression, IdentifierName(Identifiers.Token(counterName))),
                    IdentifierName(Identifiers.Token(limitName))),
                Block(ThrowStatement(ObjectCreationExpression(exception).WithArgumentList(ArgumentList(SingletonSeparatedList(Argument(message)))))))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static StatementSyntax WithGuard(StatementSyntax loop, StatementSyntax guard)
    {
        var body = loop switch
        {
            WhileStatementSyntax w => w.Statement,
            DoStatementSyntax d => d.Statement,
            ForStatementSyntax f => f.Statement,
            _ => null,
        };
        if (body is null)
        {
            return loop;
        }

        var newBody = body is BlockSyntax block
            ? Blocks.Insert(block, 0, guard)
            : Block(body is EmptyStatementSyntax ? new[] { guard } : new[] { guard, body }).WithAdditionalAnnotations(Formatter.Annotation);
        return loop switch
        {
            WhileStatementSyntax w => w.WithStatement(newBody),
            DoStatementSyntax d => d.WithStatement(newBody),
            ForStatementSyntax f => f.WithStatement(newBody),
            _ => loop,
        };
    }
}
