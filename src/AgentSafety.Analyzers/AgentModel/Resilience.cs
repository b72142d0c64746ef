using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// What protects an outbound call from a transient failure:
/// <list type="number">
/// <item>a resilience executor running the delegate that holds it (Polly v8 <c>ResiliencePipeline.Execute*</c>, Polly v7
/// policies' <c>Execute*</c>, configured wrappers, and source helpers that run their delegate parameter under such
/// protection — nested lambdas count; a method group protects nothing in its body);</item>
/// <item>a retry loop: a <c>try</c> inside a <c>for</c>/<c>while</c>/<c>do</c> whose catch lets the loop run again
/// (<c>foreach</c> walks a collection, it does not retry);</item>
/// <item>a fallback: a catch that calls an alternative or reads the object's state, or the call being in such a catch;
/// logging, rethrowing and canned answers are not fallbacks;</item>
/// <item>a resilient receiver: <c>FailoverChatClient</c>, configured types, and an <c>HttpClient</c> not created with
/// <c>new</c> when the compilation registers an HTTP resilience handler.</item>
/// </list>
/// A call in a delegate that a test asserts throws (<see cref="ExpectedFailures"/>) is the failure the test expects:
/// not reported either.
/// </summary>
internal sealed class Resilience
{
    /// <summary>How many source helpers deep a delegate is followed (<c>RetryWithBackoffAsync(token => ...)</c>).</summary>
    private const int HelperDepth = 2;

    /// <summary>DI registrations that put a resilience handler on HttpClients, matched by name (Microsoft.Extensions.Http.Resilience and Polly's HttpClientFactory integration).</summary>
    internal static readonly HashSet<string> HttpResilienceRegistrations = NameSet.Of("AddStandardResilienceHandler", "AddResilienceHandler", "AddStandardHedgingHandler", "AddPolicyHandler", "AddTransientHttpErrorPolicy");

    /// <summary>
    /// What every name of <see cref="HttpResilienceRegistrations"/> contains: two text searches per file instead of
    /// five (a knowledge test checks that each name holds one of them).
    /// </summary>
    internal static readonly string[] HttpResilienceRegistrationParts = { "Handler", "ErrorPolicy" };

    /// <summary>Namespaces whose calls build values, count or record; in a catch they are not an alternative.</summary>
    private static readonly ImmutableArray<string> ValueBuildingNamespaces = ImmutableArray.Create(
        "System.Text", "System.Threading", "System.Linq", "System.Diagnostics", "System.Globalization",
        "Microsoft.Extensions.Logging", "OpenTelemetry");

    private readonly Compilation _compilation;
    private readonly Lazy<KnownTypes> _types;
    private readonly MethodBodies _bodies;
    private readonly TraceCalls _traceCalls;
    private readonly ValueOrigins _origins;
    private readonly ToolMethods _toolMethods;
    private readonly Lazy<HttpHandlerCoverage> _httpHandlers;
    private readonly Lazy<ImmutableArray<InvocationExpressionSyntax>> _httpClientRegistrations;
    private readonly ConcurrentDictionary<(IParameterSymbol Parameter, SymbolNameMatcher Wrappers), bool> _protectingHelpers = Caches.Create<(IParameterSymbol Parameter, SymbolNameMatcher Wrappers), bool>(new KeyComparer<IParameterSymbol>());
    private readonly ConcurrentDictionary<(IMethodSymbol Method, SymbolNameMatcher Wrappers), bool> _protectedCallers = Caches.Create<(IMethodSymbol Method, SymbolNameMatcher Wrappers), bool>(new KeyComparer<IMethodSymbol>());

    public Resilience(Compilation compilation, Lazy<KnownTypes> types, MethodBodies bodies, TraceCalls traceCalls, ValueOrigins origins, ToolMethods toolMethods)
    {
        _compilation = compilation;
        _types = types;
        _bodies = bodies;
        _traceCalls = traceCalls;
        _origins = origins;
        _toolMethods = toolMethods;
        _httpHandlers = new Lazy<HttpHandlerCoverage>(FindHttpResilienceRegistrations, LazyThreadSafetyMode.ExecutionAndPublication);
        _httpClientRegistrations = new Lazy<ImmutableArray<InvocationExpressionSyntax>>(FindHttpClientRegistrations, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The known types, resolved when first asked (see <see cref="AgentModel"/>).</summary>
    private KnownTypes Types => _types.Value;

    /// <summary>True when some code of the compilation registers an HTTP resilience handler (computed once, on first need).</summary>
    public bool RegistersHttpResilienceHandler => _httpHandlers.Value.Any;

    /// <summary>
    /// True when <paramref name="call"/> is protected by its place in the code (executor, retry loop, fallback) or by
    /// its receiver. <paramref name="wrappers"/> are the configured resilience wrappers, <paramref name="resilientTypes"/>
    /// the configured resilient receiver types.
    /// </summary>
    public bool IsProtected(IInvocationOperation call, OutboundCall outbound, ISymbol owner, SymbolNameMatcher wrappers, ImmutableArray<INamedTypeSymbol> resilientTypes)
        => IsProtectedByPlace(call, MemberOf(owner), wrappers, HelperDepth)
           || IsResilientReceiver(OutboundCalls.Receiver(call), outbound.Kind, resilientTypes);

    /// <summary>The method a lambda belongs to: its code runs in that method's flow.</summary>
    private static IMethodSymbol? MemberOf(ISymbol owner)
    {
        while (owner is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } && owner.ContainingSymbol is { } containing)
        {
            owner = containing;
        }

        return owner as IMethodSymbol;
    }

    /// <summary>
    /// True when <paramref name="start"/>, in <paramref name="method"/>, runs under protection: in an executor's
    /// delegate, a retry loop, a try with a fallback, a fallback catch — or, in a private method, when every call
    /// to that method is itself protected.
    /// </summary>
    private bool IsProtectedByPlace(IOperation start, IMethodSymbol? method, SymbolNameMatcher wrappers, int depth)
    {
        var callerType = method?.ContainingType;
        // try/catch and loops only protect code that runs where it is written: past a lambda that is stored, returned
        // or registered as a tool, only executors still count.
        var sameFlow = true;
        var child = start;
        for (var current = start.Parent; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    var taker = InvocationTaking(lambda, out var argument);
                    if (taker is not null && IsExecutor(taker, argument, wrappers, depth))
                    {
                        return true;
                    }

                    // Assert.ThrowsAsync<T>(() => ...), act.Should().ThrowAsync<T>(): the test expects the failure.
                    if (ExpectedFailures.ExpectsFailure(lambda, taker))
                    {
                        return true;
                    }

                    if (taker is null || _toolMethods.IsToolLambda(lambda, out _))
                    {
                        sameFlow = false;
                    }

                    break;
                case ILocalFunctionOperation:
                    return false;
                case ITryOperation tryOperation when sameFlow && child == tryOperation.Body:
                    if (HasFallback(tryOperation, callerType) || IsRetryLoop(tryOperation))
                    {
                        return true;
                    }

                    break;
                case ICatchClauseOperation catchClause when sameFlow && child == catchClause.Handler:
                    // The call is the alternative a catch falls back to, unless the catch ends by rethrowing.
                    if (!EndsWithThrow(catchClause.Handler))
                    {
                        return true;
                    }

                    break;
            }
        }

        // Only a private method's callers can protect it: the usual public or internal method is answered here, without
        // a cache entry (and its lock) for every method that makes a call.
        if (!sameFlow || depth <= 0 || method is not { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary })
        {
            return false;
        }

        var key = (method.OriginalDefinition, wrappers);
        return _protectedCallers.TryGetValue(key, out var protectedByCallers)
            ? protectedByCallers
            : _protectedCallers.GetOrAdd(key, k => CallersProtect(k.Item1, k.Item2, depth - 1));
    }

    /// <summary>
    /// True when <paramref name="method"/> is private, called at least once in its type, every call is protected, and
    /// no method group of it escapes (an executor given a method group protects nothing in its body).
    /// </summary>
    private bool CallersProtect(IMethodSymbol method, SymbolNameMatcher wrappers, int depth)
    {
        if (method.DeclaredAccessibility != Accessibility.Private || method.MethodKind != MethodKind.Ordinary || method.ContainingType is not { } type)
        {
            return false;
        }

        var calls = 0;
        foreach (var member in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (_bodies.GetBody(member) is not { } body)
            {
                continue;
            }

            foreach (var operation in body.Descendants())
            {
                switch (operation)
                {
                    case IMethodReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, method):
                        return false;
                    case IInvocationOperation invocation when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method):
                        calls++;
                        if (!IsProtectedByPlace(invocation, member, wrappers, depth))
                        {
                            return false;
                        }

                        break;
                }
            }
        }

        return calls > 0;
    }

    /// <summary>The invocation a lambda is handed to as an argument, or null when it is stored, returned or assigned.</summary>
    private static IInvocationOperation? InvocationTaking(IAnonymousFunctionOperation lambda, out IArgumentOperation? argument)
    {
        var current = lambda.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        argument = current as IArgumentOperation;
        return argument?.Parent as IInvocationOperation;
    }

    private bool IsExecutor(IInvocationOperation invocation, IArgumentOperation? argument, SymbolNameMatcher wrappers, int depth)
    {
        var method = invocation.TargetMethod;
        var declaring = (method.ReducedFrom ?? method).ContainingType;
        if (method.Name.StartsWith("Execute", StringComparison.Ordinal)
            && (KnownTypes.IsOrDerivesFrom(declaring, Types.PollyResiliencePipeline)
                || KnownTypes.IsOrDerivesFrom(declaring, Types.PollyResiliencePipelineOfT)
                || KnownTypes.IsOrImplements(declaring, Types.PollyIsPolicy)))
        {
            return true;
        }

        if (wrappers.Matches(method))
        {
            return true;
        }

        return depth > 0
               && argument?.Parameter is { } parameter
               && parameter.Type.TypeKind == TypeKind.Delegate
               && method.OriginalDefinition.DeclaringSyntaxReferences.Length > 0
               && _protectingHelpers.GetOrAdd((parameter.OriginalDefinition, wrappers), key => HelperProtects(key.Parameter, key.Wrappers, depth - 1));
    }

    /// <summary>
    /// True when a source method runs its delegate parameter under protection: it invokes it inside a retry loop,
    /// an executor or a fallback, or hands it on to an executor (<c>pipeline.ExecuteAsync(operation, ct)</c>).
    /// </summary>
    private bool HelperProtects(IParameterSymbol parameter, SymbolNameMatcher wrappers, int depth)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol helper || _bodies.GetBody(helper) is not { } body)
        {
            return false;
        }

        var used = false;
        foreach (var reference in body.Descendants().OfType<IParameterReferenceOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(reference.Parameter.OriginalDefinition, parameter))
            {
                continue;
            }

            var parent = reference.Parent;
            while (parent is IConversionOperation)
            {
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke } invoke:
                    used = true;
                    if (!IsProtectedByPlace(invoke, helper, wrappers, depth))
                    {
                        return false;
                    }

                    break;
                case IArgumentOperation { Parent: IInvocationOperation taker } argument when IsExecutor(taker, argument, wrappers, depth):
                    used = true;
                    break;
            }
        }

        return used;
    }

    /// <summary>A retry loop: the try sits in a <c>for</c>, <c>while</c> or <c>do</c> of the same code, and one of its catches lets the loop go on.</summary>
    private bool IsRetryLoop(ITryOperation tryOperation)
    {
        ILoopOperation? loop = null;
        for (var current = tryOperation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation found)
            {
                loop = found;
                break;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation)
            {
                return false;
            }
        }

        if (loop is null or IForEachLoopOperation)
        {
            return false;
        }

        foreach (var catchClause in tryOperation.Catches)
        {
            if (Types.IsCancellation(catchClause.ExceptionType))
            {
                continue;
            }

            if (Continues(catchClause.Handler, loop) || EndIsReachable(catchClause))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Continues(IBlockOperation handler, ILoopOperation loop)
        => handler.Descendants().OfType<IBranchOperation>().Any(b =>
            b.BranchKind == BranchKind.Continue && SymbolEqualityComparer.Default.Equals(b.Target, loop.ContinueLabel));

    private static bool EndIsReachable(ICatchClauseOperation catchClause)
    {
        if (catchClause.Handler.Syntax is not BlockSyntax block || block.Statements.Count == 0)
        {
            return true;
        }

        var flow = catchClause.SemanticModel?.AnalyzeControlFlow(block.Statements.First(), block.Statements.Last());
        return flow is { Succeeded: true, EndPointIsReachable: true };
    }

    private bool HasFallback(ITryOperation tryOperation, INamedTypeSymbol? callerType)
    {
        foreach (var catchClause in tryOperation.Catches)
        {
            if (Types.IsCancellation(catchClause.ExceptionType) || EndsWithThrow(catchClause.Handler))
            {
                continue;
            }

            // An empty catch with a comment says the call is best effort: its failure is meant to change nothing.
            if ((catchClause.Handler.Syntax is BlockSyntax block && CatchBlocks.IsDeliberatelyEmpty(block))
                || FallsBack(catchClause.Handler, callerType, HelperDepth))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the code calls an alternative (another client, a cache, a delegate, a helper that does) or returns
    /// the object's state. Logging, counting, building a string, <c>new T(...)</c>, constants and code inside a
    /// <c>throw</c> or a lambda are not alternatives.
    /// </summary>
    private bool FallsBack(IOperation root, INamedTypeSymbol? callerType, int depth)
    {
        foreach (var operation in Walk(root))
        {
            switch (operation)
            {
                case IInvocationOperation invocation when IsAlternative(invocation, callerType, depth):
                    return true;
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer
                    when indexer.Property.ContainingType?.SpecialType != SpecialType.System_String:
                    return true;
                case IReturnOperation { ReturnedValue: { } value } when ReadsOwnState(value):
                    return true;
            }
        }

        return false;
    }

    private bool IsAlternative(IInvocationOperation invocation, INamedTypeSymbol? callerType, int depth)
    {
        var method = invocation.TargetMethod;
        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            return true;
        }

        if (_traceCalls.IsTraceCall(method, SymbolNameMatcher.Empty) || IsValueBuilding(method))
        {
            return false;
        }

        var target = method.OriginalDefinition;
        if (callerType is not null
            && target.MethodKind == MethodKind.Ordinary
            && SymbolEqualityComparer.Default.Equals(target.ContainingType?.OriginalDefinition, callerType.OriginalDefinition)
            && depth > 0
            && _bodies.GetBody(target) is { } body)
        {
            return FallsBack(body, callerType, depth - 1);
        }

        return true;
    }

    private bool IsValueBuilding(IMethodSymbol method)
    {
        var declaring = (method.ReducedFrom ?? method).ContainingType;
        if (declaring is null || declaring.SpecialType is SpecialType.System_String or SpecialType.System_Object
            || KnownTypes.IsOrDerivesFrom(declaring, Types.Exception))
        {
            return true;
        }

        var ns = Types.NamespaceName(declaring);
        if (ns.StartsWith("System.Collections", StringComparison.Ordinal))
        {
            // Filling a list of results builds a value; looking a key up reads a cache.
            return !method.Name.StartsWith("Get", StringComparison.Ordinal) && !method.Name.StartsWith("TryGet", StringComparison.Ordinal);
        }

        return ns == "System" || ValueBuildingNamespaces.Any(n => ns == n || ns.StartsWith(n + ".", StringComparison.Ordinal));
    }

    /// <summary>A returned value that reads this object's fields or properties (a last known answer, a configured default).</summary>
    private static bool ReadsOwnState(IOperation value)
        => Walk(value).Any(o => o is IMemberReferenceOperation { Instance: IInstanceReferenceOperation } and (IFieldReferenceOperation or IPropertyReferenceOperation));

    /// <summary>A catch whose last statement throws (<c>throw;</c>, <c>throw new X(..., ex)</c>) rethrows; one that may throw first still degrades.</summary>
    private static bool EndsWithThrow(IBlockOperation handler)
        => handler.Operations.LastOrDefault() is IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation };

    /// <summary>The operations under <paramref name="root"/> that run with it: not inside lambdas or local functions, nor under a <c>throw</c>.</summary>
    private static IEnumerable<IOperation> Walk(IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            if (operation != root && operation is IAnonymousFunctionOperation or ILocalFunctionOperation or IThrowOperation)
            {
                continue;
            }

            yield return operation;
            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }
    }

    private bool IsResilientReceiver(IOperation? receiver, OutboundKind kind, ImmutableArray<INamedTypeSymbol> resilientTypes)
    {
        if (receiver is null)
        {
            return false;
        }

        if ((Types.FailoverChatClients.Length > 0 || resilientTypes.Length > 0)
            && (IsResilientType(receiver.Type, resilientTypes)
                || _origins.AnyValue(receiver, value => value is IObjectCreationOperation creation && IsResilientType(creation.Type, resilientTypes))))
        {
            return true;
        }

        // A DI-registered handler wraps the HttpClients the factory creates; one created with new goes around it.
        return kind == OutboundKind.Http
               && RegistersHttpResilienceHandler
               && !_origins.AnyValue(receiver, value => value is IObjectCreationOperation)
               && CoveredByHandler(receiver);
    }

    /// <summary>
    /// True when the registered handlers cover the HttpClient behind <paramref name="receiver"/>: every client
    /// (<c>ConfigureHttpClientDefaults</c>, or a registration whose client name the code does not spell out), or the
    /// named client it is created as (<c>CreateClient("crm")</c>), or the typed client whose constructor receives it.
    /// A client of unknown origin is taken as covered.
    /// </summary>
    private bool CoveredByHandler(IOperation receiver)
    {
        var coverage = _httpHandlers.Value;
        if (coverage.All)
        {
            return true;
        }

        var values = receiver is IParameterReferenceOperation ? ImmutableArray.Create(receiver) : _origins.Values(receiver);
        return values.All(value => value switch
        {
            IInvocationOperation { TargetMethod.Name: "CreateClient" } create
                => create.Arguments.FirstOrDefault(a => a.Parameter?.Type.SpecialType == SpecialType.System_String) is not { } name
                    ? coverage.Names.Contains(string.Empty)
                    : name.Value.ConstantValue is not { HasValue: true, Value: string constant } || coverage.Names.Contains(constant),
            IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } constructor }
                => coverage.TypeNames.Contains(constructor.ContainingType.Name),
            _ => true,
        });
    }

    private bool IsResilientType(ITypeSymbol? type, ImmutableArray<INamedTypeSymbol> resilientTypes)
    {
        if (type is null)
        {
            return false;
        }

        foreach (var failover in Types.FailoverChatClients)
        {
            if (KnownTypes.IsOrDerivesFrom(type, failover))
            {
                return true;
            }
        }

        foreach (var configured in resilientTypes)
        {
            if (KnownTypes.IsOrDerivesFrom(type, configured) || KnownTypes.IsOrImplements(type, configured))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Which HttpClients the compilation's resilience handlers wrap, read from the registrations' syntax:
    /// <c>ConfigureHttpClientDefaults(b =&gt; b.AddStandardResilienceHandler())</c> covers all;
    /// <c>AddHttpClient("crm").AddStandardResilienceHandler()</c> covers the client named "crm";
    /// <c>AddHttpClient&lt;CrmClient&gt;()...</c> the typed client (and its name). A registration whose client the
    /// syntax does not name (a variable, a builder passed around) is taken to cover all.
    /// </summary>
    [MethodImpl(OneTimeWork.Optimized)]
    private HttpHandlerCoverage FindHttpResilienceRegistrations()
    {
        var coverage = new HttpHandlerCoverage();
        foreach (var tree in _compilation.SyntaxTrees.Where(t => IdentifierSearch.MayMention(t, HttpResilienceRegistrations, HttpResilienceRegistrationParts)))
        {
            foreach (var invocation in IdentifierSearch.InvocationsNamed(tree, HttpResilienceRegistrations))
            {
                if (InvokedName(invocation) is not { } name || !HttpResilienceRegistrations.Contains(name))
                {
                    continue;
                }

                coverage.Any = true;
                if (InsideDefaults(invocation) || AddHttpClientOf(invocation) is not { } added || !NameClient(added, coverage))
                {
                    coverage.All = true;
                }
            }
        }

        return coverage;
    }

    private static string? InvokedName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => null,
    };

    /// <summary>Inside a delegate given to <c>ConfigureHttpClientDefaults(...)</c>: the handler goes on every client.</summary>
    private static bool InsideDefaults(SyntaxNode node)
        => node.Ancestors().OfType<InvocationExpressionSyntax>().Any(i => InvokedName(i) == "ConfigureHttpClientDefaults");

    /// <summary>The <c>AddHttpClient(...)</c> call the registration is chained on (through other builder calls), or null.</summary>
    private static InvocationExpressionSyntax? AddHttpClientOf(InvocationExpressionSyntax registration)
    {
        var current = (registration.Expression as MemberAccessExpressionSyntax)?.Expression;
        while (current is InvocationExpressionSyntax call)
        {
            if (InvokedName(call) == "AddHttpClient")
            {
                return call;
            }

            current = (call.Expression as MemberAccessExpressionSyntax)?.Expression;
        }

        return null;
    }

    /// <summary>Adds the name or typed client an <c>AddHttpClient</c> registers; false when the syntax does not tell.</summary>
    private static bool NameClient(InvocationExpressionSyntax addHttpClient, HttpHandlerCoverage coverage)
    {
        var client = RegisteredClient(addHttpClient);
        if (client.TypeName is not null)
        {
            coverage.TypeNames.Add(client.TypeName);
        }

        if (client.Name is not null)
        {
            coverage.Names.Add(client.Name);
        }

        return client.Known;
    }

    /// <summary>
    /// The client an <c>AddHttpClient</c> call registers, read from its syntax: the typed client's simple type name
    /// (<c>AddHttpClient&lt;CrmClient&gt;()</c>) and the name (<c>AddHttpClient("crm")</c>, <c>nameof(...)</c>);
    /// <c>Known</c> is false when the syntax does not tell (a name held in a variable).
    /// </summary>
    internal static (string? TypeName, string? Name, bool Known) RegisteredClient(InvocationExpressionSyntax addHttpClient)
    {
        string? typeName = null;
        if (addHttpClient.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax generic })
        {
            typeName = generic.TypeArgumentList.Arguments.Last() switch
            {
                QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                SimpleNameSyntax simple => simple.Identifier.ValueText,
                _ => null,
            };
            if (typeName is null)
            {
                return (null, null, false);
            }
        }

        var first = addHttpClient.ArgumentList.Arguments.FirstOrDefault()?.Expression;
        switch (first)
        {
            case LiteralExpressionSyntax literal when literal.Token.Value is string text:
                return (typeName, text, true);
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } nameOf
                when nameOf.ArgumentList.Arguments.FirstOrDefault()?.Expression is { } argument:
                return (typeName, argument switch
                {
                    MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                    _ => argument.ToString(),
                }, true);
            case null:
                return (typeName, null, typeName is not null);
            default:
                // AddHttpClient<T>(client => ...) names the typed client; a name held in a variable is unknown.
                return (typeName, null, typeName is not null && first is LambdaExpressionSyntax);
        }
    }

    /// <summary>
    /// The <c>AddHttpClient(...)</c> registrations of the factory client behind <paramref name="receiver"/>, read as
    /// <see cref="CoveredByHandler"/> reads coverage: those of the name the client is created as
    /// (<c>CreateClient("crm")</c>), or of the typed client whose constructor receives it. Empty when some value the
    /// receiver may hold is not such a client or has no registration in the compilation (a handler could not be put
    /// on it). Registrations inside <c>ConfigureHttpClientDefaults</c> are not counted.
    /// </summary>
    public ImmutableArray<InvocationExpressionSyntax> FactoryClientRegistrations(IOperation receiver)
    {
        var values = receiver is IParameterReferenceOperation ? ImmutableArray.Create(receiver) : _origins.Values(receiver);
        if (values.IsEmpty)
        {
            return ImmutableArray<InvocationExpressionSyntax>.Empty;
        }

        var result = new List<InvocationExpressionSyntax>();
        foreach (var value in values)
        {
            Func<(string? TypeName, string? Name, bool Known), bool> matches;
            switch (value)
            {
                case IInvocationOperation { TargetMethod.Name: "CreateClient" } create
                    when create.Arguments.FirstOrDefault(a => a.Parameter?.Type.SpecialType == SpecialType.System_String)?.Value.ConstantValue is { HasValue: true, Value: string name }:
                    matches = client => client.Known && client.Name == name;
                    break;
                case IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } constructor }:
                    matches = client => client.Known && client.TypeName == constructor.ContainingType.Name;
                    break;
                default:
                    return ImmutableArray<InvocationExpressionSyntax>.Empty;
            }

            var found = false;
            foreach (var registration in _httpClientRegistrations.Value)
            {
                if (matches(RegisteredClient(registration)))
                {
                    found = true;
                    if (!result.Contains(registration))
                    {
                        result.Add(registration);
                    }
                }
            }

            if (!found)
            {
                return ImmutableArray<InvocationExpressionSyntax>.Empty;
            }
        }

        return result.ToImmutableArray();
    }

    /// <summary>Every <c>AddHttpClient(...)</c> call of the compilation outside <c>ConfigureHttpClientDefaults</c>.</summary>
    private ImmutableArray<InvocationExpressionSyntax> FindHttpClientRegistrations()
    {
        var names = new[] { "AddHttpClient" };
        return _compilation.SyntaxTrees
            .Where(t => IdentifierSearch.MayMention(t, names))
            .SelectMany(t => IdentifierSearch.InvocationsNamed(t, names))
            .Where(i => InvokedName(i) == "AddHttpClient" && !InsideDefaults(i))
            .Distinct()
            .ToImmutableArray();
    }

    /// <summary>The HttpClients the registered resilience handlers wrap.</summary>
    private sealed class HttpHandlerCoverage
    {
        /// <summary>Some handler is registered.</summary>
        public bool Any { get; set; }

        /// <summary>Every client is covered (defaults, or a registration whose client the syntax does not name).</summary>
        public bool All { get; set; }

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        /// <summary>Typed clients, by simple type name.</summary>
        public HashSet<string> TypeNames { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A symbol with the option value it was judged under (matchers are shared per option text).</summary>
    private sealed class KeyComparer<TSymbol> : IEqualityComparer<(TSymbol Symbol, SymbolNameMatcher Wrappers)>
        where TSymbol : ISymbol
    {
        public bool Equals((TSymbol Symbol, SymbolNameMatcher Wrappers) x, (TSymbol Symbol, SymbolNameMatcher Wrappers) y)
            => ReferenceEquals(x.Wrappers, y.Wrappers) && SymbolEqualityComparer.Default.Equals(x.Symbol, y.Symbol);

        public int GetHashCode((TSymbol Symbol, SymbolNameMatcher Wrappers) obj)
            => SymbolEqualityComparer.Default.GetHashCode(obj.Symbol) ^ obj.Wrappers.GetHashCode();
    }
}
