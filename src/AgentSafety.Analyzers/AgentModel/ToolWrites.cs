using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>A write a tool performs, and where its own body causes it.</summary>
internal readonly struct ToolWrite
{
    public ToolWrite(IOperation site, WriteOperation write)
    {
        Site = site;
        Write = write;
    }

    /// <summary>The operation in the tool's body: the write itself, or the call to the same-type helper that writes.</summary>
    public IOperation Site { get; }

    public WriteOperation Write { get; }
}

/// <summary>
/// The writes of a tool's code (<see cref="ToolCode"/>): its body, lambdas and local functions included, and the
/// same-type helpers it calls, <see cref="ToolCode.Depth"/> calls deep. Each write is tied to the site in the
/// tool's own body that causes it, so questions about order (inside a transaction?) can be answered there.
/// </summary>
internal sealed class ToolWrites
{
    private readonly MethodBodies _bodies;
    private readonly WriteOperations _writes;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth, string Verbs), WriteOperation?> _helperWrites = Caches.Create<(IMethodSymbol Method, int Depth, string Verbs), WriteOperation?>(HelperKeyComparer.Instance);

    public ToolWrites(MethodBodies bodies, WriteOperations writes)
    {
        _bodies = bodies;
        _writes = writes;
    }

    /// <summary>Every write site of <paramref name="tool"/>, in source order (<paramref name="configuredVerbs"/>: <c>agentsafety.write_verbs</c>).</summary>
    public ImmutableArray<ToolWrite> Of(Tool tool, string? configuredVerbs)
    {
        var type = tool.Symbol.ContainingType?.OriginalDefinition;
        var result = ImmutableArray.CreateBuilder<ToolWrite>();
        foreach (var operation in tool.Body.Descendants())
        {
            if (_writes.Classify(operation, type, configuredVerbs) is { } write)
            {
                result.Add(new ToolWrite(operation, write));
            }
            else if (operation is IInvocationOperation invocation
                     && IsHelper(invocation.TargetMethod, type, tool.Symbol)
                     && HelperWrite(invocation.TargetMethod.OriginalDefinition, ToolCode.Depth - 1, configuredVerbs) is { } helperWrite)
            {
                result.Add(new ToolWrite(operation, helperWrite));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The first write in a helper's body, or in its own helpers <paramref name="depth"/> more calls deep.</summary>
    private WriteOperation? HelperWrite(IMethodSymbol method, int depth, string? configuredVerbs)
        => _helperWrites.GetOrAdd((method, depth, configuredVerbs ?? string.Empty), key =>
        {
            if (_bodies.GetBody(key.Method) is not { } body)
            {
                return null;
            }

            var type = key.Method.ContainingType?.OriginalDefinition;
            foreach (var operation in body.Descendants())
            {
                if (_writes.Classify(operation, type, configuredVerbs) is { } write)
                {
                    return write;
                }
            }

            if (key.Depth == 0)
            {
                return null;
            }

            // Depth bounds the walk, so helpers that call each other cannot loop.
            foreach (var invocation in _bodies.Invocations(body))
            {
                if (IsHelper(invocation.TargetMethod, type, key.Method)
                    && HelperWrite(invocation.TargetMethod.OriginalDefinition, key.Depth - 1, configuredVerbs) is { } write)
                {
                    return write;
                }
            }

            return null;
        });

    private static bool IsHelper(IMethodSymbol target, INamedTypeSymbol? type, IMethodSymbol caller)
        => type is not null
           && target.MethodKind == MethodKind.Ordinary
           && SymbolEqualityComparer.Default.Equals(target.ContainingType?.OriginalDefinition, type)
           && !SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, caller.OriginalDefinition);

    private sealed class HelperKeyComparer : IEqualityComparer<(IMethodSymbol Method, int Depth, string Verbs)>
    {
        public static readonly HelperKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, int Depth, string Verbs) x, (IMethodSymbol Method, int Depth, string Verbs) y)
            => x.Depth == y.Depth && string.Equals(x.Verbs, y.Verbs, StringComparison.Ordinal) && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Depth, string Verbs) obj)
            => SymbolEqualityComparer.Default.GetHashCode(obj.Method) ^ obj.Depth ^ StringComparer.Ordinal.GetHashCode(obj.Verbs);
    }
}
