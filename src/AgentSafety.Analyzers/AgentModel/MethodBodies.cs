using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// The bound bodies of source methods, for questions that look into a callee ("does this helper log?").
/// Each body is bound at most once per compilation. A rule that asks about a whole type at its end
/// (<see cref="CollectFrom"/>) gets the bodies the analyzer driver has bound already, and binds nothing itself.
/// </summary>
internal sealed class MethodBodies
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> _bodies = Caches.Create<IMethodSymbol, IOperation?>(SymbolEqualityComparer.Default);

    // Invocations per code unit (reference identity: one operation tree per body).
    private readonly ConcurrentDictionary<IOperation, ImmutableArray<IInvocationOperation>> _invocations = Caches.Create<IOperation, ImmutableArray<IInvocationOperation>>();

    // One semantic model per tree: a fresh model per body would bind the tree's usings and types again each time,
    // and every bound body keeps its model alive anyway.
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = Caches.Create<SyntaxTree, SemanticModel>();

    public MethodBodies(Compilation compilation) => _compilation = compilation;

    /// <summary>The one semantic model of <paramref name="tree"/> for questions asked out of the driver's order (its bound members are kept).</summary>
    public SemanticModel SemanticModelOf(SyntaxTree tree)
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        => _models.GetOrAdd(tree, t => _compilation.GetSemanticModel(t));
#pragma warning restore RS1030

    /// <summary>
    /// Keeps the method bodies the driver hands to <paramref name="context"/>'s operation blocks, so that questions
    /// asked at the type's end find them bound: binding a body out of the driver's order costs a full bind
    /// (nullable analysis included) that the driver's own binding does not reuse in time.
    /// </summary>
    public void CollectFrom(SymbolStartAnalysisContext context)
        => context.RegisterOperationBlockAction(block =>
        {
            // Every rule that defers collects the same bodies: the first adds, the others only read (no lock).
            if (block.OwningSymbol is IMethodSymbol method && !_bodies.ContainsKey(Key(method)) && BodyOf(block.OperationBlocks) is { } body)
            {
                _bodies.TryAdd(Key(method), body);
            }
        });

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
            var operation = SemanticModelOf(syntax.SyntaxTree).GetOperation(syntax);
            if (operation is IMethodBodyOperation or ILocalFunctionOperation or IAnonymousFunctionOperation or IBlockOperation)
            {
                return operation;
            }
        }

        return null;
    }

    /// <summary>
    /// Every invocation inside <paramref name="root"/>, lambdas and local functions included, in tree order. A whole
    /// code unit (a method body, a lambda, a local function) is walked once and remembered: tools, helpers and trace
    /// checks ask about the same bodies again and again.
    /// </summary>
    public IEnumerable<IInvocationOperation> Invocations(IOperation root)
        => IsUnitRoot(root) ? _invocations.GetOrAdd(root, static r => Walk(r).ToImmutableArray()) : Walk(root);

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

    /// <summary>The code units whose invocations are remembered: method bodies, lambdas and local functions, and their blocks.</summary>
    private static bool IsUnitRoot(IOperation operation)
        => operation is IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation
           || (operation is IBlockOperation && operation.Parent is IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation);
}
