using System.Collections.Concurrent;
using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel;
using AgentSafety.Analyzers.AgentModel.Flows;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.Analyzers.Rules;

/// <summary>
/// AGS008: a secret value (<see cref="SecretValues"/>) reaches a log, a trace, the console, a thrown exception's message
/// or a prompt (<see cref="DisclosureSinks"/>), followed back from the sink within the method (<see cref="ValueFlow"/>
/// asked <see cref="SecretValueQuestion"/>). Reported on the part of the message that carries the secret: an
/// interpolation hole, an operand of a concatenation, an argument.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SecretDisclosureAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: how the fix replaces the secret (<see cref="FixHole"/>, <see cref="FixValue"/>); absent when it cannot.</summary>
    public const string FixProperty = "Fix";

    /// <summary>The secret is an interpolation hole: the hole becomes the text <c>[redacted]</c>.</summary>
    public const string FixHole = "Hole";

    /// <summary>The secret is a string operand or argument: it becomes the literal <c>"[redacted]"</c>.</summary>
    public const string FixValue = "Value";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.SecretDisclosure);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.RegisterCompilationStartAction(start =>
        {
            var model = Model.For(start.Compilation);
            // The options' methods per tree, read for the calls a known sink's name accepts; every other call is asked
            // only when some tree names extra sink methods (looked up once here, not per call).
            var treeOptions = new ConcurrentDictionary<SyntaxTree, Configured>();
            var anySinkMethods = start.Compilation.SyntaxTrees.Any(t => AgentSafetyOptions.For(start.Options, t).Get(AgentSafetyOptions.Keys.Ags008SinkMethods) is not null);
            start.RegisterOperationAction(
                c =>
                {
                    var operation = c.Operation;
                    var known = DisclosureSinks.MayBeSink(operation, configured: false);
                    if (!known && !(anySinkMethods && operation is IInvocationOperation))
                    {
                        return;
                    }

                    // No lambda here: one capturing c would be allocated on every call this action sees.
                    var tree = operation.Syntax.SyntaxTree;
                    var configured = treeOptions.TryGetValue(tree, out var read)
                        ? read
                        : treeOptions.GetOrAdd(tree, Configured.Read(model, AgentSafetyOptions.For(c.Options, tree)));
                    if (known || configured.HasSinkMethods)
                    {
                        Analyze(c, model, configured);
                    }
                },
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.Throw);
        });
    }

    private static void Analyze(OperationAnalysisContext context, Model model, Configured configured)
    {
        var operation = context.Operation;
        // Syntax first: code that names no secret cannot read one (each file's text read once, then a lookup per call).
        if (!model.SecretValues.MayReadSecret(Root(operation).Syntax))
        {
            return;
        }

        var sinks = model.DisclosureSinks.Classify(operation, configured.SinkMethods);
        if (sinks.IsEmpty || model.GeneratedCode.Skips(operation.Syntax, context.Options))
        {
            return;
        }

        var question = new SecretValueQuestion(model.SecretValues, configured.Redactors);
        var found = new List<(IOperation Carrier, Taint Taint)>();
        foreach (var sink in sinks)
        {
            found.Clear();
            Carriers(model, question, sink.Value, found);
            foreach (var (carrier, taint) in found)
            {
                var properties = FixOf(model, carrier, taint) is { } fix
                    ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, fix)
                    : ImmutableDictionary<string, string?>.Empty;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.SecretDisclosure, carrier.Syntax.GetLocation(), properties, taint.Source, sink.Text));
            }
        }
    }

    /// <summary>
    /// The parts of a written value that carry a secret: the holes of an interpolated string, the operands of a
    /// concatenation, the arguments of <c>string.Format/Concat/Join</c>, or the value itself.
    /// </summary>
    private static void Carriers(Model model, SecretValueQuestion question, IOperation value, List<(IOperation, Taint)> found)
    {
        var current = value;
        while (current is IConversionOperation or IParenthesizedOperation)
        {
            current = current is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)current).Operand;
        }

        if (current.ConstantValue.HasValue)
        {
            return;
        }

        switch (current)
        {
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation hole)
                    {
                        Carriers(model, question, hole.Expression, found);
                    }
                }

                return;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation:
                Carriers(model, question, concatenation.LeftOperand, found);
                Carriers(model, question, concatenation.RightOperand, found);
                return;
            case IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.SpecialType: SpecialType.System_String, Name: "Format" or "Concat" or "Join" } } format:
                foreach (var argument in format.Arguments)
                {
                    if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } items })
                    {
                        foreach (var item in items.ElementValues)
                        {
                            Carriers(model, question, item, found);
                        }
                    }
                    else if (argument.ArgumentKind == ArgumentKind.Explicit)
                    {
                        Carriers(model, question, argument.Value, found);
                    }
                }

                return;
        }

        if (model.ValueFlow.Trace(current, question, homeType: null) is { } taint)
        {
            found.Add((current, taint));
        }
    }

    /// <summary>
    /// How the fix can replace the secret: where the carrier is the secret — it reads it itself, or it is a variable
    /// that holds it (by its name, or by a declaration that reads it) — not a message built from it earlier.
    /// </summary>
    private static string? FixOf(Model model, IOperation carrier, Taint taint)
    {
        var syntax = carrier.Syntax;
        if (taint.Origin is not { } origin || origin.SyntaxTree != syntax.SyntaxTree || !IsTheSecret(model, carrier, origin))
        {
            return null;
        }

        var outer = syntax;
        while (outer.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            outer = parenthesized;
        }

        if (outer.Parent is InterpolationSyntax)
        {
            return FixHole;
        }

        return carrier.Type?.SpecialType == SpecialType.System_String && syntax is ExpressionSyntax ? FixValue : null;
    }

    private static bool IsTheSecret(Model model, IOperation carrier, SyntaxNode origin)
    {
        if (carrier.Syntax.Span.Contains(origin.Span))
        {
            return true;
        }

        var name = carrier switch
        {
            ILocalReferenceOperation local => local.Local.Name,
            IParameterReferenceOperation parameter => parameter.Parameter.Name,
            _ => null,
        };
        return name is not null
               && (model.SecretValues.HoldsSecret(name)
                   || (origin.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } && declarator.Identifier.ValueText == name));
    }

    /// <summary>The methods a tree's options name: extra sinks (<c>agentsafety.AGS008.sink_methods</c>) and redactors.</summary>
    private sealed class Configured
    {
        private Configured(SymbolNameMatcher sinkMethods, SymbolNameMatcher redactors)
        {
            SinkMethods = sinkMethods;
            Redactors = redactors;
        }

        public SymbolNameMatcher SinkMethods { get; }

        public SymbolNameMatcher Redactors { get; }

        public bool HasSinkMethods => !ReferenceEquals(SinkMethods, SymbolNameMatcher.Empty);

        public static Configured Read(Model model, AgentSafetyOptions options)
            => new(model.Options.Methods(options.Get(AgentSafetyOptions.Keys.Ags008SinkMethods)), model.Options.Methods(options.Get(AgentSafetyOptions.Keys.Ags008Redactors)));
    }

    private static IOperation Root(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent)
        {
            current = parent;
        }

        return current;
    }
}
