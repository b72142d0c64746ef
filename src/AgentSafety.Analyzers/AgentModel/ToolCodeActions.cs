using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>An operation to check, wherever the check runs (at once, or at the end of its type).</summary>
internal readonly struct OperationCheck
{
    public OperationCheck(IOperation operation, ISymbol containingSymbol, AnalyzerOptions options, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        Operation = operation;
        ContainingSymbol = containingSymbol;
        Options = options;
        Report = report;
        CancellationToken = cancellationToken;
    }

    public IOperation Operation { get; }

    /// <summary>The symbol whose code holds the operation (as <see cref="OperationAnalysisContext.ContainingSymbol"/>).</summary>
    public ISymbol ContainingSymbol { get; }

    public AnalyzerOptions Options { get; }

    public Action<Diagnostic> Report { get; }

    public CancellationToken CancellationToken { get; }
}

/// <summary>
/// Operation actions for rules that ask whether code is tool code (<see cref="ToolCode"/>). Answering that for a
/// helper needs the bodies of the type's tools; bound by us, out of the driver's order, each one costs a full
/// bind. So an operation in a type that may hold tools (<see cref="ToolMethods.MayHoldToolsBySyntax"/>: a method
/// with a tool attribute's name, or a registration) is checked at the type's end, when the driver has bound every
/// body of the type (<see cref="MethodBodies.CollectFrom"/>); an operation anywhere else is checked at once, where
/// the answer is cheap ("not tool code", or a lambda tool).
/// </summary>
internal static class ToolCodeActions
{
    /// <summary>
    /// Runs <paramref name="check"/> for each operation of <paramref name="kinds"/> that <paramref name="candidate"/>
    /// (cheap, no tool questions) accepts: at once, or at the end of its type. <paramref name="typeEnd"/>, if given,
    /// runs at the end of every type that may hold tools, with all its bodies at hand. With
    /// <paramref name="toolCodeOnly"/> (a rule that judges tool code and nothing else), operations are not even
    /// offered to <paramref name="candidate"/> outside the places tool code can be: a type that may hold tools
    /// (checked at its end; top-level statements' <c>Program</c> is one), or an implicitly declared type (code written
    /// outside any type), which gets no start or end of its own.
    /// </summary>
    /// <summary>
    /// For rules that judge whole tools (AGS004, AGS007): a lambda registered as a tool is offered with its registration
    /// (<paramref name="lambdaRegistration"/>, at once or at its type's end), and at each type's end every tool method of
    /// the type is offered with its declaration and options (<paramref name="toolMethod"/>), the bodies bound by the driver.
    /// </summary>
    public static void RegisterToolJudges(
        CompilationStartAnalysisContext start,
        AgentModel model,
        Action<OperationCheck> lambdaRegistration,
        Action<SymbolAnalysisContext, IMethodSymbol, SyntaxReference, AgentSafetyOptions> toolMethod)
        => Register(
            start,
            model,
            (operation, _, _) => model.ToolMethods.IsRegistration((IInvocationOperation)operation)
                                 && ToolMethods.RegisteredDelegate((IInvocationOperation)operation) is IAnonymousFunctionOperation,
            lambdaRegistration,
            (end, type) =>
            {
                foreach (var member in type.GetMembers())
                {
                    if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && method.DeclaringSyntaxReferences is { IsEmpty: false } references)
                    {
                        var options = AgentSafetyOptions.For(end.Options, references[0].SyntaxTree);
                        if (model.ToolMethods.IsToolMethod(method, options.Get(AgentSafetyOptions.Keys.ToolAttributes)))
                        {
                            toolMethod(end, method, references[0], options);
                        }
                    }
                }
            },
            toolCodeOnly: true,
            OperationKind.Invocation);

    public static void Register(
        CompilationStartAnalysisContext start,
        AgentModel model,
        Func<IOperation, ISymbol, AnalyzerOptions, bool> candidate,
        Action<OperationCheck> check,
        Action<SymbolAnalysisContext, INamedTypeSymbol>? typeEnd,
        bool toolCodeOnly,
        params OperationKind[] kinds)
    {
        var operationKinds = ImmutableArray.Create(kinds);
        var deferral = new Deferral(model);
        start.RegisterOperationAction(
            c =>
            {
                var home = HomeType(c.ContainingSymbol);
                // A type that cannot hold tools holds no tool code (no tool, no lambda registered in it, so no helper
                // of one), and a type that may is checked at its end: only an implicitly declared type is left.
                if (toolCodeOnly && home is { IsImplicitlyDeclared: false })
                {
                    return;
                }

                if (candidate(c.Operation, c.ContainingSymbol, c.Options) && !deferral.IsDeferred(home, c.Options))
                {
                    check(new OperationCheck(c.Operation, c.ContainingSymbol, c.Options, c.ReportDiagnostic, c.CancellationToken));
                }
            },
            operationKinds);

        start.RegisterSymbolStartAction(
            s =>
            {
                var type = (INamedTypeSymbol)s.Symbol;
                if (!deferral.IsDeferred(type, s.Options))
                {
                    return;
                }

                model.Bodies.CollectFrom(s);
                var pending = new ConcurrentQueue<(IOperation Operation, ISymbol Owner)>();
                s.RegisterOperationAction(
                    c =>
                    {
                        // Only this type's own code: a nested type is judged on its own.
                        if (SymbolEqualityComparer.Default.Equals(HomeType(c.ContainingSymbol), type) && candidate(c.Operation, c.ContainingSymbol, c.Options))
                        {
                            pending.Enqueue((c.Operation, c.ContainingSymbol));
                        }
                    },
                    operationKinds);
                s.RegisterSymbolEndAction(e =>
                {
                    foreach (var (operation, owner) in pending)
                    {
                        check(new OperationCheck(operation, owner, e.Options, e.ReportDiagnostic, e.CancellationToken));
                    }

                    typeEnd?.Invoke(e, type);
                });
            },
            SymbolKind.NamedType);
    }

    /// <summary>The type whose member holds the code of <paramref name="owner"/> (through lambdas and local functions).</summary>
    public static INamedTypeSymbol? HomeType(ISymbol owner)
    {
        var member = owner;
        while (member is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
        {
            member = member.ContainingSymbol;
        }

        return member as INamedTypeSymbol ?? member.ContainingType;
    }

    /// <summary>
    /// Whether a type's operations wait for its end: it may hold tools. Asked at each type's start, and for the few
    /// operations a rule's cheap test accepts; the answer comes from the model's sets, built once and only read, so it is
    /// not kept per type (a table written at every type's start cost more than the answers it saved). An implicitly
    /// declared type (code written outside any type) is checked at once: its symbol gets no start/end actions of its
    /// own. Top-level statements' <c>Program</c> is declared explicitly for this purpose and waits like any other type.
    /// </summary>
    private sealed class Deferral
    {
        private readonly AgentModel _model;

        public Deferral(AgentModel model) => _model = model;

        public bool IsDeferred(INamedTypeSymbol? type, AnalyzerOptions options)
        {
            if (type is null || type.IsImplicitlyDeclared)
            {
                return false;
            }

            var references = type.DeclaringSyntaxReferences;
            if (references.IsEmpty)
            {
                return false;
            }

            var attributes = AgentSafetyOptions.For(options, references[0].SyntaxTree).Get(AgentSafetyOptions.Keys.ToolAttributes);
            // From syntax: a type deferred for a same-named attribute is only judged later, with the same answers.
            return _model.ToolMethods.MayHoldToolsBySyntax(type, attributes);
        }
    }
}
