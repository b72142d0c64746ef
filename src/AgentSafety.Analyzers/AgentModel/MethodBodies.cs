using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// The bound bodies of source methods, for questions that look into a callee ("does this helper log?").
/// Each body is bound at most once per compilation. A rule that asks about a whole type at its end
/// (<see cref="CollectFrom"/>) gets the bodies the analyzer driver has bound already, and binds nothing itself.
/// </summary>
internal sealed class MethodBodies
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> _bodies = new(SymbolEqualityComparer.Default);

    // Invocations per code unit, from completed type scopes (reference identity: the driver's own operation trees).
    private readonly ConcurrentDictionary<IOperation, ImmutableArray<IInvocationOperation>> _invocations = new();

    // One semantic model per tree: a fresh model per body would bind the tree's usings and types again each time,
    // and every bound body keeps its model alive anyway.
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

    public MethodBodies(Compilation compilation) => _compilation = compilation;

    /// <summary>
    /// Keeps the method bodies the driver hands to <paramref name="context"/>'s operation blocks, and the invocations
    /// it hands to its operation actions, so that questions asked at the type's end find them: binding a body out of
    /// the driver's order costs a full bind (nullable analysis included), and walking a bound body visits every
    /// operation in it. The caller completes the scope at the start of its symbol-end action.
    /// </summary>
    public BodyScope CollectFrom(SymbolStartAnalysisContext context, INamedTypeSymbol type)
    {
        var scope = new BodyScope(this);
        context.RegisterOperationBlockAction(block =>
        {
            if (block.OwningSymbol is IMethodSymbol method && BodyOf(block.OperationBlocks) is { } body)
            {
                _bodies.TryAdd(Key(method), body);
                scope.AddRoot(body);
            }
        });
        context.RegisterOperationAction(
            operation =>
            {
                // Only the type's own code: a nested type is collected in its own scope.
                if (SymbolEqualityComparer.Default.Equals(ToolCodeActions.HomeType(operation.ContainingSymbol), type))
                {
                    scope.Add((IInvocationOperation)operation.Operation);
                }
            },
            OperationKind.Invocation);
        return scope;
    }

    /// <summary>The body operation of a source method (its implementation part for a partial method), or null.</summary>
    public IOperation? GetBody(IMethodSymbol method)
    {
        var definition = Key(method);
        if (definition.IsAbstract || definition.IsExtern || definition.DeclaringSyntaxReferences.Length == 0)
        {
            return null;
        }

        return _bodies.GetOrAdd(definition, Bind);
    }

    private static IMethodSymbol Key(IMethodSymbol method) => method.PartialImplementationPart ?? method.OriginalDefinition;

    /// <summary>The method-body root among a code block's operation blocks (parameter defaults and attributes are others).</summary>
    private static IOperation? BodyOf(ImmutableArray<IOperation> blocks)
    {
        foreach (var block in blocks)
        {
            var root = block.Parent is IMethodBodyOperation parent ? parent : block;
            if (root is IMethodBodyOperation or ILocalFunctionOperation or IAnonymousFunctionOperation)
            {
                return root;
            }
        }

        return null;
    }

    private IOperation? Bind(IMethodSymbol method)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            if (!_compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                continue;
            }

            // A callee's body may sit in another tree (partial types); binding it here is bounded by the cache.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
            var semanticModel = _models.GetOrAdd(syntax.SyntaxTree, tree => _compilation.GetSemanticModel(tree));
#pragma warning restore RS1030
            var operation = semanticModel.GetOperation(syntax);
            if (operation is IMethodBodyOperation or ILocalFunctionOperation or IAnonymousFunctionOperation or IBlockOperation)
            {
                return operation;
            }
        }

        return null;
    }

    /// <summary>
    /// Every invocation inside <paramref name="root"/>, lambdas and local functions included, in source order: as
    /// collected in a completed type scope, else by walking the operation tree.
    /// </summary>
    public IEnumerable<IInvocationOperation> Invocations(IOperation root)
        => _invocations.TryGetValue(root, out var known) ? known : Walk(root);

    private static IEnumerable<IInvocationOperation> Walk(IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is IInvocationOperation invocation)
            {
                yield return invocation;
            }
        }
    }

    /// <summary>The code units whose invocations are collected: method bodies, lambdas and local functions, and their blocks.</summary>
    private static bool IsUnitRoot(IOperation operation)
        => operation is IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation
           || (operation is IBlockOperation && operation.Parent is IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation);

    /// <summary>The bodies and invocations of one type, collected while the driver analyzes it.</summary>
    internal sealed class BodyScope
    {
        private readonly MethodBodies _owner;
        private readonly ConcurrentDictionary<IOperation, ConcurrentQueue<(TextSpan Span, IInvocationOperation Invocation)>> _found = new();

        public BodyScope(MethodBodies owner) => _owner = owner;

        public void AddRoot(IOperation body) => _found.GetOrAdd(body, _ => new ConcurrentQueue<(TextSpan, IInvocationOperation)>());

        public void Add(IInvocationOperation invocation)
        {
            // The span is read once: a node's start is computed from its leading trivia, each time it is asked.
            var found = (invocation.Syntax.Span, invocation);
            for (var ancestor = invocation.Parent; ancestor is not null; ancestor = ancestor.Parent)
            {
                if (IsUnitRoot(ancestor))
                {
                    _found.GetOrAdd(ancestor, _ => new ConcurrentQueue<(TextSpan, IInvocationOperation)>()).Enqueue(found);
                }
            }
        }

        /// <summary>Every action of the type has run: its collected code units answer <see cref="Invocations"/> from now on.</summary>
        public void Complete()
        {
            foreach (var pair in _found)
            {
                if (_owner._invocations.ContainsKey(pair.Key))
                {
                    continue; // another rule's scope of the same type got there first
                }

                // Source order (outer call first), as a walk of the tree would give, whatever order the driver used.
                var ordered = pair.Value.OrderBy(f => f.Span.Start).ThenByDescending(f => f.Span.Length).Select(f => f.Invocation).ToImmutableArray();
                _owner._invocations.TryAdd(pair.Key, ordered);
            }
        }
    }
}
