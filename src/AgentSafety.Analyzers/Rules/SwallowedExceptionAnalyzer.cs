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
        if (context.Operation is not ICatchClauseOperation { Syntax: CatchClauseSyntax catchClause } operation)
        {
            return;
        }

        var block = catchClause.Block;
        // Known types are resolved on first use, here rather than at the start (which would bind ahead of the compiler).
        if (block.IsMissing || model.Types.Exception is null)
        {
            return;
        }

        // Syntax first: a block with a comment saying why, or a block that throws, is never reported whatever the type.
        if (CatchBlocks.HoldsExplanation(block) || (block.Statements.Count > 0 && Rethrows(block)) || CatchBlocks.TriesNextCandidate(block))
        {
            return;
        }

        var declaration = catchClause.Declaration;
        var options = AgentSafetyOptions.For(context.Options, catchClause.SyntaxTree);
        var broadTypes = model.Options.Types(options.Get(AgentSafetyOptions.Keys.Ags003BroadExceptionTypes), DefaultBroadExceptionTypes);
        if (block.Statements.Count > 0 && declaration is not null && !model.TypeSyntax.MayName(declaration.Type, broadTypes))
        {
            // A block that does something with a specific type is deliberate handling: no need to look at the type.
            return;
        }

        // From here on, everything is read from the operations the driver has bound (no semantic model queries).
        var caught = declaration is null ? null : operation.ExceptionType;
        if (declaration is not null && (caught is null || caught.TypeKind == TypeKind.Error || model.Types.IsCancellation(caught)))
        {
            return;
        }

        var filter = catchClause.Filter is null ? null : operation.Filter;
        if (filter is not null && NarrowsToCancellation(filter, model.Types))
        {
            return;
        }

        if (block.Statements.Count > 0 && caught is not null && !broadTypes.Contains(caught.OriginalDefinition, SymbolEqualityComparer.Default))
        {
            return;
        }

        // An empty catch around a probe for a value: the value stays absent and the code after handles that.
        if ((block.Statements.Count == 0 && CatchBlocks.IsValueProbe(operation)) || CatchBlocks.AnswersForAnUnaskableProperty(operation))
        {
            return;
        }

        // The Try pattern: a TryX method (or local function; a lambda's return is not the method's) answers a failure
        // with false/null by contract.
        if (CatchBlocks.IsTryPatternMethod(context.ContainingSymbol as IMethodSymbol) && CatchBlocks.ReturnsOnlyFailure(block))
        {
            return;
        }

        var exceptionVariable = (operation.ExceptionDeclarationOrExpression as IVariableDeclaratorOperation)?.Symbol;
        var recordingMethods = model.Options.Methods(options.Get(AgentSafetyOptions.Keys.Ags003FailureRecordingMethods));
        var enclosing = context.ContainingSymbol;
        var callerType = enclosing.ContainingType;

        if (filter is not null && (PassesVariable(filter, exceptionVariable) || RecordsFailure(filter, model, callerType, recordingMethods)))
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
            if ((filter is not null && Reads(filter, exceptionVariable))
                || Reads(operation.Handler, exceptionVariable)
                || RecordsFailure(operation.Handler, model, callerType, recordingMethods))
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
    private static bool NarrowsToCancellation(IOperation filter, KnownTypes types)
        => filter switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and
                => NarrowsToCancellation(and.LeftOperand, types) || NarrowsToCancellation(and.RightOperand, types),
            IIsTypeOperation { IsNegated: false } isType => types.IsCancellation(isType.TypeOperand),
            IIsPatternOperation isPattern => PatternIsCancellation(isPattern.Pattern, types),
            IPropertyReferenceOperation { Property: { Name: "IsCancellationRequested" } property }
                => SymbolEqualityComparer.Default.Equals(property.ContainingType, types.CancellationToken),
            _ => false,
        };

    private static bool PatternIsCancellation(IPatternOperation pattern, KnownTypes types)
        => pattern switch
        {
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } or
                => PatternIsCancellation(or.LeftPattern, types) && PatternIsCancellation(or.RightPattern, types),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } and
                => PatternIsCancellation(and.LeftPattern, types) || PatternIsCancellation(and.RightPattern, types),
            IDeclarationPatternOperation declaration => types.IsCancellation(declaration.MatchedType),
            ITypePatternOperation type => types.IsCancellation(type.MatchedType),
            // A property pattern counts only with its type written out: { } alone tests the exception's own type.
            IRecursivePatternOperation { Syntax: RecursivePatternSyntax { Type: not null } } recursive => types.IsCancellation(recursive.MatchedType),
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
    private static bool Reads(IOperation scope, ILocalSymbol? variable)
    {
        if (variable is null)
        {
            return false;
        }

        foreach (var descendant in scope.DescendantsAndSelf())
        {
            if (descendant is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, variable))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="filter"/> hands the exception variable to a call (<c>when (Log(ex))</c>): a read inside an argument.</summary>
    private static bool PassesVariable(IOperation filter, ILocalSymbol? variable)
    {
        if (variable is null)
        {
            return false;
        }

        foreach (var descendant in filter.DescendantsAndSelf())
        {
            if (descendant is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, variable)
                && reference.Syntax.FirstAncestorOrSelf<ArgumentSyntax>() is { } argument && filter.Syntax.Span.Contains(argument.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static bool RecordsFailure(IOperation scope, Model model, INamedTypeSymbol? callerType, SymbolNameMatcher recordingMethods)
    {
        foreach (var descendant in scope.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation invocation && model.TraceCalls.Traces(invocation, callerType, recordingMethods))
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
