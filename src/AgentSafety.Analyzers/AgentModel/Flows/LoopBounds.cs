using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel.Flows;

/// <summary>
/// What stops a loop (AGS009): the model turns it runs on every pass, and whether a turn, token, cost or time
/// limit, a timed cancellation, or its input (a person, a queue, a timer) bounds it. A loop that stops only when the
/// model says so (<c>FinishReason == Stop</c>, <c>while (!done)</c> with <c>done</c> read from the answer) has no bound.
/// </summary>
internal sealed class LoopBounds
{
    /// <summary>Names (lower case) that make a floating-point or decimal comparison a cost or token budget.</summary>
    private static readonly string[] BudgetWords = { "cost", "budget", "spend", "price", "usd", "dollar", "token" };

    private readonly Lazy<KnownTypes> _types;
    private readonly OutboundCalls _outbound;
    private readonly MethodBodies _bodies;
    private readonly ConcurrentDictionary<IMethodSymbol, string> _helperTurns = Caches.Create<IMethodSymbol, string>(SymbolEqualityComparer.Default);

    public LoopBounds(Lazy<KnownTypes> types, OutboundCalls outbound, MethodBodies bodies)
    {
        _types = types;
        _outbound = outbound;
        _bodies = bodies;
    }

    private KnownTypes Types => _types.Value;

    /// <summary>The loops AGS009 looks at: <c>while</c>, <c>do</c> and <c>for</c>; a <c>foreach</c> ends with its sequence.</summary>
    public static bool IsOpenEnded(ILoopOperation loop) => loop is IWhileLoopOperation or IForLoopOperation;

    /// <summary>
    /// The model turn the loop runs, as people name it, or null: a model or agent call in its condition or body
    /// (lambdas and local functions excluded: they run when called, not on each pass), or in a method of the same
    /// type the body calls (one level).
    /// </summary>
    public string? ModelTurnIn(ILoopOperation loop, INamedTypeSymbol? ownerType)
    {
        string? helperTurn = null;
        foreach (var part in Parts(loop))
        {
            foreach (var operation in ExecutionPaths.Walk(part))
            {
                if (operation is not IInvocationOperation invocation)
                {
                    continue;
                }

                if (_outbound.ModelTurn(invocation) is { } turn)
                {
                    return turn;
                }

                helperTurn ??= HelperTurn(invocation.TargetMethod, ownerType);
            }
        }

        return helperTurn;
    }

    /// <summary>
    /// True when something other than the model stops the loop: a limit compared in its condition, a guarded
    /// <c>break</c>/<c>return</c>/<c>throw</c>, a timed cancellation token it reads, or its input paces it.
    /// </summary>
    public bool IsBounded(ILoopOperation loop)
        => ConditionOf(loop) is { } condition && HasLimitComparison(condition)
           || HasGuardedExit(loop)
           || ReadsTimedToken(loop)
           || IsPaced(loop);

    private static IOperation? ConditionOf(ILoopOperation loop)
        => loop switch
        {
            IWhileLoopOperation w => w.Condition,
            IForLoopOperation f => f.Condition,
            _ => null,
        };

    private static IEnumerable<IOperation> Parts(ILoopOperation loop)
    {
        if (ConditionOf(loop) is { } condition)
        {
            yield return condition;
        }

        yield return loop.Body;
        if (loop is IForLoopOperation forLoop)
        {
            foreach (var step in forLoop.AtLoopBottom)
            {
                yield return step;
            }
        }
    }

    /// <summary>The model turn of a same-type method the loop calls (its own body, one level), or null.</summary>
    private string? HelperTurn(IMethodSymbol target, INamedTypeSymbol? ownerType)
    {
        var definition = target.OriginalDefinition;
        if (ownerType is null
            || definition.MethodKind != MethodKind.Ordinary
            || definition.DeclaringSyntaxReferences.IsEmpty
            || !SymbolEqualityComparer.Default.Equals(definition.ContainingType, ownerType.OriginalDefinition))
        {
            return null;
        }

        var turn = _helperTurns.GetOrAdd(definition, method =>
        {
            // Syntax first: a helper that names no model call is not bound at all.
            if (!method.DeclaringSyntaxReferences.Any(r => r.GetSyntax().DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && OutboundCalls.IsModelTurnName(t.ValueText)))
                || _bodies.GetBody(method) is not { } body)
            {
                return string.Empty;
            }

            foreach (var operation in ExecutionPaths.Walk(body))
            {
                if (operation is IInvocationOperation invocation && _outbound.ModelTurn(invocation) is { } found)
                {
                    return found;
                }
            }

            return string.Empty;
        });
        return turn.Length == 0 ? null : turn;
    }

    /// <summary>An <c>if</c> (or <c>?:</c>) in the body that compares a limit and leaves the loop in one of its branches, or a catch filtered by a limit.</summary>
    private static bool HasGuardedExit(ILoopOperation loop)
    {
        foreach (var operation in ExecutionPaths.Walk(loop.Body))
        {
            if (operation is IConditionalOperation conditional
                && HasLimitComparison(conditional.Condition)
                && (Exits(conditional.WhenTrue, loop) || (conditional.WhenFalse is { } whenFalse && Exits(whenFalse, loop))))
            {
                return true;
            }

            // catch (...) when (attempt < 3): past the limit the exception leaves the loop.
            if (operation is ICatchClauseOperation { Filter: { } filter } && HasLimitComparison(filter))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Exits(IOperation branch, ILoopOperation loop)
    {
        foreach (var operation in ExecutionPaths.Walk(branch))
        {
            switch (operation)
            {
                case IThrowOperation:
                case IReturnOperation { Kind: not OperationKind.YieldReturn }:
                case IBranchOperation { BranchKind: BranchKind.GoTo }:
                    return true;
                case IBranchOperation { BranchKind: BranchKind.Break } branchOperation when SymbolEqualityComparer.Default.Equals(branchOperation.Target, loop.ExitLabel):
                    return true;
            }
        }

        return false;
    }

    /// <summary>A comparison of a counter, a token count, a cost or elapsed time with a limit, anywhere in <paramref name="condition"/>.</summary>
    private static bool HasLimitComparison(IOperation condition)
    {
        foreach (var operation in ExecutionPaths.Walk(condition))
        {
            switch (operation)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } binary
                    when !(binary.LeftOperand.ConstantValue.HasValue && binary.RightOperand.ConstantValue.HasValue)
                         && (IsMeasure(binary.LeftOperand) || IsMeasure(binary.RightOperand)):
                    return true;
                case IIsPatternOperation pattern when ExecutionPaths.Walk(pattern.Pattern).Any(p => p is IRelationalPatternOperation) && IsMeasure(pattern.Value):
                    return true;
            }
        }

        return false;
    }

    /// <summary>A count (any integer), a time (<c>TimeSpan</c>, <c>DateTime</c>, <c>DateTimeOffset</c>) or a value named like a cost or token budget.</summary>
    private static bool IsMeasure(IOperation operand)
    {
        var value = ValueOrigins.Unwrap(operand);
        var type = value.Type;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        switch (type?.SpecialType)
        {
            case SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
                or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
                or SpecialType.System_DateTime:
                return true;
            case SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal:
                return NamesBudget(value);
        }

        return type is { Name: "TimeSpan" or "DateTimeOffset", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
    }

    private static bool NamesBudget(IOperation value)
    {
        foreach (var operation in ExecutionPaths.Walk(value))
        {
            var name = operation switch
            {
                ILocalReferenceOperation local => local.Local.Name,
                IFieldReferenceOperation field => field.Field.Name,
                IPropertyReferenceOperation property => property.Property.Name,
                IParameterReferenceOperation parameter => parameter.Parameter.Name,
                _ => null,
            };
            if (name is not null && BudgetWords.Any(w => name.IndexOf(w, StringComparison.OrdinalIgnoreCase) >= 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The loop reads a token of a <c>CancellationTokenSource</c> given a timeout in its method
    /// (<c>new CancellationTokenSource(TimeSpan...)</c> or <c>CancelAfter(...)</c>), directly or through a local copy.
    /// </summary>
    private bool ReadsTimedToken(ILoopOperation loop)
    {
        if (Types.CancellationToken is null)
        {
            return false;
        }

        var root = (IOperation)loop;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var timed = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var initializers = new List<(ISymbol Local, IOperation Value)>();
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator:
                    var created = ValueOrigins.Unwrap(value);
                    if (created is IObjectCreationOperation { Arguments.Length: > 0, Type: { Name: "CancellationTokenSource" } })
                    {
                        timed.Add(declarator.Symbol);
                    }
                    else
                    {
                        initializers.Add((declarator.Symbol, created));
                    }

                    break;
                case IInvocationOperation { TargetMethod: { Name: "CancelAfter", ContainingType.Name: "CancellationTokenSource" }, Instance: { } instance } when Referenced(instance) is { } source:
                    timed.Add(source);
                    break;
            }
        }

        if (timed.Count == 0)
        {
            return false;
        }

        // Copies: var token = cts.Token; using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, cts.Token).
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (local, value) in initializers)
            {
                if (!timed.Contains(local) && value.DescendantsAndSelf().Any(o => Referenced(o) is { } s && timed.Contains(s)))
                {
                    changed |= timed.Add(local);
                }
            }
        }

        return Parts(loop).Any(part => part.DescendantsAndSelf().Any(o => Referenced(o) is { } s && timed.Contains(s)));
    }

    private static ISymbol? Referenced(IOperation operation)
        => operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IFieldReferenceOperation field => field.Field,
            _ => null,
        };

    /// <summary>
    /// The loop waits for its input on every pass: a person (<c>Console.ReadLine</c>, a <c>TextReader</c>, Spectre.Console
    /// prompts), a source of work (a channel, a queue's dequeue or receive) or a timer (<c>Task.Delay</c>,
    /// <c>PeriodicTimer</c>), in its condition or in a statement of its body that always runs.
    /// </summary>
    private bool IsPaced(ILoopOperation loop)
    {
        foreach (var part in Parts(loop))
        {
            foreach (var operation in ExecutionPaths.Walk(part))
            {
                if (operation is IInvocationOperation invocation && IsPacing(invocation.TargetMethod) && ExecutionPaths.AlwaysRuns(invocation, loop))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsPacing(IMethodSymbol method)
    {
        var name = method.Name;
        var declaring = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        if (declaring is null)
        {
            return false;
        }

        if (name.StartsWith("Dequeue", StringComparison.Ordinal) || name.StartsWith("Receive", StringComparison.Ordinal))
        {
            return true;
        }

        var ns = Types.NamespaceName(declaring);
        return (declaring.Name, name) switch
        {
            ("Console", "ReadLine" or "ReadKey" or "Read") => ns == "System",
            ("ChannelReader", "ReadAsync" or "WaitToReadAsync") => ns == "System.Threading.Channels",
            ("Task", "Delay") => ns == "System.Threading.Tasks",
            ("Thread", "Sleep") => ns == "System.Threading",
            ("PeriodicTimer", "WaitForNextTickAsync") => ns == "System.Threading",
            ("BlockingCollection", "Take") => ns == "System.Collections.Concurrent",
            ("AnsiConsole", "Ask" or "Prompt" or "AskAsync" or "PromptAsync") => ns == "Spectre.Console",
            (_, "ReadLine" or "ReadLineAsync") => ReturnsText(method),
            _ => false,
        };
    }

    /// <summary>
    /// A <c>ReadLine[Async]</c> that gives a string reads a line of input, whoever declares it: a <c>TextReader</c>, or
    /// a console of the application's own (Semantic Kernel's samples read <c>Console.ReadLine()</c> from their test
    /// base's <c>Console</c> property, an extension giving the next simulated line of the person's input).
    /// </summary>
    private static bool ReturnsText(IMethodSymbol method)
    {
        var type = method.ReturnType;
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Task" or "ValueTask" } awaited
            && awaited.ContainingNamespace is { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } })
        {
            type = awaited.TypeArguments[0];
        }

        return type.SpecialType == SpecialType.System_String;
    }
}
