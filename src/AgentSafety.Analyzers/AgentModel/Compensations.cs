using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>How a write tool's effects can be undone, as far as the code shows.</summary>
internal readonly struct CompensationFinding
{
    public CompensationFinding(bool isCompensated, ImmutableArray<IMethodSymbol> stubs, ImmutableArray<ToolWrite> uncovered)
    {
        IsCompensated = isCompensated;
        Stubs = stubs;
        Uncovered = uncovered;
    }

    /// <summary>A working compensation exists: a method, a committed transaction around every write, an inline saga.</summary>
    public bool IsCompensated { get; }

    /// <summary>When not compensated: the compensation methods that exist but only throw <c>NotImplementedException</c>.</summary>
    public ImmutableArray<IMethodSymbol> Stubs { get; }

    /// <summary>When not compensated: the writes nothing undoes (a transaction takes back database writes only).</summary>
    public ImmutableArray<ToolWrite> Uncovered { get; }
}

/// <summary>
/// Compensation knowledge (the saga pattern): a tool's effects are undone by a method named
/// <c>Compensate{Tool}</c>/<c>Undo{Tool}</c>/<c>Revert{Tool}</c>/<c>Rollback{Tool}</c> (prefixes configurable), a
/// method named by a <c>[CompensatedBy]</c> attribute on the tool or carrying <c>[Compensates]</c> naming it
/// (attributes matched by name in any namespace, so users need no package of ours), MassTransit Courier's
/// <c>ICompensateActivity&lt;&gt;</c>, a database transaction committed after the writes, or an inline saga: a
/// <c>catch</c> that calls an undo-like method and then rethrows.
/// </summary>
internal sealed class Compensations
{
    public const string DefaultPrefixes = "Compensate, Undo, Revert, Rollback";

    private const string AsyncSuffix = "Async";

    /// <summary>Besides the compensation prefixes, what an inline saga's catch may call to undo a step.</summary>
    private static readonly ImmutableArray<string> InlineUndoVerbs = ImmutableArray.Create("Delete", "Remove", "Cancel", "Refund");

    /// <summary>Words in a delegate's name that make invoking it an undo step (<c>foreach (var undo in compensations) await undo();</c>).</summary>
    private static readonly ImmutableArray<string> UndoDelegateWords = ImmutableArray.Create("compensat", "undo", "revert", "rollback");

    private readonly Lazy<KnownTypes> _types;
    private readonly MethodBodies _bodies;
    private readonly ConcurrentDictionary<string, ImmutableArray<string>> _prefixes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<MethodFacts>> _typeMethods = Caches.Create<INamedTypeSymbol, ImmutableArray<MethodFacts>>(SymbolEqualityComparer.Default);

    public Compensations(Lazy<KnownTypes> types, MethodBodies bodies)
    {
        _types = types;
        _bodies = bodies;
    }

    /// <summary>The known types, resolved when first asked (see <see cref="AgentModel"/>).</summary>
    private KnownTypes Types => _types.Value;

    /// <summary>
    /// How <paramref name="tool"/>, which makes <paramref name="writes"/>, is compensated
    /// (<paramref name="configuredPrefixes"/>: the raw <c>agentsafety.AGS004.compensation_prefixes</c> value).
    /// A working compensation in any form wins over a stub.
    /// </summary>
    public CompensationFinding Find(Tool tool, ImmutableArray<ToolWrite> writes, string? configuredPrefixes)
    {
        var methods = CompensationMethods(tool, Prefixes(configuredPrefixes));
        var stubs = methods.Where(IsNotImplemented).ToImmutableArray();
        if (stubs.Length < methods.Length || CompensatesInline(tool.Body, Prefixes(configuredPrefixes)))
        {
            return new CompensationFinding(true, ImmutableArray<IMethodSymbol>.Empty, ImmutableArray<ToolWrite>.Empty);
        }

        var uncovered = NotTakenBackByTransaction(tool.Body, writes);
        return uncovered is { IsEmpty: true }
            ? new CompensationFinding(true, ImmutableArray<IMethodSymbol>.Empty, ImmutableArray<ToolWrite>.Empty)
            : new CompensationFinding(false, stubs, uncovered ?? writes);
    }

    /// <summary>
    /// True when <paramref name="tool"/> is itself the compensation of another member of its type: named
    /// <c>Undo{Other}</c> and the like, carrying <c>[Compensates]</c>, or named by another member's <c>[CompensatedBy]</c>.
    /// Compensations undo; nothing undoes them in turn.
    /// </summary>
    public bool IsCompensation(Tool tool, string? configuredPrefixes)
    {
        if (tool.Symbol.ContainingType is not { } type)
        {
            return false;
        }

        if (!tool.IsLambda && tool.Symbol.GetAttributes().Any(a => IsNamed(a, "Compensates")))
        {
            return true;
        }

        var name = Normalize(tool.Name);
        var methods = MethodsOf(type);
        foreach (var prefix in Prefixes(configuredPrefixes))
        {
            if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var undone = StripAsync(name.Substring(prefix.Length));
                foreach (var method in methods)
                {
                    if (string.Equals(method.Key, undone, StringComparison.OrdinalIgnoreCase) && !SymbolEqualityComparer.Default.Equals(method.Symbol, tool.Symbol))
                    {
                        return true;
                    }
                }
            }
        }

        if (tool.IsLambda)
        {
            return false;
        }

        foreach (var method in methods)
        {
            if (method.CompensatedBy.Contains(tool.Symbol.Name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name the fix gives a new compensation: the first prefix, the tool's name, and <c>Async</c> when the tool is async.</summary>
    public string NewCompensationName(Tool tool, string? configuredPrefixes)
    {
        var prefixes = Prefixes(configuredPrefixes);
        var prefix = prefixes.IsEmpty ? "Compensate" : prefixes[0];
        return prefix + StripAsync(PascalCase(tool.Name)) + (IsAsync(tool.Symbol) ? AsyncSuffix : string.Empty);
    }

    /// <summary>True when the method is <c>async</c> or returns an awaitable (<c>Task</c>, <c>ValueTask</c>, ...).</summary>
    public static bool IsAsync(IMethodSymbol method)
        => method.IsAsync || method.ReturnType.GetMembers("GetAwaiter").OfType<IMethodSymbol>().Any(m => m.Parameters.IsEmpty && !m.IsStatic);

    /// <summary>True when the method's body does nothing but <c>throw new NotImplementedException(...)</c>.</summary>
    public bool IsNotImplemented(IMethodSymbol method)
    {
        if (Types.NotImplementedException is null || _bodies.GetBody(method) is not IMethodBodyOperation body)
        {
            return false;
        }

        if ((body.BlockBody ?? body.ExpressionBody) is not { Operations.Length: 1 } block)
        {
            return false;
        }

        var only = block.Operations[0];
        while (only is IExpressionStatementOperation or IReturnOperation or IConversionOperation)
        {
            only = only switch
            {
                IExpressionStatementOperation statement => statement.Operation,
                IReturnOperation { ReturnedValue: { } returned } => returned,
                IConversionOperation conversion => conversion.Operand,
                _ => null,
            };
        }

        var thrown = (only as IThrowOperation)?.Exception;
        while (thrown is IConversionOperation conversion)
        {
            thrown = conversion.Operand;
        }

        return thrown is IObjectCreationOperation creation
               && SymbolEqualityComparer.Default.Equals(creation.Type?.OriginalDefinition, Types.NotImplementedException);
    }

    /// <summary>The methods that undo <paramref name="tool"/>: by name, by <c>[CompensatedBy]</c>/<c>[Compensates]</c>, or Courier's <c>Compensate</c>.</summary>
    private ImmutableArray<IMethodSymbol> CompensationMethods(Tool tool, ImmutableArray<string> prefixes)
    {
        if (tool.Symbol.ContainingType is not { } type)
        {
            return ImmutableArray<IMethodSymbol>.Empty;
        }

        var toolName = StripAsync(Normalize(tool.Name));
        var namedBy = tool.IsLambda
            ? ImmutableArray<string>.Empty
            : tool.Symbol.GetAttributes().Where(a => IsNamed(a, "CompensatedBy")).Select(NamedMethod).OfType<string>().ToImmutableArray();
        var isCourierActivity = type.AllInterfaces.Any(i => i.Name == "ICompensateActivity" && i.Arity == 1 && i.ContainingNamespace?.ToDisplayString() == "MassTransit");

        var result = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var method in MethodsOf(type))
        {
            if (SymbolEqualityComparer.Default.Equals(method.Symbol, tool.Symbol.OriginalDefinition))
            {
                continue;
            }

            if (UndoesByName(method.Key, toolName, prefixes)
                || namedBy.Contains(method.Symbol.Name)
                || method.Compensates.Any(compensated => string.Equals(compensated, tool.Name, StringComparison.OrdinalIgnoreCase)
                                                         || string.Equals(compensated, tool.Symbol.Name, StringComparison.OrdinalIgnoreCase))
                || (isCourierActivity && method.Symbol.Name == "Compensate"))
            {
                result.Add(method.Symbol);
            }
        }

        return result.ToImmutable();
    }

    /// <summary><paramref name="name"/> is a prefix followed by <paramref name="toolName"/> (case-insensitive, no copies made).</summary>
    private static bool UndoesByName(string name, string toolName, ImmutableArray<string> prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (toolName.Length > 0 && name.Length == prefix.Length + toolName.Length
                && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && string.Compare(name, prefix.Length, toolName, 0, toolName.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A <c>catch</c> that calls an undo-like method (or invokes an undo delegate) and then throws: the tool undoes
    /// its completed steps itself when a later one fails.
    /// </summary>
    private static bool CompensatesInline(IOperation body, ImmutableArray<string> prefixes)
    {
        foreach (var handler in body.Descendants().OfType<ICatchClauseOperation>())
        {
            var undo = handler.Handler.Descendants().OfType<IInvocationOperation>().FirstOrDefault(i => IsUndo(i, prefixes));
            if (undo is not null
                && handler.Handler.Descendants().OfType<IThrowOperation>().Any(t => t.Syntax.SpanStart > undo.Syntax.SpanStart && !InNestedFunction(t, handler)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUndo(IInvocationOperation invocation, ImmutableArray<string> prefixes)
    {
        var method = invocation.TargetMethod;
        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            var name = invocation.Instance switch
            {
                ILocalReferenceOperation local => local.Local.Name,
                IParameterReferenceOperation parameter => parameter.Parameter.Name,
                IFieldReferenceOperation field => field.Field.Name,
                IPropertyReferenceOperation property => property.Property.Name,
                _ => string.Empty,
            };
            return UndoDelegateWords.Any(w => name.IndexOf(w, StringComparison.OrdinalIgnoreCase) >= 0);
        }

        return WriteOperations.StartsWithVerb(method.Name, prefixes) || WriteOperations.StartsWithVerb(method.Name, InlineUndoVerbs);
    }

    private static bool InNestedFunction(IOperation operation, IOperation within)
    {
        for (var current = operation.Parent; current is not null && current != within; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The writes that committed transactions in the tool's body do not take back, or null when the body commits
    /// no transaction. A transaction runs from <c>BeginTransaction*</c> (or <c>new TransactionScope</c>) to
    /// <c>Commit*</c> (or the scope's <c>Complete()</c>); it takes back the database writes, and the writes of service
    /// types (repositories), made between the two. HTTP calls, files, mail and processes are not transactional.
    /// </summary>
    private ImmutableArray<ToolWrite>? NotTakenBackByTransaction(IOperation body, ImmutableArray<ToolWrite> writes)
    {
        var regions = new List<(int Start, int End)>();
        int? begin = null;
        foreach (var operation in body.Descendants())
        {
            if (IsTransactionStart(operation))
            {
                begin ??= operation.Syntax.SpanStart;
            }
            else if (begin is { } start && operation is IInvocationOperation invocation && IsCommit(invocation))
            {
                regions.Add((start, invocation.Syntax.SpanStart));
            }
        }

        if (regions.Count == 0)
        {
            return null;
        }

        return writes.Where(w => !(w.Write.Kind is "database" or "external"
                                   && regions.Any(r => w.Site.Syntax.SpanStart > r.Start && w.Site.Syntax.SpanStart < r.End)))
            .ToImmutableArray();
    }

    private bool IsTransactionStart(IOperation operation)
        => operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod.Name.StartsWith("BeginTransaction", StringComparison.Ordinal),
            IObjectCreationOperation creation => IsTransactionScope(creation.Type),
            _ => false,
        };

    private bool IsCommit(IInvocationOperation invocation)
        => invocation.TargetMethod.Name is "Commit" or "CommitAsync"
           || (invocation.TargetMethod.Name == "Complete" && IsTransactionScope(invocation.Instance?.Type));

    private bool IsTransactionScope(ITypeSymbol? type)
        => Types.TransactionScope is { } scope && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, scope);

    /// <summary>
    /// The ordinary methods of <paramref name="type"/> and its base types, with what the compensation questions read
    /// of each (its name without separators or <c>Async</c>, and the methods its attributes name): built once per type,
    /// since every tool of the type asks about every method.
    /// </summary>
    private ImmutableArray<MethodFacts> MethodsOf(INamedTypeSymbol type)
        => _typeMethods.GetOrAdd(type.OriginalDefinition, static t =>
        {
            var methods = ImmutableArray.CreateBuilder<MethodFacts>();
            for (var current = (INamedTypeSymbol?)t; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
                    {
                        var attributes = method.GetAttributes();
                        methods.Add(new MethodFacts(
                            method,
                            StripAsync(Normalize(method.Name)),
                            NamedMethods(attributes, "Compensates"),
                            NamedMethods(attributes, "CompensatedBy")));
                    }
                }
            }

            return methods.ToImmutable();
        });

    /// <summary>The methods named by the attributes called <paramref name="attributeName"/> (usually none).</summary>
    private static ImmutableArray<string> NamedMethods(ImmutableArray<AttributeData> attributes, string attributeName)
    {
        var names = ImmutableArray<string>.Empty;
        foreach (var attribute in attributes)
        {
            if (IsNamed(attribute, attributeName) && NamedMethod(attribute) is { } name)
            {
                names = names.Add(name);
            }
        }

        return names;
    }

    /// <summary>One method of a type, as the compensation questions read it.</summary>
    private readonly struct MethodFacts
    {
        public MethodFacts(IMethodSymbol symbol, string key, ImmutableArray<string> compensates, ImmutableArray<string> compensatedBy)
        {
            Symbol = symbol;
            Key = key;
            Compensates = compensates;
            CompensatedBy = compensatedBy;
        }

        public IMethodSymbol Symbol { get; }

        /// <summary>The name without separators and without <c>Async</c>.</summary>
        public string Key { get; }

        /// <summary>What its <c>[Compensates]</c> attributes name.</summary>
        public ImmutableArray<string> Compensates { get; }

        /// <summary>What its <c>[CompensatedBy]</c> attributes name.</summary>
        public ImmutableArray<string> CompensatedBy { get; }
    }

    /// <summary>The attribute's class is <paramref name="name"/> or <c>{name}Attribute</c>, in any namespace.</summary>
    private static bool IsNamed(AttributeData attribute, string name)
        => attribute.AttributeClass?.Name is { } className
           && (className == name || (className.Length == name.Length + "Attribute".Length && className.StartsWith(name, StringComparison.Ordinal) && className.EndsWith("Attribute", StringComparison.Ordinal)));

    /// <summary>The method an attribute names: its first string argument (<c>nameof(UndoX)</c> or <c>"UndoX"</c>).</summary>
    private static string? NamedMethod(AttributeData attribute)
        => attribute.ConstructorArguments.FirstOrDefault(a => a.Kind == TypedConstantKind.Primitive && a.Value is string).Value as string;

    private ImmutableArray<string> Prefixes(string? configured)
        => _prefixes.GetOrAdd(configured ?? DefaultPrefixes, static v => AgentSafetyOptions.SplitList(v));

    /// <summary>Registered tool names are often snake_case (<c>create_ticket</c>): compare without separators.</summary>
    private static string Normalize(string name) => name.Replace("_", string.Empty).Replace("-", string.Empty);

    private static string StripAsync(string name)
        => name.Length > AsyncSuffix.Length && name.EndsWith(AsyncSuffix, StringComparison.OrdinalIgnoreCase)
            ? name.Substring(0, name.Length - AsyncSuffix.Length)
            : name;

    private static string PascalCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c is '_' or '-' or '.' or ' ')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }
}
