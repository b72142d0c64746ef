using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.Analyzers.Rules;

/// <summary>
/// AGS002: a call to a model, an agent, a tool or (in tool code, by default) an HTTP endpoint that nothing
/// retries and nothing falls back from.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnprotectedCallAnalyzer : DiagnosticAnalyzer
{
    /// <summary><c>agentsafety.AGS002.http_scope</c>: HTTP calls are reported only in tool code (the default).</summary>
    public const string HttpScopeTools = "tools";

    /// <summary><c>agentsafety.AGS002.http_scope</c>: HTTP calls are reported wherever they are.</summary>
    public const string HttpScopeEverywhere = "everywhere";

    /// <summary><c>agentsafety.AGS002.http_scope</c>: HTTP calls are never reported.</summary>
    public const string HttpScopeNone = "none";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnprotectedCall);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.RegisterCompilationStartAction(start =>
        {
            var model = Model.For(start.Compilation);

            // An HTTP call counts in tool code only: in a type that may hold tools, it is judged at the type's end.
            // Known types are asked only once a call's name matches (resolving them at the start would bind early).
            ToolCodeActions.Register(
                start,
                model,
                (operation, _, _) => OutboundCalls.IsCandidateName(((IInvocationOperation)operation).TargetMethod.Name) && model.OutboundCalls.AnyOutboundApi,
                check => AnalyzeInvocation(check, model),
                typeEnd: null,
                toolCodeOnly: false,
                OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationCheck context, Model model)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (model.GeneratedCode.Skips(invocation.Syntax, context.Options))
        {
            return;
        }

        var callerType = context.ContainingSymbol.ContainingType;
        if (model.OutboundCalls.Classify(invocation, callerType) is not { } outbound)
        {
            return;
        }

        var options = AgentSafetyOptions.For(context.Options, invocation.Syntax.SyntaxTree);
        if (outbound.Kind == OutboundKind.Http && !HttpInScope(invocation, context.ContainingSymbol, options, model))
        {
            return;
        }

        var wrappers = model.Options.Methods(options.Get(AgentSafetyOptions.Keys.Ags002ResilienceWrappers));
        var resilientTypes = model.Options.Types(options.Get(AgentSafetyOptions.Keys.Ags002ResilientTypes), string.Empty);
        if (model.Resilience.IsProtected(invocation, outbound, context.ContainingSymbol, wrappers, resilientTypes))
        {
            return;
        }

        context.Report(Diagnostic.Create(DiagnosticDescriptors.UnprotectedCall, invocation.Syntax.GetLocation(), outbound.Display));
    }

    private static bool HttpInScope(IInvocationOperation invocation, ISymbol owner, AgentSafetyOptions options, Model model)
    {
        var scope = options.Get(AgentSafetyOptions.Keys.Ags002HttpScope);
        if (string.Equals(scope, HttpScopeNone, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return string.Equals(scope, HttpScopeEverywhere, StringComparison.OrdinalIgnoreCase)
               || !model.ToolCode.ToolsHolding(invocation, owner, options.Get(AgentSafetyOptions.Keys.ToolAttributes)).IsEmpty;
    }
}
