using System.Collections.Immutable;
using System.Globalization;
using AgentSafety.Analyzers.AgentModel;
using AgentSafety.Analyzers.AgentModel.Flows;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.Analyzers.Rules;

/// <summary>
/// AGS009: a <c>while</c>, <c>do</c> or <c>for</c> loop that runs a model or agent turn and that nothing but the
/// model stops (no turn, token, cost or time limit, no timed cancellation, no input pacing it); or a
/// <c>MaximumIterationsPerRequest</c> set so high that it bounds nothing.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedAgentLoopAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The highest <c>MaximumIterationsPerRequest</c> accepted when <c>agentsafety.AGS009.max_iterations</c> is not set.</summary>
    public const int DefaultMaxIterations = 50;

    private const string MaximumIterationsPerRequest = "MaximumIterationsPerRequest";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnboundedAgentLoop, DiagnosticDescriptors.UnboundedIterations);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.RegisterCompilationStartAction(start =>
        {
            var model = Model.For(start.Compilation);
            start.RegisterOperationAction(c => AnalyzeLoop(c, model), OperationKind.Loop);
            start.RegisterOperationAction(c => AnalyzeAssignment(c, model), OperationKind.SimpleAssignment);
        });
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, Model model)
    {
        var loop = (ILoopOperation)context.Operation;
        if (!LoopBounds.IsOpenEnded(loop) || Keyword(loop.Syntax) is not { } keyword || model.GeneratedCode.Skips(loop.Syntax, context.Options))
        {
            return;
        }

        if (model.LoopBounds.ModelTurnIn(loop, ToolCodeActions.HomeType(context.ContainingSymbol)) is not { } turn || model.LoopBounds.IsBounded(loop))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnboundedAgentLoop, keyword.GetLocation(), turn));
    }

    private static SyntaxToken? Keyword(SyntaxNode syntax)
        => syntax switch
        {
            WhileStatementSyntax w => w.WhileKeyword,
            DoStatementSyntax d => d.DoKeyword,
            ForStatementSyntax f => f.ForKeyword,
            _ => null,
        };

    private static void AnalyzeAssignment(OperationAnalysisContext context, Model model)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { Name: MaximumIterationsPerRequest } property }
            || assignment.Value.ConstantValue is not { HasValue: true, Value: int value }
            || !model.Types.IsIn(property, "Microsoft.Extensions.AI")
            || model.GeneratedCode.Skips(assignment.Syntax, context.Options))
        {
            return;
        }

        var options = AgentSafetyOptions.For(context.Options, assignment.Syntax.SyntaxTree);
        var max = int.TryParse(options.Get(AgentSafetyOptions.Keys.Ags009MaxIterations), NumberStyles.Integer, CultureInfo.InvariantCulture, out var configured) && configured > 0
            ? configured
            : DefaultMaxIterations;
        if (value > max)
        {
            var shown = value == int.MaxValue ? "int.MaxValue" : value.ToString(CultureInfo.InvariantCulture);
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnboundedIterations, assignment.Syntax.GetLocation(), shown));
        }
    }
}
