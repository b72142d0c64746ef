using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>One agent tool: a tool method, or a lambda handed to a tool registration.</summary>
internal sealed class Tool
{
    public Tool(IMethodSymbol symbol, string name, IOperation body, SyntaxNode syntax, AttributeData? attribute, IInvocationOperation? registration)
    {
        Symbol = symbol;
        Name = name;
        Body = body;
        Syntax = syntax;
        Attribute = attribute;
        Registration = registration;
    }

    /// <summary>The method, or the lambda's symbol.</summary>
    public IMethodSymbol Symbol { get; }

    /// <summary>The name people call the tool by: the method's name, or a lambda's registered name (else its member's).</summary>
    public string Name { get; }

    /// <summary>The bound body (lambdas and local functions inside it included).</summary>
    public IOperation Body { get; }

    /// <summary>The method declaration or the lambda expression.</summary>
    public SyntaxNode Syntax { get; }

    /// <summary>The tool attribute, for tools declared by one (MCP hints live there).</summary>
    public AttributeData? Attribute { get; }

    /// <summary>The registration call, for lambda tools.</summary>
    public IInvocationOperation? Registration { get; }

    public bool IsLambda => Registration is not null && Symbol.MethodKind == MethodKind.AnonymousFunction;

    /// <summary>The same-type methods this tool reaches, once computed.</summary>
    internal ImmutableArray<IMethodSymbol> Helpers { get; set; }
}

/// <summary>
/// Tool code: tool methods and registered lambdas, plus the methods of the same type they call, followed
/// <see cref="Depth"/> levels deep. AGS002 (HTTP scope), AGS004 and AGS005 share this one definition.
/// </summary>
internal sealed class ToolCode
{
    /// <summary>How many calls deep same-type helpers of a tool count as tool code.</summary>
    public const int Depth = 3;

    private readonly ToolMethods _toolMethods;
    private readonly MethodBodies _bodies;
    private readonly ConcurrentDictionary<(ISymbol Type, string Attributes), TypeTools> _types = Caches.Create<(ISymbol Type, string Attributes), TypeTools>(SymbolKeyComparer.Instance);
    private readonly ConcurrentDictionary<(ISymbol Method, string Attributes), Tool?> _methodTools = Caches.Create<(ISymbol Method, string Attributes), Tool?>(SymbolKeyComparer.Instance);

    public ToolCode(ToolMethods toolMethods, MethodBodies bodies)
    {
        _toolMethods = toolMethods;
        _bodies = bodies;
    }

    /// <summary>Every tool declared in <paramref name="type"/> (methods, and lambdas registered inside its methods).</summary>
    public ImmutableArray<Tool> ToolsOf(INamedTypeSymbol type, string? configuredAttributes)
        => ForType(type, configuredAttributes).Tools;

    /// <summary>The tools whose code includes <paramref name="method"/>: the method itself if it is a tool, and the tools of its type that reach it.</summary>
    public ImmutableArray<Tool> ToolsReaching(IMethodSymbol method, string? configuredAttributes)
    {
        if (method.ContainingType is not { } type)
        {
            return ImmutableArray<Tool>.Empty;
        }

        var info = ForType(type, configuredAttributes);
        return info.Reaching.TryGetValue(method.OriginalDefinition, out var tools) ? tools : ImmutableArray<Tool>.Empty;
    }

    /// <summary>The same-type methods a tool reaches (itself excluded), nearest first.</summary>
    public ImmutableArray<IMethodSymbol> HelpersOf(Tool tool)
    {
        if (tool.Helpers.IsDefault)
        {
            tool.Helpers = Reach(tool);
        }

        return tool.Helpers;
    }

    /// <summary>
    /// The tools whose code holds <paramref name="operation"/>: the registered lambda it sits in, else the tools
    /// reaching its method (<paramref name="owner"/> is the analysis context's containing symbol).
    /// </summary>
    public ImmutableArray<Tool> ToolsHolding(IOperation operation, ISymbol owner, string? configuredAttributes)
    {
        if (LambdaToolHolding(operation, owner) is { } lambdaTool)
        {
            return ImmutableArray.Create(lambdaTool);
        }

        var method = owner as IMethodSymbol;
        while (method is { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
        {
            method = method.ContainingSymbol as IMethodSymbol;
        }

        return method is null ? ImmutableArray<Tool>.Empty : ToolsReaching(method, configuredAttributes);
    }

    /// <summary>
    /// The registered lambda <paramref name="operation"/> sits in, or null. Cheap (a walk up the operation tree): it
    /// settles code in lambda tools without building the tools of the whole type.
    /// </summary>
    public Tool? LambdaToolHolding(IOperation operation, ISymbol owner)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda && _toolMethods.IsToolLambda(lambda, out var registration))
            {
                return LambdaTool(lambda, registration!, owner);
            }
        }

        return null;
    }

    private TypeTools ForType(INamedTypeSymbol type, string? configuredAttributes)
        => _types.GetOrAdd((type.OriginalDefinition, configuredAttributes ?? string.Empty), key => Build((INamedTypeSymbol)key.Type, configuredAttributes));

    /// <summary>The tool <paramref name="method"/> is, or null when it is not a tool (or has no body).</summary>
    public Tool? MethodTool(IMethodSymbol method, string? configuredAttributes)
        // Most methods are not tools: that answer is cheap and lock-free, so only tools are kept (one Tool per method).
        => !_toolMethods.IsToolMethod(method.OriginalDefinition, configuredAttributes) ? null : _methodTools.GetOrAdd((method.OriginalDefinition, configuredAttributes ?? string.Empty), key =>
        {
            var definition = (IMethodSymbol)key.Method;
            return _toolMethods.IsToolMethod(definition, configuredAttributes)
                   && _bodies.GetBody(definition) is { } body
                   && definition.DeclaringSyntaxReferences.FirstOrDefault() is { } reference
                ? new Tool(definition, definition.Name, body, reference.GetSyntax(), _toolMethods.ToolAttribute(definition, configuredAttributes), registration: null)
                : null;
        });

    private TypeTools Build(INamedTypeSymbol type, string? configuredAttributes)
    {
        var tools = ImmutableArray.CreateBuilder<Tool>();
        if (!_toolMethods.MayHoldTools(type, configuredAttributes))
        {
            return TypeTools.None;
        }

        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (MethodTool(method, configuredAttributes) is { } tool)
            {
                tools.Add(tool);
            }

            if (_toolMethods.MayRegisterLambdas(method) && _bodies.GetBody(method) is { } owner)
            {
                foreach (var lambda in owner.Descendants().OfType<IAnonymousFunctionOperation>())
                {
                    if (_toolMethods.IsToolLambda(lambda, out var registration))
                    {
                        tools.Add(LambdaTool(lambda, registration!, method));
                    }
                }
            }
        }

        var reaching = new Dictionary<IMethodSymbol, ImmutableArray<Tool>.Builder>(SymbolEqualityComparer.Default);
        foreach (var tool in tools)
        {
            if (!tool.IsLambda)
            {
                Add(reaching, tool.Symbol.OriginalDefinition, tool);
            }

            foreach (var helper in HelpersOf(tool))
            {
                Add(reaching, helper, tool);
            }
        }

        var readOnlyReaching = new Dictionary<IMethodSymbol, ImmutableArray<Tool>>(reaching.Count, SymbolEqualityComparer.Default);
        foreach (var pair in reaching)
        {
            readOnlyReaching.Add(pair.Key, pair.Value.ToImmutable());
        }

        return new TypeTools(tools.ToImmutable(), readOnlyReaching);
    }

    /// <summary>Breadth-first over same-type calls from the tool's body, <see cref="Depth"/> levels.</summary>
    private ImmutableArray<IMethodSymbol> Reach(Tool tool)
    {
        var type = tool.Symbol.ContainingType?.OriginalDefinition;
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { tool.Symbol.OriginalDefinition };
        var result = ImmutableArray.CreateBuilder<IMethodSymbol>();
        var frontier = new List<IOperation> { tool.Body };
        for (var level = 0; level < Depth && frontier.Count > 0 && type is not null; level++)
        {
            var next = new List<IOperation>();
            foreach (var body in frontier)
            {
                foreach (var invocation in _bodies.Invocations(body))
                {
                    var target = invocation.TargetMethod.OriginalDefinition;
                    if (target.MethodKind == MethodKind.Ordinary
                        && SymbolEqualityComparer.Default.Equals(target.ContainingType?.OriginalDefinition, type)
                        && seen.Add(target)
                        && _bodies.GetBody(target) is { } targetBody)
                    {
                        result.Add(target);
                        next.Add(targetBody);
                    }
                }
            }

            frontier = next;
        }

        return result.ToImmutable();
    }

    private static Tool LambdaTool(IAnonymousFunctionOperation lambda, IInvocationOperation registration, ISymbol owner)
    {
        var registeredName = RegisteredName(registration);
        var member = owner;
        while (member is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
        {
            member = member.ContainingSymbol;
        }

        // Top-level statements compile into "<Main>$"; people call that code Main.
        var memberName = member is IMethodSymbol { Name: "<Main>$" } ? "Main" : member.Name;
        return new Tool(lambda.Symbol, registeredName ?? memberName, lambda.Body, lambda.Syntax, attribute: null, registration);
    }

    /// <summary>
    /// The name a registration gives its delegate: a constant <c>name</c>/<c>functionName</c> argument
    /// (<c>AIFunctionFactory.Create(..., name: "save_report")</c>, Semantic Kernel's <c>CreateFromMethod</c>), or a
    /// constant <c>Name</c> set in an options object created in the call
    /// (<c>McpServerTool.Create(..., new McpServerToolCreateOptions { Name = "save_report" })</c>,
    /// <c>new AIFunctionFactoryOptions { Name = ... }</c>). Null when the call names none.
    /// </summary>
    private static string? RegisteredName(IInvocationOperation registration)
    {
        foreach (var argument in registration.Arguments)
        {
            if (argument.Parameter?.Name is "name" or "functionName" && argument.Value.ConstantValue is { HasValue: true, Value: string { Length: > 0 } name })
            {
                return name;
            }

            var value = argument.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (value is IObjectCreationOperation { Initializer: { } initializer })
            {
                foreach (var assignment in initializer.Initializers.OfType<ISimpleAssignmentOperation>())
                {
                    if (assignment.Target is IPropertyReferenceOperation { Property.Name: "Name" }
                        && assignment.Value.ConstantValue is { HasValue: true, Value: string { Length: > 0 } optionName })
                    {
                        return optionName;
                    }
                }
            }
        }

        return null;
    }

    private static void Add(Dictionary<IMethodSymbol, ImmutableArray<Tool>.Builder> map, IMethodSymbol method, Tool tool)
    {
        if (!map.TryGetValue(method, out var list))
        {
            list = ImmutableArray.CreateBuilder<Tool>();
            map[method] = list;
        }

        list.Add(tool);
    }

    private sealed class TypeTools
    {
        public static readonly TypeTools None = new(ImmutableArray<Tool>.Empty, new Dictionary<IMethodSymbol, ImmutableArray<Tool>>(SymbolEqualityComparer.Default));

        /// <param name="reaching">Built once, then only read (by any thread).</param>
        public TypeTools(ImmutableArray<Tool> tools, IReadOnlyDictionary<IMethodSymbol, ImmutableArray<Tool>> reaching)
        {
            Tools = tools;
            Reaching = reaching;
        }

        public ImmutableArray<Tool> Tools { get; }

        public IReadOnlyDictionary<IMethodSymbol, ImmutableArray<Tool>> Reaching { get; }
    }
}
