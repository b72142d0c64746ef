using System.Collections.Immutable;
using System.Composition;
using AgentSafety.Analyzers;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.CodeFixes;

/// <summary>AGS003 fixes: rethrow, log the exception, or record it on the current trace.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwallowedExceptionCodeFixProvider)), Shared]
public sealed class SwallowedExceptionCodeFixProvider : AgentSafetyCodeFixProvider
{
    public const string RethrowKey = "AGS003.Rethrow";
    public const string LogKey = "AGS003.LogException";
    public const string RecordOnTraceKey = "AGS003.RecordOnTrace";

    private static readonly FixKind Log = new("Log the exception", LogKey);
    private static readonly FixKind RecordOnTrace = new("Record on the current trace", RecordOnTraceKey);
    private static readonly FixKind Rethrow = new("Rethrow", RethrowKey);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.SwallowedException);

    protected override async Task<ImmutableArray<FixKind>> GetApplicableFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null || FindCatch(root, diagnostic) is not { } catchClause)
        {
            return ImmutableArray<FixKind>.Empty;
        }

        // Recording fixes come first: they keep the catch's fallback working, while a rethrow changes what the
        // code does. Tools that apply "the first fix" in bulk (dotnet format) then record, never rethrow.
        var fixes = ImmutableArray.CreateBuilder<FixKind>();
        var model = Model.For(semanticModel.Compilation);
        if (FindLogger(catchClause, semanticModel, model) is not null)
        {
            fixes.Add(Log);
        }
        else if (model.Types.ActivityAddException is not null)
        {
            fixes.Add(RecordOnTrace);
        }

        if (EndIsReachable(catchClause, semanticModel))
        {
            fixes.Add(Rethrow);
        }

        return fixes.ToImmutable();
    }

    protected override async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return document;
        }

        var model = Model.For(semanticModel.Compilation);
        var edits = new Dictionary<CatchClauseSyntax, Func<CatchClauseSyntax, CatchClauseSyntax>>();
        var plannedNames = new Dictionary<CatchClauseSyntax, string>();
        var usings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (FindCatch(root, diagnostic) is not { } catchClause || edits.ContainsKey(catchClause))
            {
                continue;
            }

            var member = diagnostic.Properties.TryGetValue(SwallowedExceptionAnalyzer.MemberProperty, out var name) && name is not null ? name : "Operation";
            var edit = equivalenceKey switch
            {
                RethrowKey when EndIsReachable(catchClause, semanticModel) => AppendRethrow(),
                LogKey => PlanLog(catchClause, semanticModel, model, member, plannedNames, usings),
                RecordOnTraceKey when model.Types.ActivityAddException is not null && FindLogger(catchClause, semanticModel, model) is null =>
                    PlanRecordOnTrace(catchClause, semanticModel, model, plannedNames, usings),
                _ => null,
            };

            if (edit is not null)
            {
                edits.Add(catchClause, edit);
            }
        }

        if (edits.Count == 0)
        {
            return document;
        }

        var newRoot = root.ReplaceNodes(edits.Keys, (original, rewritten) => edits[original](rewritten));
        foreach (var namespaceName in usings.OrderBy(n => n, StringComparer.Ordinal))
        {
            newRoot = Imports.AddUsing(newRoot, namespaceName);
        }

        var changed = document.WithSyntaxRoot(newRoot);
        changed = await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static CatchClauseSyntax? FindCatch(SyntaxNode root, Diagnostic diagnostic)
        => root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<CatchClauseSyntax>();

    private static bool EndIsReachable(CatchClauseSyntax catchClause, SemanticModel semanticModel)
    {
        var statements = catchClause.Block.Statements;
        if (statements.Count == 0)
        {
            return true;
        }

        var flow = semanticModel.AnalyzeControlFlow(statements.First(), statements.Last());
        return flow is { Succeeded: true, EndPointIsReachable: true };
    }

    private static ISymbol? FindLogger(CatchClauseSyntax catchClause, SemanticModel semanticModel, Model model)
        => model.Types.ILogger is null
            ? null
            : ScopeSymbols.FindValue(semanticModel, catchClause.Block.OpenBraceToken.Span.End, model.Types.IsLogger);

    private static Func<CatchClauseSyntax, CatchClauseSyntax> AppendRethrow()
        => rewritten => rewritten.WithBlock(Blocks.Append(rewritten.Block, ThrowStatement()));

    private static Func<CatchClauseSyntax, CatchClauseSyntax>? PlanLog(
        CatchClauseSyntax catchClause, SemanticModel semanticModel, Model model, string member,
        Dictionary<CatchClauseSyntax, string> plannedNames, HashSet<string> usings)
    {
        if (FindLogger(catchClause, semanticModel, model) is not { } logger || model.Types.LoggerExtensions is not { } loggerExtensions)
        {
            return null;
        }

        var position = catchClause.Block.OpenBraceToken.Span.End;
        if (Imports.CanUseSimpleName(semanticModel, position, loggerExtensions) != Imports.TypeNameState.Available)
        {
            usings.Add(Imports.LoggingNamespace);
        }

        var exceptionName = ExceptionName(catchClause, semanticModel, plannedNames);
        var statement = ExpressionStatement(
            InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(Identifiers.Token(logger.Name)), IdentifierName("LogError")),
                ArgumentList(SeparatedList(new[]
                {
                    Argument(IdentifierName(Identifiers.Token(exceptionName))),
                    Argument(Literals.String(member + " failed")),
                }))));
        return rewritten => InsertFirst(WithExceptionVariable(rewritten, exceptionName), statement);
    }

    private static Func<CatchClauseSyntax, CatchClauseSyntax> PlanRecordOnTrace(
        CatchClauseSyntax catchClause, SemanticModel semanticModel, Model model,
        Dictionary<CatchClauseSyntax, string> plannedNames, HashSet<string> usings)
    {
        var activity = model.Types.Activity!;
        var position = catchClause.Block.OpenBraceToken.Span.End;
        ExpressionSyntax activityType;
        switch (Imports.CanUseSimpleName(semanticModel, position, activity))
        {
            case Imports.TypeNameState.Conflicts:
                activityType = ParseName("global::System.Diagnostics.Activity");
                break;
            case Imports.TypeNameState.NeedsUsing:
                usings.Add(Imports.DiagnosticsNamespace);
                activityType = IdentifierName("Activity");
                break;
            default:
                activityType = IdentifierName("Activity");
                break;
        }

        var exceptionName = ExceptionName(catchClause, semanticModel, plannedNames);
        var statement = ExpressionStatement(
            ConditionalAccessExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, activityType, IdentifierName("Current")),
                InvocationExpression(
                    MemberBindingExpression(IdentifierName("AddException")),
                    ArgumentList(SingletonSeparatedList(Argument(IdentifierName(Identifiers.Token(exceptionName))))))));
        return rewritten => InsertFirst(WithExceptionVariable(rewritten, exceptionName), statement);
    }

    /// <summary>
    /// The exception variable's name: the declared one, or a new one that clashes with nothing in scope, nothing in
    /// the block and no name given to an enclosing catch by the same fix pass.
    /// </summary>
    private static string ExceptionName(CatchClauseSyntax catchClause, SemanticModel semanticModel, Dictionary<CatchClauseSyntax, string> plannedNames)
    {
        if (catchClause.Declaration is { } declaration && declaration.Identifier.RawKind != 0 && !declaration.Identifier.IsMissing)
        {
            return declaration.Identifier.ValueText;
        }

        var reserved = catchClause.Ancestors().OfType<CatchClauseSyntax>()
            .Where(plannedNames.ContainsKey)
            .Select(c => plannedNames[c])
            .ToList();
        var name = Identifiers.Unique(semanticModel, catchClause.Block.OpenBraceToken.Span.End, catchClause.Block, reserved, "ex", "exception");
        plannedNames[catchClause] = name;
        return name;
    }

    private static CatchClauseSyntax WithExceptionVariable(CatchClauseSyntax catchClause, string name)
    {
        if (catchClause.Declaration is { } declaration)
        {
            return declaration.Identifier.RawKind != 0 && !declaration.Identifier.IsMissing
                ? catchClause
                : catchClause.WithDeclaration(declaration
                    .WithType(declaration.Type.WithTrailingTrivia(Space))
                    .WithIdentifier(Identifiers.Token(name)));
        }

        var laidOut = CatchDeclaration(QualifiedName(IdentifierName("System"), IdentifierName("Exception")), Identifiers.Token(name))
            .NormalizeWhitespace(elasticTrivia: false);
        var newDeclaration = laidOut
            .ReplaceNode(laidOut.Type, laidOut.Type.WithAdditionalAnnotations(Simplifier.Annotation))
            .WithTrailingTrivia(catchClause.CatchKeyword.TrailingTrivia);
        return catchClause
            .WithCatchKeyword(catchClause.CatchKeyword.WithTrailingTrivia(Space))
            .WithDeclaration(newDeclaration);
    }

    private static CatchClauseSyntax InsertFirst(CatchClauseSyntax catchClause, StatementSyntax statement)
        => catchClause.WithBlock(Blocks.Insert(catchClause.Block, 0, statement));
}
