using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel;
using AgentSafety.Analyzers.AgentModel.Flows;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.Analyzers.Rules;

/// <summary>
/// AGS006: a value the model chose — a tool's text argument, or a model's answer — reaches a command, SQL text, a file
/// path or a request URL (<see cref="InjectionSinks"/>), followed back from the sink (<see cref="ValueFlow"/>). A URL is
/// reported only when the model's text can decide the host: the value itself, or what follows a bare scheme.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelControlledInjectionAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the sink kind (<c>Command</c>, <c>Sql</c>, <c>Path</c>, <c>Url</c>), for the fixes.</summary>
    public const string SinkKindProperty = "SinkKind";

    /// <summary>Diagnostic property: the start of the reported value inside the sink, for the fixes.</summary>
    public const string ValueStartProperty = "ValueStart";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ModelControlledInjection);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.RegisterCompilationStartAction(start =>
        {
            var model = Model.For(start.Compilation);
            // A tool's parameter reaches a sink in tool code, checked at its type's end (helpers need the type's tools);
            // a model's answer may reach one anywhere, checked at once outside such types.
            ToolCodeActions.Register(
                start,
                model,
                (operation, _, _) => InjectionSinks.MayBeSink(operation),
                check => Analyze(check, model),
                typeEnd: null,
                toolCodeOnly: false,
                OperationKind.Invocation,
                OperationKind.ObjectCreation,
                OperationKind.SimpleAssignment);
        });
    }

    private static void Analyze(OperationCheck context, Model model)
    {
        var operation = context.Operation;
        var sinks = model.InjectionSinks.Classify(operation);
        if (sinks.IsEmpty)
        {
            return;
        }

        var options = AgentSafetyOptions.For(context.Options, operation.Syntax.SyntaxTree);
        if (Find(model, sinks, ToolCodeActions.HomeType(context.ContainingSymbol), options) is not { } found
            || model.GeneratedCode.Skips(operation.Syntax, context.Options))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(SinkKindProperty, found.Sink.Kind.ToString())
            .Add(ValueStartProperty, found.Sink.Value.Syntax.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.Report(Diagnostic.Create(
            DiagnosticDescriptors.ModelControlledInjection, operation.Syntax.GetLocation(), properties,
            found.Taint.Source, found.Sink.KindText, found.Sink.Display));
    }

    /// <summary>The first of <paramref name="sinks"/> that model-chosen text reaches, with its origin; or null.</summary>
    internal static (InjectionSink Sink, Taint Taint)? Find(Model model, ImmutableArray<InjectionSink> sinks, INamedTypeSymbol? homeType, AgentSafetyOptions options)
    {
        var toolAttributes = options.Get(AgentSafetyOptions.Keys.ToolAttributes);
        var sanitizers = model.Options.Methods(options.Get(AgentSafetyOptions.Keys.Ags006Sanitizers));
        foreach (var sink in sinks)
        {
            if (model.ValueFlow.Trace(sink.Value, sink.Kind, homeType, toolAttributes, sanitizers) is { } taint
                && (sink.Kind != SinkKind.Url || DecidesHost(taint.Leading)))
            {
                return (sink, taint);
            }
        }

        return null;
    }

    /// <summary>
    /// True when the text before the model's part leaves the host open: nothing (the value starts the URL), a bare
    /// scheme (<c>"https://"</c>), or a scheme and a partial host (<c>"https://api."</c>). After a path separator the
    /// host is fixed; an unknown prefix (a configured base address) is given the benefit of the doubt.
    /// </summary>
    private static bool DecidesHost(string? leading)
    {
        if (leading is null)
        {
            return false;
        }

        if (leading.Length == 0)
        {
            return true;
        }

        var scheme = leading.IndexOf("//", StringComparison.Ordinal);
        return scheme >= 0 && leading.IndexOfAny(new[] { '/', '?', '#' }, scheme + 2) < 0;
    }
}
