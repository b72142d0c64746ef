using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.Analyzers.Rules;

/// <summary>
/// AGS003: a catch clause that hides a failure — an empty block, or a broad catch that neither rethrows, reads
/// the exception, nor records the failure.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SwallowedExceptionAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The broad types when <c>agentsafety.AGS003.broad_exception_types</c> is not set.</summary>
    public const string DefaultBroadExceptionTypes = "System.Exception, System.SystemException, System.AggregateException";

    /// <summary>Diagnostic property: the member whose catch it is, for the fix's log message.</summary>
    public const string MemberProperty = "Member";

    internal const string EmptyReason = "is empty and hides the failure";
    internal const string HiddenReason = "hides the failure";
    internal const string ResultReason = "turns the failure into a normal-looking result";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.SwallowedException);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.RegisterCompilationStartAction(start =>
        {
            var model = Model.For(start.Compilation);
            // On the catch clause's operation, not its syntax: the driver has bound the body by then (every rule's
            // operations come from that one binding), so the types and symbols below are read, not bound here.
            start.RegisterOperationAction(c => AnalyzeCatch(c, model), OperationKind.CatchClause);
        });
    }

    private static void AnalyzeCatch(OperationAnalysisContext context, Model model)
    {
        if (context.Operation.Syntax is not CatchClauseSyntax catchClause || context.Operation.SemanticModel is not { } semanticModel)
        {
            return;
        }

        var block = catchClause.Block;
        // Known types are resolved on first use, here rather than at the start (which would bind ahead of the compiler).
        if (block.IsMissing || model.Types.Exception is null)
        {
            return;
        }

        // Syntax first: an empty block with a comment, or a block that throws, is never reported whatever the type.
        if (block.Statements.Count == 0 ? CatchBlocks.HasComment(block) : Rethrows(block))
        {
            return;
        }

        var declaration = catchClause.Declaration;
        var options = AgentSafetyOptions.For(context.Options, catchClause.SyntaxTree);
        var broadTypes = model.Options.Types(options.Get(AgentSafetyOptions.Keys.Ags003BroadExceptionTypes), DefaultBroadExceptionTypes);
        if (block.Statements.Count > 0 && declaration is not null && !model.TypeSyntax.MayName(declaration.Type, broadTypes))
        {
            // A block that does something with a specific type is deliberate handling: no need to bind the type.
            return;
        }

        var cancellationToken = context.CancellationToken;
        var caught = declaration is null ? null : semanticModel.GetTypeInfo(declaration.Type, cancellationToken).Type;
        if (declaration is not null && (caught is null || caught.TypeKind == TypeKind.Error || model.Types.IsCancellation(caught)))
        {
            return;
        }

        var filter = catchClause.Filter?.FilterExpression;
        if (filter is not null && NarrowsToCancellation(filter, semanticModel, model.Types, cancellationToken))
        {
            return;
        }

        if (block.Statements.Count > 0 && caught is not null && !broadTypes.Contains(caught.OriginalDefinition, SymbolEqualityComparer.Default))
        {
            return;
        }

        var exceptionVariable = declaration is not null && declaration.Identifier.RawKind != 0 && !declaration.Identifier.IsMissing
            ? semanticModel.GetDeclaredSymbol(declaration, cancellationToken)
            : null;
        var recordingMethods = model.Options.Methods(options.Get(AgentSafetyOptions.Keys.Ags003FailureRecordingMethods));
        var enclosing = semanticModel.GetEnclosingSymbol(catchClause.SpanStart, cancellationToken);
        var callerType = enclosing?.ContainingType;

        if (filter is not null && (PassesVariable(filter, exceptionVariable, semanticModel, cancellationToken)
                                   || RecordsFailure(filter, semanticModel, model, callerType, recordingMethods, cancellationToken)))
        {
            return;
        }

        string reason;
        if (block.Statements.Count == 0)
        {
            reason = EmptyReason;
        }
        else
        {
            if ((filter is not null && Reads(filter, exceptionVariable, semanticModel, cancellationToken))
                || Reads(block, exceptionVariable, semanticModel, cancellationToken)
                || RecordsFailure(block, semanticModel, model, callerType, recordingMethods, cancellationToken))
            {
                return;
            }

            reason = ReturnsValue(block) ? ResultReason : HiddenReason;
        }

        // Generated code is skipped at the end: the test walks up to the type, and most catch clauses stop earlier.
        if (model.GeneratedCode.Skips(catchClause, context.Options))
        {
            return;
        }

        var member = MemberName(enclosing);
        var end = declaration?.Span.End ?? catchClause.CatchKeyword.Span.End;
        var location = Location.Create(catchClause.SyntaxTree, TextSpan.FromBounds(catchClause.CatchKeyword.SpanStart, end));
        var head = declaration is null ? "catch" : "catch (" + declaration.Type + ")";
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.SwallowedException,
            location,
            ImmutableDictionary<string, string?>.Empty.Add(MemberProperty, member),
            head,
            member,
            reason));
    }

    /// <summary>
    /// True when the filter lets only cancellation through: a positive type test for a cancellation exception,
    /// or a read of <c>IsCancellationRequested</c>, as the filter or one of its <c>&amp;&amp;</c> operands.
    /// </summary>
    private static bool NarrowsToCancellation(ExpressionSyntax filter, SemanticModel semanticModel, KnownTypes types, CancellationToken cancellationToken)
    {
        switch (filter)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return NarrowsToCancellation(parenthesized.Expression, semanticModel, types, cancellationToken);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.LogicalAndExpression):
                return NarrowsToCancellation(binary.Left, semanticModel, types, cancellationToken)
                       || NarrowsToCancellation(binary.Right, semanticModel, types, cancellationToken);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.IsExpression):
                return types.IsCancellation(semanticModel.GetTypeInfo(binary.Right, cancellationToken).Type);
            case IsPatternExpressionSyntax isPattern:
                return PatternIsCancellation(isPattern.Pattern, semanticModel, types, cancellationToken);
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsCancellationRequested" } access:
                return SymbolEqualityComparer.Default.Equals(
                    semanticModel.GetSymbolInfo(access, cancellationToken).Symbol?.ContainingType, types.CancellationToken);
            default:
                return false;
        }
    }

    private static bool PatternIsCancellation(PatternSyntax pattern, SemanticModel semanticModel, KnownTypes types, CancellationToken cancellationToken)
        => pattern switch
        {
            ParenthesizedPatternSyntax parenthesized => PatternIsCancellation(parenthesized.Pattern, semanticModel, types, cancellationToken),
            BinaryPatternSyntax binary when binary.IsKind(SyntaxKind.OrPattern) =>
                PatternIsCancellation(binary.Left, semanticModel, types, cancellationToken)
                && PatternIsCancellation(binary.Right, semanticModel, types, cancellationToken),
            BinaryPatternSyntax binary when binary.IsKind(SyntaxKind.AndPattern) =>
                PatternIsCancellation(binary.Left, semanticModel, types, cancellationToken)
                || PatternIsCancellation(binary.Right, semanticModel, types, cancellationToken),
            DeclarationPatternSyntax declaration => types.IsCancellation(semanticModel.GetTypeInfo(declaration.Type, cancellationToken).Type),
            TypePatternSyntax type => types.IsCancellation(semanticModel.GetTypeInfo(type.Type, cancellationToken).Type),
            RecursivePatternSyntax { Type: { } type } => types.IsCancellation(semanticModel.GetTypeInfo(type, cancellationToken).Type),
            ConstantPatternSyntax constant => types.IsCancellation(semanticModel.GetTypeInfo(constant.Expression, cancellationToken).Type),
            _ => false,
        };

    /// <summary>A <c>throw</c> that runs as part of the catch (not one inside a lambda or local function).</summary>
    private static bool Rethrows(BlockSyntax block)
        => block.DescendantNodes(descendIntoChildren: n => !IsNestedFunction(n))
            .Any(n => n.IsKind(SyntaxKind.ThrowStatement) || n.IsKind(SyntaxKind.ThrowExpression));

    private static bool ReturnsValue(BlockSyntax block)
        => block.DescendantNodes(descendIntoChildren: n => !IsNestedFunction(n))
            .Any(n => n is ReturnStatementSyntax { Expression: not null });

    private static bool IsNestedFunction(SyntaxNode node)
        => node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax;

    /// <summary>True when <paramref name="scope"/> reads the exception variable anywhere, lambdas included.</summary>
    private static bool Reads(SyntaxNode scope, ILocalSymbol? variable, SemanticModel semanticModel, CancellationToken cancellationToken)
        => variable is not null && scope.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(identifier =>
            identifier.Identifier.ValueText == variable.Name
            && SymbolEqualityComparer.Default.Equals(semanticModel.GetSymbolInfo(identifier, cancellationToken).Symbol, variable));

    /// <summary>True when <paramref name="filter"/> hands the exception variable to a call (<c>when (Log(ex))</c>).</summary>
    private static bool PassesVariable(ExpressionSyntax filter, ILocalSymbol? variable, SemanticModel semanticModel, CancellationToken cancellationToken)
        => variable is not null && filter.DescendantNodesAndSelf().OfType<ArgumentSyntax>().Any(argument =>
            Reads(argument, variable, semanticModel, cancellationToken));

    private static bool RecordsFailure(
        SyntaxNode scope, SemanticModel semanticModel, Model model, INamedTypeSymbol? callerType,
        SymbolNameMatcher recordingMethods, CancellationToken cancellationToken)
    {
        foreach (var invocation in scope.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
        {
            if (semanticModel.GetOperation(invocation, cancellationToken) is IInvocationOperation operation
                && model.TraceCalls.Traces(operation, callerType, recordingMethods))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name a person calls the member that holds the catch (lambdas and local functions belong to it).</summary>
    private static string MemberName(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor => constructor.ContainingType.Name,
            IMethodSymbol { AssociatedSymbol: { } associated } => associated.Name,
            IMethodSymbol { Name: "<Main>$" } => "Main",
            null => "code",
            _ => symbol.Name,
        };
    }
}
