using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>What a trace call records through.</summary>
internal enum TraceRecorder
{
    None,

    /// <summary>An <c>ILogger</c> <c>Log*</c> extension or <c>ILogger.Log</c>.</summary>
    Logger,

    /// <summary>A <c>LoggerMessage.Define</c> delegate (its first argument is the logger).</summary>
    LoggerDelegate,

    /// <summary>A <c>[LoggerMessage]</c> method.</summary>
    LoggerMessageMethod,

    /// <summary><c>Activity</c> tags, events, baggage, status, exceptions.</summary>
    Activity,

    /// <summary><c>ActivitySource.StartActivity</c>/<c>CreateActivity</c>.</summary>
    ActivitySource,

    /// <summary>OpenTelemetry <c>Tracer</c> span starts.</summary>
    Tracer,

    /// <summary>OpenTelemetry <c>TelemetrySpan</c> attributes, events, status.</summary>
    Span,

    /// <summary><c>System.Diagnostics.Trace.Trace*</c>.</summary>
    Trace,

    /// <summary>A method the user configured.</summary>
    Configured,
}

/// <summary>
/// Calls that record a failure or trace a state change: ILogger <c>Log*</c>/<c>Log</c>, <c>[LoggerMessage]</c>
/// methods, <c>LoggerMessage.Define</c> delegates, Activity and ActivitySource, OpenTelemetry spans,
/// <c>Trace.Trace*</c>, and methods the user names. A call to a method of the same type whose own body makes such
/// a call counts too (followed two levels deep). <c>ILogger.BeginScope</c> alone records nothing.
/// </summary>
internal sealed class TraceCalls
{
    private const int HelperDepth = 2;

    private static readonly HashSet<string> ActivityMethods = new(StringComparer.Ordinal)
    {
        "SetTag", "AddTag", "AddEvent", "SetStatus", "AddException", "SetBaggage",
    };

    private static readonly HashSet<string> ActivitySourceMethods = new(StringComparer.Ordinal)
    {
        "StartActivity", "CreateActivity",
    };

    private static readonly HashSet<string> TracerMethods = new(StringComparer.Ordinal)
    {
        "StartActiveSpan", "StartSpan", "StartRootSpan",
    };

    private static readonly HashSet<string> SpanMethods = new(StringComparer.Ordinal)
    {
        "SetAttribute", "AddEvent", "RecordException", "SetStatus", "UpdateName",
    };

    private static readonly HashSet<string> OpenTelemetryActivityMethods = new(StringComparer.Ordinal)
    {
        "RecordException", "SetStatus",
    };

    private readonly Lazy<KnownTypes> _types;
    private readonly MethodBodies _bodies;
    private readonly ConcurrentDictionary<(IMethodSymbol Method, SymbolNameMatcher Extra), bool> _directlyTraces = Caches.Create<(IMethodSymbol Method, SymbolNameMatcher Extra), bool>(HelperKeyComparer.Instance);
    private readonly ConcurrentDictionary<(SyntaxTree Tree, TextSpan Span, SymbolNameMatcher Extra), bool> _codeTraces = Caches.Create<(SyntaxTree Tree, TextSpan Span, SymbolNameMatcher Extra), bool>(CodeKeyComparer.Instance);

    public TraceCalls(Lazy<KnownTypes> types, MethodBodies bodies)
    {
        _types = types;
        _bodies = bodies;
    }

    /// <summary>The known types, resolved when first asked (see <see cref="AgentModel"/>).</summary>
    private KnownTypes Types => _types.Value;

    /// <summary>True when the call itself logs or traces (no look into the callee).</summary>
    public bool IsTraceCall(IMethodSymbol method, SymbolNameMatcher extra) => RecorderOf(method, extra) != TraceRecorder.None;

    /// <summary>What the call itself records through (no look into the callee): the logger, an activity, a span, ... or nothing.</summary>
    public TraceRecorder RecorderOf(IMethodSymbol method, SymbolNameMatcher extra)
    {
        var declaring = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        if (declaring is null)
        {
            return TraceRecorder.None;
        }

        var name = method.Name;
        if (Is(declaring, Types.LoggerExtensions))
        {
            return name.StartsWith("Log", StringComparison.Ordinal) ? TraceRecorder.Logger : TraceRecorder.None;
        }

        if (name == "Log" && Types.IsLogger(declaring))
        {
            return TraceRecorder.Logger;
        }

        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            // LoggerMessage.Define returns Action<ILogger, ...>: invoking it logs.
            return method.Parameters.Length > 0 && Types.IsLogger(method.Parameters[0].Type) ? TraceRecorder.LoggerDelegate : TraceRecorder.None;
        }

        if (Is(declaring, Types.Activity))
        {
            return ActivityMethods.Contains(name) ? TraceRecorder.Activity : TraceRecorder.None;
        }

        if (Is(declaring, Types.ActivitySource))
        {
            return ActivitySourceMethods.Contains(name) ? TraceRecorder.ActivitySource : TraceRecorder.None;
        }

        if (KnownTypes.IsOrDerivesFrom(declaring, Types.OpenTelemetryTracer))
        {
            return TracerMethods.Contains(name) ? TraceRecorder.Tracer : TraceRecorder.None;
        }

        if (KnownTypes.IsOrDerivesFrom(declaring, Types.OpenTelemetrySpan))
        {
            return SpanMethods.Contains(name) ? TraceRecorder.Span : TraceRecorder.None;
        }

        if (Is(declaring, Types.OpenTelemetryActivityExtensions))
        {
            return OpenTelemetryActivityMethods.Contains(name) ? TraceRecorder.Activity : TraceRecorder.None;
        }

        if (Is(declaring, Types.Trace))
        {
            return name.StartsWith("Trace", StringComparison.Ordinal) ? TraceRecorder.Trace : TraceRecorder.None;
        }

        // Attributes last: reading them costs more than the type checks above.
        if (Types.LoggerMessageAttribute is { } loggerMessage
            && method.GetAttributes().Any(a => Is(a.AttributeClass, loggerMessage)))
        {
            return TraceRecorder.LoggerMessageMethod;
        }

        return extra.Matches(method) ? TraceRecorder.Configured : TraceRecorder.None;
    }

    /// <summary>
    /// True when the invocation traces: directly, or by calling a method of <paramref name="callerType"/> whose
    /// body traces.
    /// </summary>
    public bool Traces(IInvocationOperation invocation, INamedTypeSymbol? callerType, SymbolNameMatcher extra)
        => Traces(invocation, callerType, extra, willTrace: null);

    /// <summary>True when some invocation inside <paramref name="root"/> (lambdas included) traces.</summary>
    public bool AnyTraces(IOperation root, INamedTypeSymbol? callerType, SymbolNameMatcher extra)
        => _bodies.Invocations(root).Any(i => Traces(i, callerType, extra, willTrace: null));

    /// <summary>
    /// <see cref="AnyTraces(IOperation, INamedTypeSymbol?, SymbolNameMatcher)"/> for the code of a whole method or
    /// lambda, cached per code block: rules ask it once per write, and a method may hold many writes.
    /// </summary>
    public bool CodeTraces(IOperation code, INamedTypeSymbol? callerType, SymbolNameMatcher extra)
        => _codeTraces.GetOrAdd((code.Syntax.SyntaxTree, code.Syntax.Span, extra), _ => AnyTraces(code, callerType, extra));

    /// <summary>
    /// <see cref="CodeTraces(IOperation, INamedTypeSymbol?, SymbolNameMatcher)"/> as it will be once the methods
    /// <paramref name="willTrace"/> accepts trace too (a fix about to instrument them decides what else it
    /// silences). Not cached.
    /// </summary>
    public bool CodeTraces(IOperation code, INamedTypeSymbol? callerType, SymbolNameMatcher extra, Func<IMethodSymbol, bool> willTrace)
        => _bodies.Invocations(code).Any(i => Traces(i, callerType, extra, willTrace));

    private bool Traces(IInvocationOperation invocation, INamedTypeSymbol? callerType, SymbolNameMatcher extra, Func<IMethodSymbol, bool>? willTrace)
        => IsTraceCall(invocation.TargetMethod, extra)
           || (IsSameTypeHelper(invocation.TargetMethod, callerType) && HelperTraces(invocation.TargetMethod, extra, HelperDepth, willTrace));

    private bool HelperTraces(IMethodSymbol method, SymbolNameMatcher extra, int depth, Func<IMethodSymbol, bool>? willTrace)
    {
        if (BodyTracesDirectly(method, extra) || (willTrace is not null && willTrace(method.OriginalDefinition)))
        {
            return true;
        }

        if (depth <= 1 || _bodies.GetBody(method) is not { } body)
        {
            return false;
        }

        // Depth bounds the walk, so helpers that call each other cannot loop.
        return _bodies.Invocations(body).Any(i =>
            IsSameTypeHelper(i.TargetMethod, method.ContainingType) && HelperTraces(i.TargetMethod, extra, depth - 1, willTrace));
    }

    private bool BodyTracesDirectly(IMethodSymbol method, SymbolNameMatcher extra)
        => _directlyTraces.GetOrAdd((method.OriginalDefinition, extra), key =>
            _bodies.GetBody(key.Method) is { } body && _bodies.Invocations(body).Any(i => IsTraceCall(i.TargetMethod, key.Extra)));

    private static bool IsSameTypeHelper(IMethodSymbol target, INamedTypeSymbol? callerType)
        => callerType is not null
           && target.MethodKind == MethodKind.Ordinary
           && SymbolEqualityComparer.Default.Equals(target.ContainingType?.OriginalDefinition, callerType.OriginalDefinition);

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);

    private sealed class CodeKeyComparer : IEqualityComparer<(SyntaxTree Tree, TextSpan Span, SymbolNameMatcher Extra)>
    {
        public static readonly CodeKeyComparer Instance = new();

        public bool Equals((SyntaxTree Tree, TextSpan Span, SymbolNameMatcher Extra) x, (SyntaxTree Tree, TextSpan Span, SymbolNameMatcher Extra) y)
            => ReferenceEquals(x.Tree, y.Tree) && x.Span == y.Span && ReferenceEquals(x.Extra, y.Extra);

        public int GetHashCode((SyntaxTree Tree, TextSpan Span, SymbolNameMatcher Extra) obj)
            => (RuntimeHelpers.GetHashCode(obj.Tree) * 31) ^ obj.Span.GetHashCode() ^ obj.Extra.GetHashCode();
    }

    private sealed class HelperKeyComparer : IEqualityComparer<(IMethodSymbol Method, SymbolNameMatcher Extra)>
    {
        public static readonly HelperKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, SymbolNameMatcher Extra) x, (IMethodSymbol Method, SymbolNameMatcher Extra) y)
            => ReferenceEquals(x.Extra, y.Extra) && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, SymbolNameMatcher Extra) obj)
            => SymbolEqualityComparer.Default.GetHashCode(obj.Method) ^ obj.Extra.GetHashCode();
    }
}
