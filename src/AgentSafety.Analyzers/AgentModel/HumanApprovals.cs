using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using AgentSafety.Analyzers.AgentModel.Flows;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// Whether a tool asks a person before it acts (AGS007): MCP elicitation (<c>McpServer.ElicitAsync</c>), a method
/// whose name says it asks (Approve, Approval, Confirm, Consent) or one configured, run before the destructive call on
/// every path to it (a same-type helper that asks counts, three calls deep); or, for a function made by
/// <c>AIFunctionFactory.Create</c>, an <c>ApprovalRequiredAIFunction</c> wrapped around it where it is created.
/// </summary>
internal sealed class HumanApprovals
{
    private static readonly string[] AskingWords = { "Approv", "Confirm", "Consent" };

    private readonly MethodBodies _bodies;
    private readonly ToolMethods _toolMethods;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth, SymbolNameMatcher Configured), bool> _helpers = Caches.Create<(IMethodSymbol Method, int Depth, SymbolNameMatcher Configured), bool>(HelperKeyComparer.Instance);

    public HumanApprovals(MethodBodies bodies, ToolMethods toolMethods)
    {
        _bodies = bodies;
        _toolMethods = toolMethods;
    }

    /// <summary>True when the tool asks a person before <paramref name="site"/> (a destructive call in its body) on every path to it.</summary>
    public bool AsksBefore(Tool tool, IOperation site, SymbolNameMatcher configured)
        => ExecutionPaths.RunsBefore(site, tool.Body, operation => Asks(operation, tool, configured));

    /// <summary>True when the tool's code asks a person at all (for a tool destructive by its hint alone).</summary>
    public bool AsksAnywhere(Tool tool, SymbolNameMatcher configured)
        => tool.Body.Descendants().Any(operation => Asks(operation, tool, configured));

    /// <summary>
    /// True when the function the tool is registered as is wrapped in <c>new ApprovalRequiredAIFunction(...)</c>: around
    /// the registration itself, or around the local it is stored in.
    /// </summary>
    public bool IsWrapped(Tool tool)
    {
        if (tool.Registration is { } registration)
        {
            return IsWrapped(registration);
        }

        foreach (var methodRegistration in _toolMethods.RegistrationsOf(tool.Symbol))
        {
            if (IsWrapped(methodRegistration))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWrapped(IInvocationOperation registration)
    {
        var current = (IOperation)registration;
        while (current.Parent is IConversionOperation conversion)
        {
            current = conversion;
        }

        switch (current.Parent)
        {
            case IArgumentOperation { Parent: IObjectCreationOperation creation } when IsApprovalWrapper(creation.Type):
                return true;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                var root = (IOperation)declarator;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                return root.Descendants().OfType<IObjectCreationOperation>().Any(creation =>
                    IsApprovalWrapper(creation.Type)
                    && creation.Arguments.Any(a => ValueOrigins.Unwrap(a.Value) is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, declarator.Symbol)));
            default:
                return false;
        }
    }

    private static bool IsApprovalWrapper(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current is { Name: "ApprovalRequiredAIFunction", ContainingNamespace: { Name: "AI", ContainingNamespace: { Name: "Extensions", ContainingNamespace.Name: "Microsoft" } } })
            {
                return true;
            }
        }

        return false;
    }

    private bool Asks(IOperation operation, Tool tool, SymbolNameMatcher configured)
    {
        if (operation is not IInvocationOperation invocation)
        {
            return false;
        }

        var method = invocation.TargetMethod;
        return IsAsking(method, configured)
               || (DestructiveOperations.IsHelper(method, tool.Symbol.ContainingType?.OriginalDefinition, tool.Symbol)
                   && HelperAsks(method.OriginalDefinition, ToolCode.Depth - 1, configured));
    }

    /// <summary>MCP elicitation, a method named for approval or consent, or a configured method.</summary>
    private static bool IsAsking(IMethodSymbol method, SymbolNameMatcher configured)
    {
        var name = method.Name;
        if (name.StartsWith("Elicit", StringComparison.Ordinal) && IsInModelContextProtocol((method.ReducedFrom ?? method).ContainingType))
        {
            return true;
        }

        foreach (var word in AskingWords)
        {
            if (name.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return !configured.IsEmpty && configured.Matches(method);
    }

    private static bool IsInModelContextProtocol(INamedTypeSymbol? type)
    {
        var ns = type?.ContainingNamespace;
        while (ns is { ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { Name: "ModelContextProtocol" };
    }

    private bool HelperAsks(IMethodSymbol method, int depth, SymbolNameMatcher configured)
        => _helpers.GetOrAdd((method, depth, configured), key =>
        {
            if (_bodies.GetBody(key.Method) is not { } body)
            {
                return false;
            }

            var type = key.Method.ContainingType?.OriginalDefinition;
            foreach (var invocation in _bodies.Invocations(body))
            {
                var target = invocation.TargetMethod;
                if (IsAsking(target, configured)
                    || (key.Depth > 0 && DestructiveOperations.IsHelper(target, type, key.Method) && HelperAsks(target.OriginalDefinition, key.Depth - 1, configured)))
                {
                    return true;
                }
            }

            return false;
        });

    /// <summary>Matchers are shared per option text (<see cref="OptionCache"/>), so they compare by reference.</summary>
    private sealed class HelperKeyComparer : IEqualityComparer<(IMethodSymbol Method, int Depth, SymbolNameMatcher Configured)>
    {
        public static readonly HelperKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, int Depth, SymbolNameMatcher Configured) x, (IMethodSymbol Method, int Depth, SymbolNameMatcher Configured) y)
            => x.Depth == y.Depth && ReferenceEquals(x.Configured, y.Configured) && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Depth, SymbolNameMatcher Configured) obj)
            => SymbolEqualityComparer.Default.GetHashCode(obj.Method) ^ obj.Depth;
    }
}
