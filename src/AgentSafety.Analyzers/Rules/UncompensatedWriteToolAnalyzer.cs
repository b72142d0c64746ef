using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.Analyzers.Rules;

/// <summary>
/// AGS004: an agent tool that changes external state (a visible write, or <c>[McpServerTool(Destructive = true)]</c>)
/// with nothing that undoes it; or a compensation that exists but only throws <c>NotImplementedException</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncompensatedWriteToolAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the name the fix gives the new compensation.</summary>
    public const string CompensationNameProperty = "CompensationName";

    /// <summary>Diagnostic property: the tool's name (a lambda tool's registered name), for the fix's documentation.</summary>
    public const string ToolNameProperty = "ToolName";

    internal const string DestructiveHint = "Destructive = true";

    private const int ShownWrites = 3;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UncompensatedWriteTool, DiagnosticDescriptors.UnimplementedCompensation);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.RegisterCompilationStartAction(start =>
        {
            var model = Model.For(start.Compilation);

            // Tools are judged at their type's end, with the bodies the driver has bound (no binding of our own): a
            // tool's writes may sit in same-type helpers, and its compensation is another member. Lambda tools in
            // an implicitly declared type (code outside any type), which has no end of its own, are judged at once.
            ToolCodeActions.RegisterToolJudges(
                start,
                model,
                check => AnalyzeRegistration(check, model),
                (end, method, declaration, options) => AnalyzeMethod(end, method, declaration, options, model));
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, IMethodSymbol method, SyntaxReference declaration, AgentSafetyOptions options, Model model)
    {
        if (model.GeneratedCode.Skips(declaration.GetSyntax(context.CancellationToken), context.Options))
        {
            return;
        }

        if (model.ToolCode.MethodTool(method, options.Get(AgentSafetyOptions.Keys.ToolAttributes)) is { } tool)
        {
            Analyze(tool, method.Locations[0], options, model, context.ReportDiagnostic);
        }
    }

    private static void AnalyzeRegistration(OperationCheck context, Model model)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (ToolMethods.RegisteredDelegate(invocation) is not IAnonymousFunctionOperation lambda || model.GeneratedCode.Skips(invocation.Syntax, context.Options))
        {
            return;
        }

        var options = AgentSafetyOptions.For(context.Options, invocation.Syntax.SyntaxTree);
        var tool = model.ToolCode.ToolsHolding(lambda.Body, context.ContainingSymbol, options.Get(AgentSafetyOptions.Keys.ToolAttributes))
            .FirstOrDefault(t => t.IsLambda);
        if (tool is not null)
        {
            Analyze(tool, lambda.Syntax.GetLocation(), options, model, context.Report);
        }
    }

    private static void Analyze(Tool tool, Location location, AgentSafetyOptions options, Model model, Action<Diagnostic> report)
    {
        var hints = model.ToolHints.Of(tool);
        if (hints.ReadOnly == true)
        {
            return;
        }

        var writes = model.ToolWrites.Of(tool, options.Get(AgentSafetyOptions.Keys.WriteVerbs));
        if (writes.IsEmpty && hints.Destructive != true)
        {
            return;
        }

        var prefixes = options.Get(AgentSafetyOptions.Keys.Ags004CompensationPrefixes);
        if (model.Compensations.IsCompensation(tool, prefixes))
        {
            return;
        }

        var finding = model.Compensations.Find(tool, writes, prefixes);
        if (finding.IsCompensated)
        {
            return;
        }

        if (!finding.Stubs.IsEmpty)
        {
            // The stub is the problem left to solve: reporting the tool too would say the same thing twice.
            foreach (var stub in finding.Stubs)
            {
                report(Diagnostic.Create(DiagnosticDescriptors.UnimplementedCompensation, stub.Locations[0], stub.Name, tool.Name));
            }

            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(CompensationNameProperty, model.Compensations.NewCompensationName(tool, prefixes))
            .Add(ToolNameProperty, tool.Name);
        report(Diagnostic.Create(DiagnosticDescriptors.UncompensatedWriteTool, location, properties, tool.Name, Describe(finding.Uncovered)));
    }

    /// <summary>The writes as people wrote them (<c>HttpClient.PostAsync, File.Delete</c>), or the hint when none is visible.</summary>
    private static string Describe(ImmutableArray<ToolWrite> writes)
    {
        if (writes.IsEmpty)
        {
            return DestructiveHint;
        }

        var distinct = writes.Select(w => w.Write.Display).Distinct(StringComparer.Ordinal).ToList();
        var shown = string.Join(", ", distinct.Take(ShownWrites));
        return distinct.Count > ShownWrites ? shown + ", ..." : shown;
    }
}
