using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel.Flows;

/// <summary>
/// Which code runs on every path through a piece of code, read from the operation tree (no control-flow graph):
/// a branch of an <c>if</c> or <c>?:</c>, the right side of <c>&amp;&amp;</c>/<c>||</c>/<c>??</c>, a <c>?.</c> access, a
/// nested loop, a switch section, a catch clause, a lambda or a local function may not run; anything else in
/// sequence does. Shared by AGS009 (what paces a loop) and AGS007 (what asks a person before a destructive call).
/// </summary>
internal static class ExecutionPaths
{
    /// <summary>True when <paramref name="operation"/> runs whenever <paramref name="container"/> (one of its ancestors) runs.</summary>
    public static bool AlwaysRuns(IOperation operation, IOperation container)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null && child != container; child = parent, parent = parent.Parent)
        {
            if (!RunsWithParent(child, parent, container))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The operations under <paramref name="root"/>, lambdas and local functions left out.</summary>
    public static IEnumerable<IOperation> Walk(IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>
    /// True when an operation satisfying <paramref name="test"/> runs, on every path, before <paramref name="site"/>
    /// within <paramref name="root"/>: in an earlier statement of a block that holds the site, or in the condition of
    /// an <c>if</c> whose branch holds it (and not inside a branch, loop, catch or lambda of its own). A site in a
    /// lambda is judged where the lambda is created; a site in a local function never has anything run before it.
    /// </summary>
    public static bool RunsBefore(IOperation site, IOperation root, Func<IOperation, bool> test)
    {
        var child = site;
        for (var parent = site.Parent; parent is not null && child != root; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IBlockOperation block:
                    foreach (var statement in block.Operations)
                    {
                        if (statement == child)
                        {
                            break;
                        }

                        if (AlwaysHas(statement, test))
                        {
                            return true;
                        }
                    }

                    break;
                case IConditionalOperation conditional when child != conditional.Condition:
                    if (AlwaysHas(conditional.Condition, test))
                    {
                        return true;
                    }

                    break;
                case ILocalFunctionOperation:
                    // A local function may be called from anywhere in the method, before the operation too.
                    return false;

                // A lambda's body runs, if ever, after the lambda is created: what runs on every path before its
                // creation runs before its body too (a call wrapped in a resilience pipeline's lambda, for instance).
                case IAnonymousFunctionOperation:
                    break;
            }
        }

        return false;
    }

    /// <summary>A loop's body may not run at all: only what runs in sequence counts.</summary>
    private static bool AlwaysHas(IOperation container, Func<IOperation, bool> test)
        => container is not ILoopOperation && Walk(container).Any(o => test(o) && AlwaysRuns(o, container));

    private static bool RunsWithParent(IOperation child, IOperation parent, IOperation container)
        => parent switch
        {
            IConditionalOperation c => child == c.Condition,
            ICoalesceOperation c => child != c.WhenNull,
            IConditionalAccessOperation c => child != c.WhenNotNull,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } b => child != b.RightOperand,
            ILoopOperation => parent == container,
            ISwitchCaseOperation or ICatchClauseOperation or IAnonymousFunctionOperation or ILocalFunctionOperation => false,
            _ => true,
        };
}
