using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel.Flows;

/// <summary>
/// AGS006's question: does model-chosen text (a tool's text argument, a model's answer, <see cref="ToolInputs"/>) reach
/// a sink of one kind? Cleaned by the configured sanitizers, by <c>Path.GetFileName</c> (and its kin) for a path and
/// by URL escaping for a URL, and by guards; followed into same-type helpers and up to the tools that call them.
/// </summary>
internal sealed class ModelTextQuestion : FlowQuestion
{
    private static readonly HashSet<string> PathCleaners = NameSet.Of("GetFileName", "GetFileNameWithoutExtension", "GetExtension");
    private static readonly HashSet<string> UrlCleaners = NameSet.Of("EscapeDataString", "EscapeUriString", "UrlEncode", "UrlPathEncode");

    private readonly ToolInputs _inputs;
    private readonly FlowTypes _types;
    private readonly SinkKind _kind;
    private readonly string? _toolAttributes;
    private readonly SymbolNameMatcher _sanitizers;

    public ModelTextQuestion(ToolInputs inputs, FlowTypes types, SinkKind kind, string? toolAttributes, SymbolNameMatcher sanitizers)
    {
        _inputs = inputs;
        _types = types;
        _kind = kind;
        _toolAttributes = toolAttributes;
        _sanitizers = sanitizers;
    }

    public override SymbolNameMatcher Sanitizers => _sanitizers;

    public override bool GuardsClean => true;

    public override bool EntersHelpers => true;

    public override string? CallersOfTools => _toolAttributes ?? string.Empty;

    public override Taint? Parameter(IParameterSymbol parameter, IOperation reference)
        => _inputs.ToolOf(parameter, reference, _toolAttributes) is { } tool
            ? new Taint("parameter '" + parameter.Name + "' of tool '" + tool + "'", string.Empty)
            : null;

    public override Taint? Read(IOperation operation)
        => _inputs.ModelOutput(operation) is { } output ? new Taint("model output '" + output + "'", string.Empty) : null;

    public override bool Cleans(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (_sanitizers.Matches(method))
        {
            return true;
        }

        var declaring = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        return _kind switch
        {
            SinkKind.Path => PathCleaners.Contains(method.Name) && FlowTypes.Is(declaring, _types.Path),
            SinkKind.Url => UrlCleaners.Contains(method.Name)
                            && (FlowTypes.Is(declaring, _types.Uri) || FlowTypes.Is(declaring, _types.WebUtility) || FlowTypes.Is(declaring, _types.HttpUtility)),
            _ => false,
        };
    }
}
