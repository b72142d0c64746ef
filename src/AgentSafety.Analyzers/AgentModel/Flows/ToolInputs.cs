using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel.Flows;

/// <summary>
/// Which values a model chooses: the text-carrying parameters of agent tools (a tool's arguments come from the model,
/// which follows whatever text reached it), and the text of a model's answer. Injected services,
/// <c>CancellationToken</c>, numbers, <c>bool</c>, <c>Guid</c>, enums and dates carry no text an attacker can shape.
/// </summary>
internal sealed class ToolInputs
{
    private static readonly HashSet<string> CollectionNames = NameSet.Of(
        "IEnumerable", "ICollection", "IList", "IReadOnlyCollection", "IReadOnlyList", "List", "HashSet", "ISet", "IReadOnlySet",
        "IDictionary", "IReadOnlyDictionary", "Dictionary");

    private readonly ToolMethods _toolMethods;
    private readonly ToolCode _toolCode;
    private readonly Lazy<FlowTypes> _types;
    private readonly Lazy<KnownTypes> _knownTypes;

    public ToolInputs(ToolMethods toolMethods, ToolCode toolCode, Lazy<FlowTypes> types, Lazy<KnownTypes> knownTypes)
    {
        _knownTypes = knownTypes;
        _toolMethods = toolMethods;
        _toolCode = toolCode;
        _types = types;
    }

    private FlowTypes Types => _types.Value;

    /// <summary>
    /// The name of the tool whose model-chosen argument <paramref name="parameter"/> is, or null (not a tool's
    /// parameter, or of a type that carries no text). <paramref name="reference"/> is a use of the parameter: a
    /// lambda's registration is found from it.
    /// </summary>
    public string? ToolOf(IParameterSymbol parameter, IOperation reference, string? configuredAttributes)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method || !CarriesModelText(parameter.Type))
        {
            return null;
        }

        if (method.MethodKind == MethodKind.AnonymousFunction)
        {
            return _toolCode.LambdaToolHolding(reference, method.ContainingSymbol) is { } lambda && SymbolEqualityComparer.Default.Equals(lambda.Symbol, method)
                ? lambda.Name
                : null;
        }

        return _toolMethods.IsToolMethod(method, configuredAttributes) ? method.Name : null;
    }

    /// <summary>
    /// True for the types a model's arguments arrive in as text: <c>string</c>, <c>object</c>, <c>dynamic</c>,
    /// <c>JsonElement</c>, arrays and collections of those, dictionaries keyed by string, and source-declared data
    /// types (records and classes with properties only: the arguments' JSON bound to them).
    /// </summary>
    public bool CarriesModelText(ITypeSymbol type)
    {
        switch (type)
        {
            case { SpecialType: SpecialType.System_String or SpecialType.System_Object }:
            case IDynamicTypeSymbol:
                return true;
            case IArrayTypeSymbol array:
                return CarriesModelText(array.ElementType);
            case INamedTypeSymbol named when FlowTypes.Is(named, Types.JsonElement):
                return true;
            case INamedTypeSymbol { IsGenericType: true } named when CollectionNames.Contains(named.Name) && _knownTypes.Value.IsIn(named, "System.Collections.Generic"):
                var arguments = named.TypeArguments;
                return arguments.Length == 1 ? CarriesModelText(arguments[0]) : arguments[0].SpecialType == SpecialType.System_String;
            case INamedTypeSymbol named:
                return IsDataType(named);
            default:
                return false;
        }
    }

    /// <summary>A type declared in source whose members are data only (properties, fields, constructors): the shape of a tool's JSON argument.</summary>
    private bool IsDataType(INamedTypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsAbstract || type.IsStatic || type.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        var anyText = false;
        foreach (var member in type.GetMembers())
        {
            switch (member)
            {
                case IMethodSymbol { MethodKind: MethodKind.Ordinary, IsImplicitlyDeclared: false }:
                    return false;
                case IPropertySymbol { DeclaredAccessibility: Accessibility.Public } property
                    when property.Type.SpecialType == SpecialType.System_String || property.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_String }:
                    anyText = true;
                    break;
            }
        }

        return anyText;
    }

    /// <summary>The text of a model's answer read by <paramref name="operation"/> (<c>"ChatResponse.Text"</c>), or null.</summary>
    public string? ModelOutput(IOperation operation)
    {
        if (operation is not IPropertyReferenceOperation { Property: { } property })
        {
            return null;
        }

        var name = property.Name;
        if (name != "Text" && name != "Content")
        {
            return null;
        }

        var declaring = property.ContainingType?.OriginalDefinition;
        var isAnswer = name == "Text"
            ? FlowTypes.Is(declaring, Types.ChatResponse) || FlowTypes.Is(declaring, Types.ChatResponseOfT) || FlowTypes.Is(declaring, Types.ChatMessage)
              || FlowTypes.Is(declaring, Types.ChatResponseUpdate) || FlowTypes.Is(declaring, Types.AgentResponse) || FlowTypes.Is(declaring, Types.AgentResponseOfT)
              || FlowTypes.Is(declaring, Types.AgentRunResponse) || FlowTypes.Is(declaring, Types.AgentResponseUpdate)
              || FlowTypes.Is(declaring, Types.OpenAIChatMessageContentPart)
            : FlowTypes.Is(declaring, Types.KernelChatMessageContent);
        return isAnswer ? declaring!.Name + "." + name : null;
    }
}
