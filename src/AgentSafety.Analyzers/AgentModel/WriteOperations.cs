using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>A call that changes state outside the process, as the rules name it.</summary>
internal readonly struct WriteOperation
{
    public WriteOperation(string kind, string display)
    {
        Kind = kind;
        Display = display;
    }

    /// <summary>What is written: HTTP, file, database, mail, process, or external (a write verb on a service type).</summary>
    public string Kind { get; }

    /// <summary>The call as people write it: <c>HttpClient.PostAsync</c>, <c>File.WriteAllText</c>.</summary>
    public string Display { get; }
}

/// <summary>
/// Which invocations (and object creations) change external state. Shared by AGS004 and AGS005.
/// HTTP verbs, files, databases (ADO.NET, EF Core <c>SaveChanges</c> — <c>DbSet.Add</c> only stages —, Dapper),
/// mail, processes, and methods named with a write verb on types outside the framework and the agent plumbing.
/// In-memory types (collections, builders, factories, caches, chat histories) and model clients never write.
/// </summary>
internal sealed class WriteOperations
{
    public const string DefaultWriteVerbs =
        "Create, Add, Insert, Update, Upsert, Delete, Remove, Send, Post, Put, Patch, Publish, Write, Save, Submit, "
        + "Transfer, Pay, Charge, Refund, Book, Reserve, Cancel, Approve, Deploy, Provision, Drop, Truncate, Alter, Grant, "
        + "Revoke, Assign, Merge, Move, Rename, Archive, Upload, Import, Enqueue, Schedule, Restart, Terminate, Scale";

    private static readonly HashSet<string> HttpWriteMethods = NameSet.Of("PostAsync", "PutAsync", "PatchAsync", "DeleteAsync");

    private static readonly HashSet<string> HttpJsonWriteMethods = NameSet.Of("PostAsJsonAsync", "PutAsJsonAsync", "PatchAsJsonAsync", "DeleteFromJsonAsync");

    private static readonly string[] FileWritePrefixes =
        { "Write", "Append", "Delete", "Move", "Copy", "Replace", "Create", "OpenWrite", "Encrypt", "Decrypt", "SetAttributes" };

    private static readonly HashSet<string> DirectoryWriteMethods = NameSet.Of("Delete", "Move", "CreateDirectory", "CreateSymbolicLink", "CreateTempSubdirectory");

    private static readonly HashSet<string> FileInfoWriteMethods = NameSet.Of("Delete", "MoveTo", "CopyTo", "Replace", "Create", "CreateText", "AppendText", "OpenWrite", "Encrypt", "Decrypt",
        "CreateSubdirectory", "CreateAsSymbolicLink");

    private static readonly HashSet<string> EntityFrameworkWriteMethods = NameSet.Of("SaveChanges", "SaveChangesAsync", "ExecuteUpdate", "ExecuteUpdateAsync", "ExecuteDelete", "ExecuteDeleteAsync");

    private static readonly HashSet<string> DapperWriteMethods = NameSet.Of("Execute", "ExecuteAsync");

    /// <summary>The names <see cref="ClassifyInvocation"/> tests whatever the verbs: a write's name starts with one of them or with a verb.</summary>
    private static readonly string[] FixedWriteNames = HttpWriteMethods.Concat(HttpJsonWriteMethods).Concat(FileWritePrefixes)
        .Concat(DirectoryWriteMethods).Concat(FileInfoWriteMethods).Concat(EntityFrameworkWriteMethods).Concat(DapperWriteMethods)
        .Concat(new[] { "Send", "SendAsync", "ExecuteNonQuery", "Start" })
        .Distinct(StringComparer.Ordinal).ToArray();

    private static readonly HashSet<string> SafeHttpMethods = NameSet.Of("Get", "Head", "Options", "Trace");

    /// <summary>Namespaces whose types are in-process plumbing or model clients: their verbs write nothing outside.</summary>
    private static readonly ImmutableArray<string> PlumbingNamespaces = ImmutableArray.Create(
        "System", "Microsoft.Extensions", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Http.HttpResults",
        "Polly", "OpenTelemetry", "ModelContextProtocol", "OpenAI", "Anthropic", "Azure.AI.OpenAI", "Microsoft.SemanticKernel",
        "Microsoft.Agents.AI", "AutoGen", "Newtonsoft.Json",
        // Test frameworks' output (xunit's ITestOutputHelper.WriteLine): a test's log, like Console.WriteLine.
        "Xunit", "NUnit.Framework", "Microsoft.VisualStudio.TestTools");

    private static readonly VerbIndex DefaultVerbs = new(DefaultWriteVerbs);

    private readonly Lazy<KnownTypes> _types;
    private readonly ConcurrentDictionary<string, VerbIndex> _verbs = new(StringComparer.Ordinal);
    private VerbIndex? _lastVerbs;

    public WriteOperations(Lazy<KnownTypes> types) => _types = types;

    /// <summary>The known types, resolved when first asked (see <see cref="AgentModel"/>).</summary>
    private KnownTypes Types => _types.Value;

    /// <summary>
    /// The write this operation performs, or null. <paramref name="callerType"/> is the type whose code is analyzed:
    /// its own methods are followed as helpers, not counted as writes. <paramref name="configuredVerbs"/> is the raw
    /// <c>agentsafety.write_verbs</c> value (null: the defaults).
    /// </summary>
    public WriteOperation? Classify(IOperation operation, INamedTypeSymbol? callerType, string? configuredVerbs)
        => operation switch
        {
            IInvocationOperation invocation => ClassifyInvocation(invocation, callerType, configuredVerbs),
            IObjectCreationOperation creation => ClassifyCreation(creation),
            _ => null,
        };

    private WriteOperation? ClassifyInvocation(IInvocationOperation invocation, INamedTypeSymbol? callerType, string? configuredVerbs)
    {
        // One look at the name settles most calls: every write below is named by a verb or by one of the fixed names.
        var method = invocation.TargetMethod;
        var name = method.Name;
        var verbs = Verbs(configuredVerbs);
        if (!verbs.MayNameWrite(name))
        {
            return null;
        }

        var declaring = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        if (declaring is null)
        {
            return null;
        }

        if (Is(declaring, Types.HttpClient))
        {
            if (HttpWriteMethods.Contains(name))
            {
                return Write("HTTP", declaring, name);
            }

            return name is "SendAsync" or "Send" && SentMethodWrites(invocation) ? Write("HTTP", declaring, name) : null;
        }

        // A Kiota request builder (Microsoft Graph's and every Kiota-generated client's) sends its request: a builder
        // by name, but no in-memory one (see IsInMemory).
        if (HttpWriteMethods.Contains(name) && IsRequestBuilder(declaring))
        {
            return Write("HTTP", declaring, name);
        }

        if (Is(declaring, Types.HttpClientJsonExtensions))
        {
            return HttpJsonWriteMethods.Contains(name) ? Write("HTTP", "HttpClient", name) : null;
        }

        if (Is(declaring, Types.File))
        {
            return StartsWithAny(name, FileWritePrefixes) ? Write("file", declaring, name) : null;
        }

        if (Is(declaring, Types.Directory))
        {
            return DirectoryWriteMethods.Contains(name) ? Write("file", declaring, name) : null;
        }

        if (Is(declaring, Types.FileInfo) || Is(declaring, Types.DirectoryInfo))
        {
            return FileInfoWriteMethods.Contains(name) ? Write("file", declaring, name) : null;
        }

        if ((name.StartsWith("ExecuteNonQuery", StringComparison.Ordinal))
            && (KnownTypes.IsOrDerivesFrom(declaring, Types.DbCommand) || KnownTypes.IsOrImplements(declaring, Types.IDbCommand)))
        {
            return Write("database", declaring, name);
        }

        if (Is(declaring, Types.SmtpClient))
        {
            return name.StartsWith("Send", StringComparison.Ordinal) ? Write("mail", declaring, name) : null;
        }

        if (Is(declaring, Types.Process))
        {
            return name == "Start" ? Write("process", declaring, name) : null;
        }

        // Every remaining write is named by a verb, EF Core's save names or Dapper's Execute: most calls stop here,
        // before the namespace is built.
        if (!EntityFrameworkWriteMethods.Contains(name) && !DapperWriteMethods.Contains(name) && !verbs.StartsName(name))
        {
            return null;
        }

        var ns = Types.NamespaceName(declaring);
        if (ns.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
        {
            // DbSet.Add/Update/Remove only stage changes: SaveChanges is the write.
            return EntityFrameworkWriteMethods.Contains(name) ? Write("database", declaring, name) : null;
        }

        if (ns == "Dapper")
        {
            return DapperWriteMethods.Contains(name) ? Write("database", declaring, name) : null;
        }

        if (callerType is not null && SymbolEqualityComparer.Default.Equals(declaring, callerType.OriginalDefinition))
        {
            return null;
        }

        return verbs.StartsName(name) && !IsPlumbing(declaring) && !IsInMemory(ReceiverType(invocation) ?? declaring)
            ? Write("external", declaring, name)
            : null;
    }

    private WriteOperation? ClassifyCreation(IObjectCreationOperation creation)
    {
        var type = creation.Type?.OriginalDefinition;
        if (Is(type, Types.StreamWriter))
        {
            // new StreamWriter(path): a stream argument writes wherever that stream was opened.
            return creation.Arguments.FirstOrDefault()?.Value.Type?.SpecialType == SpecialType.System_String
                ? new WriteOperation("file", "new StreamWriter")
                : null;
        }

        if (Is(type, Types.FileStream))
        {
            var mode = creation.Arguments.FirstOrDefault(a => Is(a.Value.Type, Types.FileMode))?.Value.ConstantValue;
            return mode is { HasValue: true, Value: int value } && value != 3 /* FileMode.Open */
                ? new WriteOperation("file", "new FileStream")
                : null;
        }

        return null;
    }

    /// <summary><c>SendAsync(new HttpRequestMessage(HttpMethod.Post, ...))</c>: the method is visible and not GET/HEAD/OPTIONS/TRACE.</summary>
    private bool SentMethodWrites(IInvocationOperation invocation)
        => SentHttpMethod(invocation) is { } method && !SafeHttpMethods.Contains(method);

    /// <summary>The <c>HttpMethod</c> property (<c>Post</c>, <c>Delete</c>) of the request an <c>HttpClient.Send[Async]</c> sends, when visible.</summary>
    internal string? SentHttpMethod(IInvocationOperation invocation)
    {
        var request = invocation.Arguments.FirstOrDefault(a => Is(a.Value.Type, Types.HttpRequestMessage))?.Value;
        while (request is IConversionOperation conversion)
        {
            request = conversion.Operand;
        }

        if (request is ILocalReferenceOperation local)
        {
            request = LocalInitializer(local.Local, invocation);
        }

        if (request is not IObjectCreationOperation creation)
        {
            return null;
        }

        var method = creation.Arguments.FirstOrDefault(a => Is(a.Value.Type, Types.HttpMethod))?.Value
                     ?? (creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>()
                         .FirstOrDefault(a => a.Target is IPropertyReferenceOperation { Property.Name: "Method" })?.Value);
        while (method is IConversionOperation conversion)
        {
            method = conversion.Operand;
        }

        return method is IPropertyReferenceOperation { Property: { IsStatic: true } property } && Is(property.ContainingType, Types.HttpMethod)
            ? property.Name
            : null;
    }

    /// <summary>The initializer of <paramref name="local"/> in the body that holds <paramref name="within"/>, if it has one.</summary>
    internal static IOperation? LocalInitializer(ILocalSymbol local, IOperation within)
    {
        var root = within;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root.Descendants().OfType<IVariableDeclaratorOperation>()
            .FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local))
            ?.Initializer?.Value;
    }

    private static bool StartsWithAny(string name, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The index for the configured verbs: asked for every call, so the defaults are a field and a configured text's
    /// index is found by reference first (a tree's options hand over the same string), by hashing the text only then.
    /// </summary>
    private VerbIndex Verbs(string? configured)
    {
        if (configured is null)
        {
            return DefaultVerbs;
        }

        var last = _lastVerbs;
        if (last is not null && ReferenceEquals(last.Text, configured))
        {
            return last;
        }

        last = _verbs.GetOrAdd(configured, static v => new VerbIndex(v));
        _lastVerbs = last;
        return last;
    }

    /// <summary><c>SendEmail</c>, <c>SaveAsync</c>, <c>Delete</c> start with a verb; <c>Address</c>, <c>Settings</c>, <c>Sender</c> do not.</summary>
    internal static bool StartsWithVerb(string name, ImmutableArray<string> verbs)
    {
        foreach (var verb in verbs)
        {
            if (StartsWithVerb(name, verb))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithVerb(string name, string verb)
        => name.StartsWith(verb, StringComparison.Ordinal)
           && (name.Length == verb.Length || char.IsUpper(name[verb.Length]) || char.IsDigit(name[verb.Length]) || name[verb.Length] == '_');

    /// <summary>A verb list indexed by first letter: every call's name is tested against it.</summary>
    private sealed class VerbIndex
    {
        private readonly Dictionary<char, string[]> _byFirstLetter;
        private readonly Dictionary<char, string[]> _writeNamesByFirstLetter;

        public VerbIndex(string text)
        {
            Text = text;
            var verbs = AgentSafetyOptions.SplitList(text);
            _byFirstLetter = ByFirstLetter(verbs);
            _writeNamesByFirstLetter = ByFirstLetter(verbs.Concat(FixedWriteNames));
        }

        /// <summary>The option text the verbs were read from.</summary>
        public string Text { get; }

        /// <summary>False when no write can have this name: it starts with neither a verb nor a fixed write name.</summary>
        public bool MayNameWrite(string name)
        {
            if (name.Length == 0 || !_writeNamesByFirstLetter.TryGetValue(name[0], out var prefixes))
            {
                return false;
            }

            foreach (var prefix in prefixes)
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        public bool StartsName(string name)
        {
            if (name.Length == 0 || !_byFirstLetter.TryGetValue(name[0], out var verbs))
            {
                return false;
            }

            foreach (var verb in verbs)
            {
                if (StartsWithVerb(name, verb))
                {
                    return true;
                }
            }

            return false;
        }

        private static Dictionary<char, string[]> ByFirstLetter(IEnumerable<string> names)
            => names.Where(n => n.Length > 0).GroupBy(n => n[0]).ToDictionary(g => g.Key, g => g.Distinct(StringComparer.Ordinal).ToArray());
    }

    private bool IsPlumbing(INamedTypeSymbol type) => IsPlumbingNamespace(Types.NamespaceName(type));

    private static bool IsPlumbingNamespace(string ns)
    {
        foreach (var prefix in PlumbingNamespaces)
        {
            if (ns == prefix || (ns.StartsWith(prefix, StringComparison.Ordinal) && ns.Length > prefix.Length && ns[prefix.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A Kiota-generated request builder: <c>Appointments[id]</c> gives a <c>...ItemRequestBuilder</c> whose <c>DeleteAsync</c> sends DELETE.</summary>
    private static bool IsRequestBuilder(INamedTypeSymbol type)
        => type.Name.EndsWith("RequestBuilder", StringComparison.Ordinal);

    /// <summary>Collections, builders, factories, caches and chat histories live in memory.</summary>
    private bool IsInMemory(ITypeSymbol type)
        => KnownTypes.IsOrImplements(type, Types.IEnumerable)
           || type.Name.EndsWith("Builder", StringComparison.Ordinal)
           || type.Name.EndsWith("Factory", StringComparison.Ordinal)
           || type.Name.IndexOf("Cache", StringComparison.Ordinal) >= 0
           || type.Name.EndsWith("History", StringComparison.Ordinal);

    private static ITypeSymbol? ReceiverType(IInvocationOperation invocation)
        => invocation.Instance?.Type
           ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value.Type : null);

    private static WriteOperation Write(string kind, INamedTypeSymbol type, string method) => new(kind, type.Name + "." + method);

    private static WriteOperation Write(string kind, string type, string method) => new(kind, type + "." + method);

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);
}
