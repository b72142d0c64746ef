using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.Analyzers.Rules;

/// <summary>
/// AGS005: a write (HTTP, file, database, mail, process, a write verb on a service) in tool code whose method does
/// not trace. A method traces when its code — lambdas and local functions included — calls anything on the shared
/// trace list, anywhere in the body. A write in a same-type helper is also traced when every tool reaching the
/// helper traces (their span is active around the call). A lambda tool must trace in its own body: a span in the
/// method that registers it does not run when the tool does.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UntracedStateChangeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UntracedStateChange);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.RegisterCompilationStartAction(start =>
        {
            var model = Model.For(start.Compilation);
            // A write counts in tool code only: in a type that may hold tools, it is judged at the type's end.
            ToolCodeActions.Register(
                start,
                model,
                (operation, owner, options) => model.WriteOperations.Classify(
                    operation, owner.ContainingType, AgentSafetyOptions.For(options, operation.Syntax.SyntaxTree).Get(AgentSafetyOptions.Keys.WriteVerbs)) is not null,
                check => Analyze(check, model),
                typeEnd: null,
                toolCodeOnly: true,
                OperationKind.Invocation,
                OperationKind.ObjectCreation);
        });
    }

    private static void Analyze(OperationCheck context, Model model)
    {
        var operation = context.Operation;
        var options = AgentSafetyOptions.For(context.Options, operation.Syntax.SyntaxTree);
        // The generated-code filter runs only for an untraced write: the rare case, so its cost stays off the hot path.
        if (Find(model, operation, context.ContainingSymbol, options, willTrace: null) is { } untraced
            && !model.GeneratedCode.Skips(operation.Syntax, context.Options))
        {
            context.Report(Diagnostic.Create(
                DiagnosticDescriptors.UntracedStateChange, operation.Syntax.GetLocation(), untraced.Write.Display, untraced.MessageTool));
        }
    }

    /// <summary>
    /// The untraced write <paramref name="operation"/> performs, or null when it writes nothing, is not tool code,
    /// or is traced. <paramref name="owner"/> is the symbol whose code holds the operation. <paramref name="willTrace"/>
    /// (for fixes) names the methods and lambdas, by declaration, that will trace once planned edits are made.
    /// </summary>
    internal static UntracedWrite? Find(Model model, IOperation operation, ISymbol owner, AgentSafetyOptions options, Func<SyntaxNode, bool>? willTrace)
    {
        var toolAttributes = options.Get(AgentSafetyOptions.Keys.ToolAttributes);
        if (!model.ToolMethods.AnyToolLibrary && toolAttributes is null)
        {
            return null;
        }

        // The write comes first: a few name and type checks settle most calls before tool code is looked at.
        var callerType = owner.ContainingType;
        if (model.WriteOperations.Classify(operation, callerType, options.Get(AgentSafetyOptions.Keys.WriteVerbs)) is not { } write)
        {
            return null;
        }

        var traceMethods = model.Options.Methods(options.Get(AgentSafetyOptions.Keys.Ags005TraceMethods));
        Func<IMethodSymbol, bool>? methodWillTrace = willTrace is null
            ? null
            : method => method.DeclaringSyntaxReferences.Any(r => willTrace(r.GetSyntax()));

        bool CodeTraces(IOperation code, SyntaxNode declaration)
            => methodWillTrace is null
                ? model.TraceCalls.CodeTraces(code, callerType, traceMethods)
                : willTrace!(declaration) || model.TraceCalls.CodeTraces(code, callerType, traceMethods, methodWillTrace);

        // Cheapest questions first: a lambda tool and a tool method are settled by their own code; only a write in
        // a helper needs the tools of the whole type (each tool bound, its calls followed).
        if (model.ToolCode.LambdaToolHolding(operation, owner) is { } lambda)
        {
            return CodeTraces(lambda.Body, lambda.Syntax)
                ? null
                : new UntracedWrite(write, lambda.Name, lambda.Syntax, lambda.Symbol, lambda.Name, lambda.Name);
        }

        var method = owner as IMethodSymbol;
        while (method is { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
        {
            method = method.ContainingSymbol as IMethodSymbol;
        }

        if (method is null)
        {
            return null;
        }

        if (model.ToolMethods.IsToolMethod(method, toolAttributes))
        {
            // Other tools calling this one do not matter: the model can call it directly, untraced.
            return model.Bodies.GetBody(method) is not { } toolBody || CodeTraces(toolBody, toolBody.Syntax)
                ? null
                : new UntracedWrite(write, method.Name, toolBody.Syntax, method, method.Name, method.Name);
        }

        var tools = model.ToolCode.ToolsReaching(method, toolAttributes);
        if (tools.IsEmpty || model.Bodies.GetBody(method) is not { } body || CodeTraces(body, body.Syntax)
            || tools.FirstOrDefault(t => !CodeTraces(t.Body, t.Syntax)) is not { } untracedTool)
        {
            return null;
        }

        return new UntracedWrite(write, untracedTool.Name, body.Syntax, method, method.Name, tools.Length == 1 ? tools[0].Name : null);
    }
}

/// <summary>An untraced write, and the code unit (tool or helper) a fix instruments.</summary>
internal sealed class UntracedWrite
{
    public UntracedWrite(WriteOperation write, string messageTool, SyntaxNode unit, IMethodSymbol unitSymbol, string unitName, string? knownTool)
    {
        Write = write;
        MessageTool = messageTool;
        Unit = unit;
        UnitSymbol = unitSymbol;
        UnitName = unitName;
        KnownTool = knownTool;
    }

    public WriteOperation Write { get; }

    /// <summary>The tool the message names: the unit itself when it is a tool, else the first untraced tool reaching it.</summary>
    public string MessageTool { get; }

    /// <summary>The method declaration or lambda whose code holds the write.</summary>
    public SyntaxNode Unit { get; }

    public IMethodSymbol UnitSymbol { get; }

    /// <summary>The tool's name when the unit is a tool, else the helper method's name.</summary>
    public string UnitName { get; }

    /// <summary>The one tool the unit's code runs for, when that is certain (the unit is a tool, or one tool reaches it).</summary>
    public string? KnownTool { get; }
}
