using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>A destructive call in a tool's code, tied to the site in the tool's own body that causes it.</summary>
internal readonly struct DestructiveCall
{
    public DestructiveCall(IOperation site, string display)
    {
        Site = site;
        Display = display;
    }

    /// <summary>The operation in the tool's body: the call itself, or the call to the same-type helper that makes it.</summary>
    public IOperation Site { get; }

    /// <summary>The call as people write it: <c>File.Delete</c>, <c>HttpClient.DeleteAsync</c>, <c>SQL DROP</c>.</summary>
    public string Display { get; }
}

/// <summary>
/// Which calls of a tool's code (<see cref="ToolCode"/>) destroy something or move money (AGS007): HTTP DELETE,
/// <c>File.Delete</c>, <c>Directory.Delete</c>, <c>FileInfo/DirectoryInfo.Delete</c>, EF Core <c>ExecuteDelete[Async]</c>,
/// <c>DbSet.Remove*</c> saved by <c>SaveChanges</c>, SQL text starting with DELETE/DROP/TRUNCATE that the code executes,
/// <c>Process.Kill</c>, and methods of service types named with a destroy or money verb (the write classification of
/// <see cref="WriteOperations"/>, asked with those verbs: in-memory types and plumbing never destroy anything).
/// </summary>
internal sealed class DestructiveOperations
{
    public const string DefaultVerbs = "Delete, Remove, Drop, Purge, Destroy, Terminate, Kill, Wipe, Erase, Revoke, Transfer, Pay, Charge, Refund, Withdraw";

    private static readonly string[] SqlVerbs = { "DELETE", "DROP", "TRUNCATE" };

    private readonly Lazy<KnownTypes> _types;
    private readonly MethodBodies _bodies;
    private readonly WriteOperations _writes;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Depth, string Verbs), UnitFacts> _helpers = Caches.Create<(IMethodSymbol Method, int Depth, string Verbs), UnitFacts>(HelperKeyComparer.Instance);

    public DestructiveOperations(Lazy<KnownTypes> types, MethodBodies bodies, WriteOperations writes)
    {
        _types = types;
        _bodies = bodies;
        _writes = writes;
    }

    private KnownTypes Types => _types.Value;

    /// <summary>Every destructive call of <paramref name="tool"/>'s code, in source order (<paramref name="configuredVerbs"/>: <c>agentsafety.AGS007.destructive_verbs</c>).</summary>
    public ImmutableArray<DestructiveCall> Of(Tool tool, string? configuredVerbs)
    {
        var verbs = configuredVerbs ?? DefaultVerbs;
        var type = tool.Symbol.ContainingType?.OriginalDefinition;
        var found = new List<(IOperation Site, Finding Finding)>();
        var pending = new List<(IOperation Site, Finding Finding)>();
        var saves = false;
        var sqlVerb = (string?)null;
        foreach (var operation in tool.Body.Descendants())
        {
            var facts = Look(operation, type, verbs);
            saves |= facts.Saves;
            sqlVerb ??= facts.SqlVerb;
            if (facts.Sure is { } sure)
            {
                found.Add((operation, new Finding(sure, FindingKind.Sure)));
            }
            else if (facts.Pending is { } candidate)
            {
                pending.Add((operation, candidate));
            }
            else if (operation is IInvocationOperation invocation && IsHelper(invocation.TargetMethod, type, tool.Symbol))
            {
                var helper = Helper(invocation.TargetMethod.OriginalDefinition, ToolCode.Depth - 1, verbs);
                saves |= helper.Saves;
                sqlVerb ??= helper.SqlVerb;
                foreach (var finding in helper.Findings)
                {
                    (finding.Kind == FindingKind.Sure ? found : pending).Add((operation, finding));
                }
            }
        }

        foreach (var (site, finding) in pending)
        {
            if (finding.Kind == FindingKind.SqlExecution && sqlVerb is not null)
            {
                found.Add((site, new Finding("SQL " + sqlVerb, FindingKind.Sure)));
            }
            else if (finding.Kind == FindingKind.StagedRemove && saves)
            {
                found.Add((site, new Finding(finding.Display, FindingKind.Sure)));
            }
        }

        return found.OrderBy(f => f.Site.Syntax.SpanStart)
            .Select(f => new DestructiveCall(f.Site, f.Finding.Display))
            .ToImmutableArray();
    }

    private enum FindingKind
    {
        /// <summary>Destructive whatever else the code does.</summary>
        Sure,

        /// <summary>Executes SQL: destructive when the tool's code holds DELETE/DROP/TRUNCATE text.</summary>
        SqlExecution,

        /// <summary>EF Core <c>Remove</c>: destructive when the tool's code saves.</summary>
        StagedRemove,
    }

    private readonly struct Finding
    {
        public Finding(string display, FindingKind kind)
        {
            Display = display;
            Kind = kind;
        }

        public string Display { get; }

        public FindingKind Kind { get; }
    }

    private readonly struct OperationFacts
    {
        private OperationFacts(string? sure, Finding? pending, bool saves, string? sqlVerb)
        {
            Sure = sure;
            Pending = pending;
            Saves = saves;
            SqlVerb = sqlVerb;
        }

        public string? Sure { get; }

        public Finding? Pending { get; }

        public bool Saves { get; }

        public string? SqlVerb { get; }

        public static OperationFacts Destroys(string display) => new(display, null, false, null);

        public static OperationFacts MayDestroy(string display, FindingKind kind) => new(null, new Finding(display, kind), false, null);

        public static OperationFacts Saving => new(null, null, true, null);

        public static OperationFacts Sql(string verb) => new(null, null, false, verb);
    }

    private sealed class UnitFacts
    {
        public static readonly UnitFacts None = new(ImmutableArray<Finding>.Empty, saves: false, sqlVerb: null);

        public UnitFacts(ImmutableArray<Finding> findings, bool saves, string? sqlVerb)
        {
            Findings = findings;
            Saves = saves;
            SqlVerb = sqlVerb;
        }

        public ImmutableArray<Finding> Findings { get; }

        public bool Saves { get; }

        public string? SqlVerb { get; }
    }

    private OperationFacts Look(IOperation operation, INamedTypeSymbol? callerType, string verbs)
    {
        if (operation.Type?.SpecialType == SpecialType.System_String && SqlVerbOf(operation) is { } sqlVerb)
        {
            return OperationFacts.Sql(sqlVerb);
        }

        if (operation is not IInvocationOperation invocation)
        {
            return default;
        }

        var method = invocation.TargetMethod;
        var name = method.Name;
        var declaring = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        if (declaring is null)
        {
            return default;
        }

        if (name == "Kill" && KnownTypes.IsOrDerivesFrom(declaring, Types.Process))
        {
            return OperationFacts.Destroys("Process.Kill");
        }

        var ns = Types.NamespaceName(declaring);
        if (KnownTypes.IsIn(ns, "Microsoft.EntityFrameworkCore"))
        {
            if (name.StartsWith("Remove", StringComparison.Ordinal))
            {
                return OperationFacts.MayDestroy(declaring.Name + "." + name, FindingKind.StagedRemove);
            }

            if (name.StartsWith("SaveChanges", StringComparison.Ordinal))
            {
                return OperationFacts.Saving;
            }

            if (name.StartsWith("ExecuteDelete", StringComparison.Ordinal))
            {
                return OperationFacts.Destroys(name);
            }

            return name.StartsWith("ExecuteSql", StringComparison.Ordinal)
                ? OperationFacts.MayDestroy(name, FindingKind.SqlExecution)
                : default;
        }

        if (_writes.Classify(invocation, callerType, verbs) is not { } write)
        {
            return default;
        }

        switch (write.Kind)
        {
            case "external":
                return OperationFacts.Destroys(write.Display);
            case "HTTP" when name is "DeleteAsync" or "DeleteFromJsonAsync" || (name is "SendAsync" or "Send" && _writes.SentHttpMethod(invocation) == "Delete"):
                return OperationFacts.Destroys(write.Display);
            case "file" when name == "Delete":
                return OperationFacts.Destroys(write.Display);
            case "database":
                return OperationFacts.MayDestroy(write.Display, FindingKind.SqlExecution);
            default:
                return default;
        }
    }

    /// <summary>DELETE, DROP or TRUNCATE when a constant or interpolated string starts with that SQL verb.</summary>
    private static string? SqlVerbOf(IOperation operation)
    {
        var text = operation.ConstantValue is { HasValue: true, Value: string constant }
            ? constant
            : operation is IInterpolatedStringOperation { Parts: { Length: > 0 } parts } && parts[0] is IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string start } }
                ? start
                : null;
        if (text is null)
        {
            return null;
        }

        var trimmed = text.TrimStart();
        foreach (var verb in SqlVerbs)
        {
            if (trimmed.Length > verb.Length && trimmed.StartsWith(verb, StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(trimmed[verb.Length]))
            {
                return verb;
            }
        }

        return null;
    }

    /// <summary>The findings of a same-type helper's body, and of its own helpers <paramref name="depth"/> more calls deep.</summary>
    private UnitFacts Helper(IMethodSymbol method, int depth, string verbs)
        => _helpers.GetOrAdd((method, depth, verbs), key =>
        {
            if (_bodies.GetBody(key.Method) is not { } body)
            {
                return UnitFacts.None;
            }

            var type = key.Method.ContainingType?.OriginalDefinition;
            var findings = ImmutableArray.CreateBuilder<Finding>();
            var saves = false;
            string? sqlVerb = null;
            foreach (var operation in body.Descendants())
            {
                var facts = Look(operation, type, verbs);
                saves |= facts.Saves;
                sqlVerb ??= facts.SqlVerb;
                if (facts.Sure is { } sure)
                {
                    findings.Add(new Finding(sure, FindingKind.Sure));
                }
                else if (facts.Pending is { } pending)
                {
                    findings.Add(pending);
                }
                else if (key.Depth > 0 && operation is IInvocationOperation invocation && IsHelper(invocation.TargetMethod, type, key.Method))
                {
                    // Depth bounds the walk, so helpers that call each other cannot loop.
                    var nested = Helper(invocation.TargetMethod.OriginalDefinition, key.Depth - 1, verbs);
                    findings.AddRange(nested.Findings);
                    saves |= nested.Saves;
                    sqlVerb ??= nested.SqlVerb;
                }
            }

            return new UnitFacts(findings.ToImmutable(), saves, sqlVerb);
        });

    internal static bool IsHelper(IMethodSymbol target, INamedTypeSymbol? type, IMethodSymbol caller)
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
