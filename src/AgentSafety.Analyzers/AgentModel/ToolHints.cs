using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// What a tool's author wrote about its behaviour in MCP hints. Null means "not written": the protocol's defaults
/// (ReadOnly = false, Destructive = true) are not a statement by the author, so they never count.
/// </summary>
internal readonly struct McpToolHints
{
    public McpToolHints(bool? readOnly, bool? destructive)
    {
        ReadOnly = readOnly;
        Destructive = destructive;
    }

    /// <summary><c>ReadOnly = ...</c> as written: true means the tool changes nothing.</summary>
    public bool? ReadOnly { get; }

    /// <summary><c>Destructive = ...</c> as written: true means it may delete or overwrite; false, only add.</summary>
    public bool? Destructive { get; }

    /// <summary>Hints written in two places (attribute and options) combine; the first place wins a conflict.</summary>
    public McpToolHints Or(McpToolHints other) => new(ReadOnly ?? other.ReadOnly, Destructive ?? other.Destructive);
}

/// <summary>
/// Reads MCP hints where authors write them: named arguments of <c>[McpServerTool(ReadOnly = true)]</c>, and the
/// <c>McpServerToolCreateOptions</c> initializer given to <c>McpServerTool.Create</c> (for a lambda, a method group,
/// or an <c>AIFunction</c> created in the same call). Shared by AGS004 and AGS005.
/// </summary>
internal sealed class ToolHints
{
    private const string ReadOnlyName = "ReadOnly";
    private const string DestructiveName = "Destructive";

    private readonly Lazy<KnownTypes> _types;
    private readonly ToolMethods _toolMethods;

    public ToolHints(Lazy<KnownTypes> types, ToolMethods toolMethods)
    {
        _types = types;
        _toolMethods = toolMethods;
    }

    /// <summary>The known types, resolved when first asked (see <see cref="AgentModel"/>).</summary>
    private KnownTypes Types => _types.Value;

    public McpToolHints Of(Tool tool)
    {
        var hints = default(McpToolHints);
        if (Types.McpServerToolAttribute is { } attributeType && !tool.IsLambda)
        {
            foreach (var attribute in tool.Symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
                {
                    hints = hints.Or(FromAttribute(attribute));
                }
            }
        }

        if (Types.McpServerToolCreateOptions is null)
        {
            return hints;
        }

        if (tool.Registration is { } registration)
        {
            return hints.Or(FromRegistration(registration));
        }

        foreach (var methodRegistration in _toolMethods.RegistrationsOf(tool.Symbol))
        {
            hints = hints.Or(FromRegistration(methodRegistration));
        }

        return hints;
    }

    private static McpToolHints FromAttribute(AttributeData attribute)
    {
        bool? readOnly = null, destructive = null;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Value.Value is bool value)
            {
                switch (argument.Key)
                {
                    case ReadOnlyName:
                        readOnly = value;
                        break;
                    case DestructiveName:
                        destructive = value;
                        break;
                }
            }
        }

        return new McpToolHints(readOnly, destructive);
    }

    /// <summary>The options given to this registration, then to an <c>McpServerTool.Create</c> that wraps it.</summary>
    private McpToolHints FromRegistration(IInvocationOperation registration)
    {
        var hints = FromOptions(registration);
        var outer = registration.Parent;
        while (outer is IConversionOperation)
        {
            outer = outer.Parent;
        }

        return outer is IArgumentOperation { Parent: IInvocationOperation wrapping } && _toolMethods.IsRegistration(wrapping)
            ? hints.Or(FromOptions(wrapping))
            : hints;
    }

    private McpToolHints FromOptions(IInvocationOperation registration)
    {
        var options = registration.Arguments.FirstOrDefault(a => Is(a.Parameter?.Type, Types.McpServerToolCreateOptions))?.Value;
        while (options is IConversionOperation conversion)
        {
            options = conversion.Operand;
        }

        if (options is ILocalReferenceOperation local)
        {
            options = WriteOperations.LocalInitializer(local.Local, registration);
        }

        bool? readOnly = null, destructive = null;
        if (options is IObjectCreationOperation { Initializer: { } initializer })
        {
            foreach (var assignment in initializer.Initializers.OfType<ISimpleAssignmentOperation>())
            {
                var value = assignment.Value;
                while (value is IConversionOperation conversion)
                {
                    value = conversion.Operand;
                }

                if (assignment.Target is IPropertyReferenceOperation { Property.Name: var name } && value.ConstantValue is { HasValue: true, Value: bool constant })
                {
                    readOnly = name == ReadOnlyName ? constant : readOnly;
                    destructive = name == DestructiveName ? constant : destructive;
                }
            }
        }

        return new McpToolHints(readOnly, destructive);
    }

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);
}
