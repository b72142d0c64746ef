using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// Where a value comes from, as far as the code shows it: the values assigned to a local in its method, or to a
/// field or property by its initializer and the type's constructors. "Was this client created with <c>new</c>?",
/// "is this IChatClient an adapter over a client that retries by itself?". Member values are bound once per compilation.
/// </summary>
internal sealed class ValueOrigins
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<ISymbol, ImmutableArray<IOperation>> _memberValues = Caches.Create<ISymbol, ImmutableArray<IOperation>>(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<HashSet<string>, LazyList<IInvocationOperation>> _invocations = Caches.Create<HashSet<string>, LazyList<IInvocationOperation>>(ReferenceComparer<HashSet<string>>.Instance);
    private readonly ConcurrentDictionary<HashSet<string>, ImmutableArray<InvocationExpressionSyntax>> _invocationSyntax = Caches.Create<HashSet<string>, ImmutableArray<InvocationExpressionSyntax>>(ReferenceComparer<HashSet<string>>.Instance);
    private readonly ConcurrentDictionary<INamedTypeSymbol, LazyList<IObjectCreationOperation>> _creations = Caches.Create<INamedTypeSymbol, LazyList<IObjectCreationOperation>>(SymbolEqualityComparer.Default);
    private readonly Lazy<CreationIndex> _creationIndex;
    private readonly MethodBodies _bodies;
    private readonly ConcurrentDictionary<IMethodSymbol, LazyList<IInvocationOperation>?> _privateCalls = Caches.Create<IMethodSymbol, LazyList<IInvocationOperation>?>(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, LazyList<IInvocationOperation>?> _assemblyCalls = Caches.Create<IMethodSymbol, LazyList<IInvocationOperation>?>(SymbolEqualityComparer.Default);

    public ValueOrigins(Compilation compilation, MethodBodies bodies)
    {
        _compilation = compilation;
        _bodies = bodies;
        _creationIndex = new Lazy<CreationIndex>(BuildCreationIndex);
    }

    /// <summary>The compilation's syntax trees.</summary>
    public IEnumerable<SyntaxTree> Trees => _compilation.SyntaxTrees;

    /// <summary>The operation without the conversions around it.</summary>
    public static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>
    /// The values <paramref name="value"/> may hold: itself, or for a local the values assigned to it in the code that
    /// holds <paramref name="value"/>, or for a source field or property its initializer and constructor assignments.
    /// Empty when the origin is unknown (a parameter, a method's result, a member of another assembly).
    /// </summary>
    public ImmutableArray<IOperation> Values(IOperation value)
    {
        value = Unwrap(value);
        return value switch
        {
            ILocalReferenceOperation local => LocalValues(local.Local, value),
            IFieldReferenceOperation field => MemberValues(field.Field),
            IPropertyReferenceOperation { Property.IsIndexer: false } property => MemberValues(property.Property),
            IParameterReferenceOperation or IInstanceReferenceOperation => ImmutableArray<IOperation>.Empty,
            _ => ImmutableArray.Create(value),
        };
    }

    /// <summary>
    /// The string a local, or a field of <paramref name="withinType"/>, holds when its only value is one literal
    /// (<c>var secret = "..."</c>, <c>static readonly string Key = "..."</c>): one assignment followed, in the same
    /// type. Null for anything else: a parameter, a call, a member of another type, a variable assigned twice.
    /// </summary>
    public string? SingleLiteral(IOperation value, INamedTypeSymbol? withinType)
    {
        value = Unwrap(value);
        var follow = value switch
        {
            ILocalReferenceOperation => true,
            IFieldReferenceOperation { Field: { } field } => field.Type.SpecialType == SpecialType.System_String
                                                             && SymbolEqualityComparer.Default.Equals(field.ContainingType, withinType),
            _ => false,
        };

        if (!follow)
        {
            return null;
        }

        var values = Values(value);
        return values.Length == 1 && values[0] is ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } } ? text : null;
    }

    /// <summary>True when every known value of <paramref name="value"/> satisfies <paramref name="test"/> (false when none is known).</summary>
    public bool AllValues(IOperation value, Func<IOperation, bool> test)
    {
        var values = Values(value);
        return values.Length > 0 && values.All(test);
    }

    /// <summary>True when some known value of <paramref name="value"/> satisfies <paramref name="test"/>.</summary>
    public bool AnyValue(IOperation value, Func<IOperation, bool> test)
        => Values(value).Any(test);

    /// <summary>
    /// Every invocation in the compilation whose invoked name is one of <paramref name="names"/>, bound (DI
    /// registrations such as <c>AddChatClient(...)</c>). Found from a text search, in the compilation's order, and
    /// bound as an enumeration reaches them, once: a question answered by the first few (is every registration over a
    /// client that retries?) binds no more than those, out of the driver's order.
    /// </summary>
    public IEnumerable<IInvocationOperation> InvocationsNamed(HashSet<string> names)
        => _invocations.GetOrAdd(names, n => new LazyList<IInvocationOperation>(BindAll(SearchInvocations(n))));

    /// <summary>The service collection's generic registrations, used everywhere in DI code for every kind of service.</summary>
    public static readonly HashSet<string> ServiceRegistrations = NameSet.Of(
        "AddSingleton", "AddScoped", "AddTransient", "AddKeyedSingleton", "AddKeyedScoped", "AddKeyedTransient");

    /// <summary>
    /// <see cref="InvocationsNamed(HashSet{string})"/> where <paramref name="names"/> holds <see cref="ServiceRegistrations"/>:
    /// those are bound only when the service type they name (<c>AddSingleton&lt;IChatClient&gt;</c>) or, for an inferred
    /// one (<c>AddSingleton(client)</c>), their file's text holds one of <paramref name="serviceTypeWords"/> (any
    /// casing), the words of the services asked about (<c>ChatClient</c>, <c>Agent</c>): a service registered under
    /// another type's name is not resolved as the one asked about. Binding a call out of the driver's order binds
    /// its whole member; a large code base registers hundreds of other services. <paramref name="names"/> identifies
    /// the question: always pass it with the same words.
    /// </summary>
    public IEnumerable<IInvocationOperation> InvocationsNamed(HashSet<string> names, string[] serviceTypeWords)
        => _invocations.GetOrAdd(names, n => new LazyList<IInvocationOperation>(BindAll(RegistrationsOf(SearchInvocations(n), serviceTypeWords))));

    /// <summary>
    /// The syntax of every invocation in the compilation whose invoked name is one of <paramref name="names"/>, in the
    /// compilation's order, found once per name set from a text search, none bound: a question that can tell from the
    /// syntax which of them matter binds only those (<see cref="BindInvocation"/>).
    /// </summary>
    public ImmutableArray<InvocationExpressionSyntax> InvocationSyntaxNamed(HashSet<string> names)
        => _invocationSyntax.GetOrAdd(names, FindInvocationSyntax);

    /// <summary>The invocation <paramref name="invocation"/> of the compilation, bound with its tree's semantic model.</summary>
    public IInvocationOperation? BindInvocation(InvocationExpressionSyntax invocation) => Bind(invocation) as IInvocationOperation;

    private ImmutableArray<InvocationExpressionSyntax> FindInvocationSyntax(HashSet<string> names) => SearchInvocations(names).ToImmutableArray();

    /// <summary>The invocations named one of <paramref name="names"/>, file by file as the enumeration goes: the files after a question's answer are not searched.</summary>
    private IEnumerable<InvocationExpressionSyntax> SearchInvocations(HashSet<string> names)
    {
        var parts = IdentifierSearch.CommonParts(names);
        foreach (var tree in _compilation.SyntaxTrees)
        {
            foreach (var invocation in IdentifierSearch.InvocationsNamed(tree, names, parts))
            {
                if (CalledName(invocation)?.Identifier.ValueText is { } name && names.Contains(name))
                {
                    yield return invocation;
                }
            }
        }
    }

    /// <summary>The invocations without the generic service registrations that cannot register the services asked about.</summary>
    private static IEnumerable<InvocationExpressionSyntax> RegistrationsOf(IEnumerable<InvocationExpressionSyntax> invocations, string[] serviceTypeWords)
    {
        SyntaxTree? tree = null;
        var mentionsService = false;
        foreach (var invocation in invocations)
        {
            var called = CalledName(invocation)!;
            if (ServiceRegistrations.Contains(called.Identifier.ValueText))
            {
                if (called is GenericNameSyntax { TypeArgumentList.Arguments: { Count: > 0 } typeArguments })
                {
                    if (!MentionsAny(typeArguments[0].ToString(), serviceTypeWords))
                    {
                        continue;
                    }
                }
                else
                {
                    if (invocation.SyntaxTree != tree)
                    {
                        tree = invocation.SyntaxTree;
                        mentionsService = MentionsAny(tree.GetText().ToString(), serviceTypeWords);
                    }

                    if (!mentionsService)
                    {
                        continue;
                    }
                }
            }

            yield return invocation;
        }
    }

    private IEnumerable<IInvocationOperation> BindAll(IEnumerable<InvocationExpressionSyntax> invocations)
    {
        foreach (var invocation in invocations)
        {
            if (BindInvocation(invocation) is { } bound)
            {
                yield return bound;
            }
        }
    }

    /// <summary>The name an invocation calls: <c>Create</c> in <c>X.Create(...)</c> or <c>Create&lt;T&gt;(...)</c>.</summary>
    internal static SimpleNameSyntax? CalledName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Name,
        SimpleNameSyntax simple => simple,
        _ => null,
    };

    private static bool MentionsAny(string text, string[] words)
    {
        foreach (var word in words)
        {
            if (text.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every call of the private source method <paramref name="method"/>, read from its type's declarations (a private
    /// method is called from nowhere else), bound as an enumeration reaches them: a question that stops at its first
    /// answer binds no more callers. Null when its callers are not all known: the method is not private, or its name is
    /// used otherwise than called (a method group handed out as a delegate).
    /// </summary>
    public IEnumerable<IInvocationOperation>? CallsOfPrivate(IMethodSymbol method)
        => _privateCalls.GetOrAdd(method.OriginalDefinition, FindPrivateCalls);

    private LazyList<IInvocationOperation>? FindPrivateCalls(IMethodSymbol method)
    {
        if (method is not { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary, ContainingType: { } type })
        {
            return null;
        }

        var calls = new List<InvocationExpressionSyntax>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (!CollectCalls(reference.GetSyntax(), method, calls))
            {
                return null;
            }
        }

        return new LazyList<IInvocationOperation>(BindCalls(calls, method));
    }

    /// <summary>
    /// Every call of the ordinary source method <paramref name="method"/> when the compilation holds them all: a private
    /// method (<see cref="CallsOfPrivate"/>), or one no other assembly can call (it or a type holding it is internal or
    /// private, and the assembly gives no <c>InternalsVisibleTo</c>): an application's internal builder extension.
    /// Found once per method, on first need, in the files whose text names it, bound as an enumeration reaches them.
    /// Null otherwise, or when the method is used otherwise than called.
    /// </summary>
    public IEnumerable<IInvocationOperation>? CallsInCompilation(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        return method.DeclaredAccessibility == Accessibility.Private
            ? CallsOfPrivate(method)
            : _assemblyCalls.GetOrAdd(method, FindAssemblyCalls);
    }

    private LazyList<IInvocationOperation>? FindAssemblyCalls(IMethodSymbol method)
    {
        if (method is not { MethodKind: MethodKind.Ordinary, DeclaringSyntaxReferences.Length: > 0 }
            || VisibleOutside(method)
            || _compilation.Assembly.GetAttributes().Any(a => a.AttributeClass?.Name == "InternalsVisibleToAttribute"))
        {
            return null;
        }

        var names = new[] { method.Name };
        var calls = new List<InvocationExpressionSyntax>();
        foreach (var tree in _compilation.SyntaxTrees.Where(t => IdentifierSearch.MayMention(t, names)))
        {
            if (!CollectCalls(tree.GetRoot(), method, calls))
            {
                return null;
            }
        }

        return new LazyList<IInvocationOperation>(BindCalls(calls, method));
    }

    /// <summary>
    /// The values the parameter <paramref name="reference"/> reads may hold, when the compilation holds every call of its
    /// method (<see cref="CallsInCompilation"/>): each call's argument, and what the method assigns to it (lambdas in it
    /// included): <c>p = v</c>, and <c>p ??= fallback</c> only when a call may pass null (an argument the compiler does
    /// not know to be non-null, or a null default). Default when they are not known: calls out of view, none at all, a
    /// <c>ref</c>/<c>out</c> parameter, or one the method passes by reference.
    /// </summary>
    public ImmutableArray<IOperation> ParameterValues(IParameterReferenceOperation reference)
    {
        var parameter = reference.Parameter;
        if (parameter.RefKind != RefKind.None || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
        {
            return default;
        }

        var calls = CallsInCompilation(method);
        if (calls is null)
        {
            return default;
        }

        var values = ImmutableArray.CreateBuilder<IOperation>();
        var mayPassNull = false;
        var any = false;
        foreach (var call in calls)
        {
            any = true;
            var argument = call.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter.OriginalDefinition));
            if (argument is null || argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                return default;
            }

            var value = Unwrap(argument.Value);
            if (argument.ArgumentKind == ArgumentKind.DefaultValue && value is IDefaultValueOperation or ILiteralOperation { ConstantValue: { HasValue: true, Value: null } })
            {
                mayPassNull = true;
                continue;
            }

            values.Add(value);
            mayPassNull |= !KnownNotNull(argument.Value);
        }

        if (!any)
        {
            return default;
        }

        var root = (IOperation)reference;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: IParameterReferenceOperation target } assignment when Same(target.Parameter, parameter):
                    values.Add(Unwrap(assignment.Value));
                    break;
                case ICoalesceAssignmentOperation { Target: IParameterReferenceOperation target } assignment when Same(target.Parameter, parameter):
                    // formatter ??= services.GetService<IChatClient>(): runs only for a caller that passes null.
                    if (mayPassNull)
                    {
                        values.Add(Unwrap(assignment.Value));
                    }

                    break;
                case ICompoundAssignmentOperation { Target: IParameterReferenceOperation target } when Same(target.Parameter, parameter):
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: IParameterReferenceOperation passed } when Same(passed.Parameter, parameter):
                    return default;
            }
        }

        return values.ToImmutable();
    }

    private static bool Same(IParameterSymbol a, IParameterSymbol b) => SymbolEqualityComparer.Default.Equals(a.OriginalDefinition, b.OriginalDefinition);

    /// <summary>The compiler's nullable analysis says <paramref name="value"/> is not null where it is written.</summary>
    private bool KnownNotNull(IOperation value)
        => value.Syntax is ExpressionSyntax expression
           && _compilation.ContainsSyntaxTree(expression.SyntaxTree)
           && _bodies.SemanticModelOf(expression.SyntaxTree).GetTypeInfo(expression).Nullability.FlowState == NullableFlowState.NotNull;

    private static bool VisibleOutside(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds the calls of <paramref name="method"/> under <paramref name="root"/>; false when it is used otherwise (a method group).</summary>
    /// <summary>
    /// The calls of <paramref name="method"/>'s name under <paramref name="root"/>, unbound; false when the method is
    /// used there otherwise than called (a method group: bound to tell it from another member of that name).
    /// </summary>
    private bool CollectCalls(SyntaxNode root, IMethodSymbol method, List<InvocationExpressionSyntax> found)
    {
        foreach (var name in root.DescendantNodes().OfType<SimpleNameSyntax>())
        {
            if (name.Identifier.ValueText != method.Name)
            {
                continue;
            }

            var callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? (ExpressionSyntax)access : name;
            if (callee.Parent is InvocationExpressionSyntax invocation && invocation.Expression == callee)
            {
                found.Add(invocation);
            }
            else if (Bind(callee) is IMethodReferenceOperation { Method: { } referenced } && IsMethod(referenced, method))
            {
                return false;
            }
        }

        return true;
    }

    private IEnumerable<IInvocationOperation> BindCalls(List<InvocationExpressionSyntax> calls, IMethodSymbol method)
    {
        foreach (var invocation in calls)
        {
            if (Bind(invocation) is IInvocationOperation call && IsMethod(call.TargetMethod, method))
            {
                yield return call;
            }
        }
    }

    private static bool IsMethod(IMethodSymbol called, IMethodSymbol method)
        => SymbolEqualityComparer.Default.Equals((called.ReducedFrom ?? called).OriginalDefinition, method.OriginalDefinition);

    /// <summary>
    /// Every <c>new T(...)</c> of the source type <paramref name="type"/> in the compilation (target-typed <c>new(...)</c>
    /// with arguments too), bound as an enumeration reaches them, once (<see cref="LazyList{T}"/>), from an index of the
    /// compilation's <c>new</c> expressions built once from the files' text: the creations named <c>T</c>, and the
    /// target-typed ones in files whose text names the type and with as many arguments as one of its constructors takes.
    /// </summary>
    public IEnumerable<IObjectCreationOperation> CreationsOf(INamedTypeSymbol type)
        => _creations.GetOrAdd(type.OriginalDefinition, t => new LazyList<IObjectCreationOperation>(FindCreations(t)));

    /// <summary>The creations of <paramref name="type"/>, bound as an enumeration reaches them: a question answered by the first few binds no more.</summary>
    private IEnumerable<IObjectCreationOperation> FindCreations(INamedTypeSymbol type)
    {
        foreach (var node in CreationSyntaxOf(type))
        {
            if (Bind(node) is IObjectCreationOperation creation && SymbolEqualityComparer.Default.Equals(creation.Type?.OriginalDefinition, type))
            {
                yield return creation;
            }
        }
    }

    private IEnumerable<SyntaxNode> CreationSyntaxOf(INamedTypeSymbol type)
    {
        var index = _creationIndex.Value;
        if (index.Named.TryGetValue(type.Name, out var named))
        {
            foreach (var (tree, position, written) in named)
            {
                // The syntax node is found only now, for the names asked about (most types created are never asked).
                if (tree.GetRoot().FindToken(position) is { Parent: ObjectCreationExpressionSyntax { Type: var typeSyntax } creation } token
                    && token.SpanStart == position && RightmostName(typeSyntax) == written)
                {
                    yield return creation;
                }
            }
        }

        if (index.Implicit.Count > 0)
        {
            var arities = new HashSet<int>(type.InstanceConstructors.Select(c => c.Parameters.Length));
            var names = new[] { type.Name };
            foreach (var file in index.Implicit)
            {
                bool? mentions = null;
                foreach (var site in file.Sites)
                {
                    if (arities.Contains(site.Arguments)
                        && (site.Target is null ? mentions ??= IdentifierSearch.MayMentionText(file.Text, names) : site.Target == type.Name))
                    {
                        yield return site.Node;
                    }
                }
            }
        }

        foreach (var tree in index.Escaped)
        {
            foreach (var node in tree.GetRoot().DescendantNodes().OfType<BaseObjectCreationExpressionSyntax>())
            {
                if (node is ImplicitObjectCreationExpressionSyntax
                    || (node is ObjectCreationExpressionSyntax { Type: var typeSyntax } && RightmostName(typeSyntax) == type.Name))
                {
                    yield return node;
                }
            }
        }
    }

    /// <summary>
    /// The compilation's <c>new</c> expressions, read once from the files' text (one vectorized search per file instead
    /// of one per type asked about, and no walk of every node): explicit creations by the rightmost name of their type,
    /// target-typed ones with at least one argument. Files with a <c>\u</c> escape are walked when asked.
    /// </summary>
    [MethodImpl(OneTimeWork.Optimized)]
    private CreationIndex BuildCreationIndex()
    {
        var index = new CreationIndex();
        foreach (var tree in _compilation.SyntaxTrees)
        {
            var text = tree.GetText().ToString();
            if (IdentifierSearch.HasEscapes(text))
            {
                index.Escaped.Add(tree);
                continue;
            }

            SyntaxNode? root = null;
            List<ImplicitCreation>? targetTyped = null;
            Dictionary<string, string>? aliases = null;
            foreach (var (position, name) in IdentifierSearch.NewExpressions(text))
            {
                root ??= tree.GetRoot();
                aliases ??= Aliases(root);
                if (name is not null)
                {
                    // Checked against the syntax when the name is asked about (FindCreations).
                    index.AddNamed(name, tree, position, name);
                    if (aliases.TryGetValue(name, out var aliased))
                    {
                        index.AddNamed(aliased, tree, position, name);
                    }

                    continue;
                }

                var token = root.FindToken(position);
                if (token.Span.Start == position && token.Parent is ImplicitObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 and var count } creation)
                {
                    (targetTyped ??= new()).Add(new ImplicitCreation(creation, count, aliases.Count > 0 ? null : TargetTypeName(creation)));
                }
            }

            if (targetTyped is not null)
            {
                index.Implicit.Add((text, targetTyped));
            }
        }

        return index;
    }

    private sealed class CreationIndex
    {
        /// <summary>
        /// The places of explicit creations by the rightmost name of their type (and of an alias's target), with the
        /// name written there: text positions, checked against the syntax when asked.
        /// </summary>
        public Dictionary<string, List<(SyntaxTree Tree, int Position, string Written)>> Named { get; } = new(StringComparer.Ordinal);

        public void AddNamed(string name, SyntaxTree tree, int position, string written)
        {
            if (!Named.TryGetValue(name, out var sites))
            {
                Named[name] = sites = new();
            }

            sites.Add((tree, position, written));
        }

        /// <summary>Per file with target-typed creations: its text (to ask whether it names a type) and the creations.</summary>
        public List<(string Text, List<ImplicitCreation> Sites)> Implicit { get; } = new();

        /// <summary>Files with a <c>\u</c> escape: walked when asked.</summary>
        public List<SyntaxTree> Escaped { get; } = new();
    }

    /// <summary>A target-typed <c>new(...)</c>: its argument count, and the name of its target type where the syntax shows it.</summary>
    private sealed class ImplicitCreation
    {
        public ImplicitCreation(SyntaxNode node, int arguments, string? target)
        {
            Node = node;
            Arguments = arguments;
            Target = target;
        }

        public SyntaxNode Node { get; }

        public int Arguments { get; }

        public string? Target { get; }
    }

    private static readonly Dictionary<string, string> NoAliases = new(StringComparer.Ordinal);

    /// <summary>A file's <c>using X = A.B.Y;</c> aliases: X to Y.</summary>
    private static Dictionary<string, string> Aliases(SyntaxNode root)
    {
        Dictionary<string, string>? aliases = null;
        foreach (var directive in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<UsingDirectiveSyntax>())
        {
            if (directive.Alias is { } alias && directive.Name is { } target && RightmostName(target) is { } targetName)
            {
                (aliases ??= new(StringComparer.Ordinal))[alias.Name.Identifier.ValueText] = targetName;
            }
        }

        return aliases ?? NoAliases;
    }

    /// <summary>
    /// The simple name of the type a target-typed <c>new(...)</c> creates, where the syntax around it shows it: a
    /// declaration's type, a member's return or property type for <c>=&gt;</c> and <c>return</c>, a collection
    /// initializer's element type (<c>new List&lt;ChatMessage&gt; { new(...) }</c>), an array's element type. Null where
    /// only binding can tell (an argument, an assignment, a collection expression, a lambda's return).
    /// </summary>
    private static string? TargetTypeName(ImplicitObjectCreationExpressionSyntax creation)
    {
        var parent = creation.Parent;
        while (parent is ParenthesizedExpressionSyntax)
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Type: var type } } }:
                return type.IsVar ? null : DeclaredName(type);
            case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                return DeclaredName(property.Type);
            case ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                return DeclaredName(property.Type);
            case ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax method }:
                return ReturnedName(method.ReturnType, method.Modifiers);
            case ReturnStatementSyntax:
                foreach (var ancestor in parent.Ancestors())
                {
                    switch (ancestor)
                    {
                        case MethodDeclarationSyntax method:
                            return ReturnedName(method.ReturnType, method.Modifiers);
                        case LocalFunctionStatementSyntax local:
                            return ReturnedName(local.ReturnType, local.Modifiers);
                        case AccessorDeclarationSyntax { Parent.Parent: PropertyDeclarationSyntax property }:
                            return DeclaredName(property.Type);
                        case AnonymousFunctionExpressionSyntax or MemberDeclarationSyntax:
                            return null;
                    }
                }

                return null;
            case InitializerExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.CollectionInitializerExpression, Parent: ObjectCreationExpressionSyntax { Type: GenericNameSyntax generic } }:
                return DeclaredName(generic.TypeArgumentList.Arguments[generic.TypeArgumentList.Arguments.Count - 1]);
            case InitializerExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.ArrayInitializerExpression, Parent: ArrayCreationExpressionSyntax array }:
                return DeclaredName(array.Type.ElementType);
            default:
                return null;
        }
    }

    private static string? ReturnedName(TypeSyntax type, SyntaxTokenList modifiers)
    {
        if (modifiers.Any(m => m.ValueText == "async"))
        {
            return type is GenericNameSyntax { Identifier.ValueText: "Task" or "ValueTask", TypeArgumentList.Arguments.Count: 1 } task
                ? DeclaredName(task.TypeArgumentList.Arguments[0])
                : null;
        }

        return DeclaredName(type);
    }

    /// <summary>
    /// The simple name of a declared type (<c>Foo?</c>: Foo); for a type that cannot be a source class (a keyword type,
    /// a tuple, an array), the empty string.
    /// </summary>
    private static string DeclaredName(TypeSyntax type)
        => RightmostName(type is NullableTypeSyntax nullable ? nullable.ElementType : type) ?? string.Empty;

    private static string? RightmostName(TypeSyntax type) => type switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

    private static ImmutableArray<IOperation> LocalValues(ILocalSymbol local, IOperation within)
    {
        var root = within;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var values = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator
                    when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    values.Add(Unwrap(initializer.Value));
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    values.Add(Unwrap(assignment.Value));
                    break;
                case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    // handler ??= Create(...): the value it gets when it had none.
                    values.Add(Unwrap(assignment.Value));
                    break;
            }
        }

        return values.ToImmutable();
    }

    private ImmutableArray<IOperation> MemberValues(ISymbol member)
        => member.DeclaringSyntaxReferences.Length == 0
            ? ImmutableArray<IOperation>.Empty
            : _memberValues.GetOrAdd(member.OriginalDefinition, BindMemberValues);

    private ImmutableArray<IOperation> BindMemberValues(ISymbol member)
    {
        var values = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            var initializer = reference.GetSyntax() switch
            {
                VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
                PropertyDeclarationSyntax property => property.Initializer?.Value,
                _ => null,
            };

            if (initializer is not null && Bind(initializer) is { } bound)
            {
                values.Add(Unwrap(bound));
            }
        }

        if (member.ContainingType is { } type)
        {
            foreach (var constructor in type.InstanceConstructors.Concat(type.StaticConstructors))
            {
                foreach (var reference in constructor.DeclaringSyntaxReferences)
                {
                    foreach (var assignment in reference.GetSyntax().DescendantNodes().OfType<AssignmentExpressionSyntax>())
                    {
                        if (AssignedName(assignment.Left) == member.Name && Bind(assignment) is ISimpleAssignmentOperation bound
                            && Unwrap(bound.Target) is IMemberReferenceOperation target
                            && SymbolEqualityComparer.Default.Equals(target.Member.OriginalDefinition, member))
                        {
                            values.Add(Unwrap(bound.Value));
                        }
                    }
                }
            }
        }

        return values.ToImmutable();
    }

    private IOperation? Bind(SyntaxNode syntax)
    {
        if (!_compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return null;
        }

        // A member's initializer may sit in another tree than the code asking; the caches bound the binding. One
        // semantic model per tree: creations and calls asked about in the same member are bound with it once.
        return _bodies.SemanticModelOf(syntax.SyntaxTree).GetOperation(syntax);
    }

    private static string? AssignedName(ExpressionSyntax left) => left switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
        _ => null,
    };
}
