using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.Analyzers.Rules;

/// <summary>
/// AGS007: an agent tool that destroys something or moves money (a visible destructive call, or
/// <c>Destructive = true</c>) with no person asked first; or an MCP hint that says the tool is safer than its code
/// (<c>ReadOnly = true</c> on a tool that writes, <c>Destructive = false</c> on one that destroys).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnapprovedDestructiveToolAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which fix applies — <see cref="WrapFix"/>, <see cref="ElicitFix"/> or <see cref="RemoveHintFix"/>.</summary>
    public const string FixProperty = "Fix";

    /// <summary>Diagnostic property for <see cref="RemoveHintFix"/>: the hint's name (<c>ReadOnly</c> or <c>Destructive</c>).</summary>
    public const string HintProperty = "Hint";

    /// <summary>Diagnostic property: the tool's name, for the fix's question to the user.</summary>
    public const string ToolNameProperty = "ToolName";

    public const string WrapFix = "Wrap";
    public const string ElicitFix = "Elicit";
    public const string RemoveHintFix = "RemoveHint";

    private const int Shown = 3;

    private static readonly string[] CompensationPrefixes = { "Compensate", "Undo", "Revert", "Rollback" };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnapprovedDestructiveTool, DiagnosticDescriptors.FalseToolHint);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.RegisterCompilationStartAction(start =>
        {
            var model = Model.For(start.Compilation);

            // As AGS004: tools are judged at their type's end, with the bodies the driver has bound; lambda tools in
            // code outside any type are judged at once.
            ToolCodeActions.RegisterToolJudges(
                start,
                model,
                check => AnalyzeRegistration(check, model),
                (end, method, declaration, options) =>
                {
                    if (!model.GeneratedCode.Skips(declaration.GetSyntax(end.CancellationToken), end.Options)
                        && model.ToolCode.MethodTool(method, options.Get(AgentSafetyOptions.Keys.ToolAttributes)) is { } tool)
                    {
                        Analyze(tool, method.Locations[0], options, model, end.ReportDiagnostic);
                    }
                });
        });
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
            // A read-only tool is the client's business to run freely: only a false hint is reported.
            var writes = model.ToolWrites.Of(tool, options.Get(AgentSafetyOptions.Keys.WriteVerbs));
            if (!writes.IsEmpty)
            {
                report(FalseHint(tool, location, "ReadOnly", "ReadOnly = true", "writes (" + Describe(writes.Select(w => w.Write.Display)) + ")"));
            }

            return;
        }

        var destructive = model.DestructiveOperations.Of(tool, options.Get(AgentSafetyOptions.Keys.Ags007DestructiveVerbs));
        if (hints.Destructive == false)
        {
            if (!destructive.IsEmpty)
            {
                report(FalseHint(tool, location, "Destructive", "Destructive = false", "destroys (" + Describe(destructive.Select(d => d.Display)) + ")"));
            }

            return;
        }

        if ((destructive.IsEmpty && hints.Destructive != true) || IsCompensation(tool, options, model) || model.HumanApprovals.IsWrapped(tool))
        {
            return;
        }

        var approvals = model.Options.Methods(options.Get(AgentSafetyOptions.Keys.Ags007ApprovalMethods));
        var approved = destructive.IsEmpty
            ? model.HumanApprovals.AsksAnywhere(tool, approvals)
            : destructive.All(d => model.HumanApprovals.AsksBefore(tool, d.Site, approvals));
        if (approved)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(ToolNameProperty, tool.Name);
        if (FixFor(tool, model) is { } fix)
        {
            properties = properties.Add(FixProperty, fix);
        }

        var what = destructive.IsEmpty ? "is marked Destructive = true" : "calls " + Describe(destructive.Select(d => d.Display));
        report(Diagnostic.Create(DiagnosticDescriptors.UnapprovedDestructiveTool, location, properties, tool.Name, what));
    }

    private static Diagnostic FalseHint(Tool tool, Location location, string hint, string marked, string does)
    {
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(ToolNameProperty, tool.Name)
            .Add(HintProperty, hint);
        if (tool.Attribute is not null)
        {
            properties = properties.Add(FixProperty, RemoveHintFix);
        }

        return Diagnostic.Create(DiagnosticDescriptors.FalseToolHint, location, properties, tool.Name, marked, does);
    }

    /// <summary>Compensations undo; they are not the destructive step (a name starting Compensate/Undo/Revert/Rollback, or AGS004's compensation forms).</summary>
    private static bool IsCompensation(Tool tool, AgentSafetyOptions options, Model model)
    {
        var name = tool.Name.Replace("_", string.Empty);
        return CompensationPrefixes.Any(p => name.Length > p.Length && name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
               || model.Compensations.IsCompensation(tool, options.Get(AgentSafetyOptions.Keys.Ags004CompensationPrefixes));
    }

    /// <summary>A lambda made a function by <c>AIFunctionFactory.Create</c> gets wrapped; an MCP tool method asks through elicitation.</summary>
    private static string? FixFor(Tool tool, Model model)
    {
        if (tool.Registration is { TargetMethod: { Name: "Create" } create } && SymbolEqualityComparer.Default.Equals(create.ContainingType, model.Types.AIFunctionFactory))
        {
            return WrapFix;
        }

        return !tool.IsLambda && tool.Attribute?.AttributeClass is { } attribute && SymbolEqualityComparer.Default.Equals(attribute, model.Types.McpServerToolAttribute)
            ? ElicitFix
            : null;
    }

    private static string Describe(IEnumerable<string> displays)
    {
        var distinct = displays.Distinct(StringComparer.Ordinal).ToList();
        var shown = string.Join(", ", distinct.Take(Shown));
        return distinct.Count > Shown ? shown + ", ..." : shown;
    }
}
