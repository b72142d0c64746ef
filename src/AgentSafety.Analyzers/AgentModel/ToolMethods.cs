using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// Which methods and lambdas are agent tools: methods marked <c>[KernelFunction]</c>, <c>[McpServerTool]</c>, AutoGen
/// <c>[Function]</c> or an attribute named in <c>agentsafety.tool_attributes</c>; and methods or lambdas handed to
/// <c>AIFunctionFactory.Create</c>, <c>KernelFunctionFactory.CreateFromMethod</c> or <c>McpServerTool.Create</c>.
/// </summary>
internal sealed class ToolMethods
{
    private static readonly HashSet<string> RegistrationNames = NameSet.Of("Create", "CreateFromMethod");

    private readonly Compilation _compilation;
    private readonly Lazy<KnownTypes> _types;
    private readonly OptionCache _options;
    private readonly TypeSyntaxFilter _typeSyntax;
    private readonly Lazy<Registrations> _registrations;
    private readonly ConcurrentDictionary<InvocationExpressionSyntax, Registered> _registered = new();
    private readonly Lazy<AttributedTypes> _attributedTypes;
    private readonly ConcurrentDictionary<string, AttributedTypes> _configuredAttributedTypes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableHashSet<string>> _attributeNames = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<string>> _attributeSyntaxNames = new(StringComparer.Ordinal);
    private readonly Lazy<HashSet<string>> _toolAttributeSyntaxNames;
    private SyntaxAnswer? _lastBySyntax;

    public ToolMethods(Compilation compilation, Lazy<KnownTypes> types, OptionCache options, TypeSyntaxFilter typeSyntax)
    {
        _compilation = compilation;
        _types = types;
        _options = options;
        _typeSyntax = typeSyntax;
        _registrations = new Lazy<Registrations>(FindRegistrations, LazyThreadSafetyMode.ExecutionAndPublication);
        _toolAttributeSyntaxNames = new Lazy<HashSet<string>>(() => AttributeSyntaxNames(null), LazyThreadSafetyMode.PublicationOnly);
        _attributedTypes = new Lazy<AttributedTypes>(() => new AttributedTypes(this, null), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The known types, resolved when first asked (see <see cref="AgentModel"/>).</summary>
    private KnownTypes Types => _types.Value;

    /// <summary>True when the compilation can declare tools at all (some tool library, or configured attributes).</summary>
    public bool AnyToolLibrary
        => Types.KernelFunctionAttribute is not null || Types.McpServerToolAttribute is not null || Types.AutoGenFunctionAttribute is not null
           || Types.AIFunctionFactory is not null || Types.KernelFunctionFactory is not null || Types.McpServerTool is not null;

    /// <summary>The tool attribute on <paramref name="method"/>, if any (<paramref name="configuredAttributes"/> is the raw option value).</summary>
    public AttributeData? ToolAttribute(IMethodSymbol method, string? configuredAttributes)
    {
        var configured = configuredAttributes is null ? ImmutableHashSet<string>.Empty : _attributeNames.GetOrAdd(configuredAttributes, ParseAttributeNames);
        foreach (var attribute in method.GetAttributes())
        {
            var attributeClass = attribute.AttributeClass;
            if (attributeClass is null)
            {
                continue;
            }

            if (Is(attributeClass, Types.KernelFunctionAttribute) || Is(attributeClass, Types.McpServerToolAttribute) || Is(attributeClass, Types.AutoGenFunctionAttribute))
            {
                return attribute;
            }

            if (configured.Count > 0
                && (configured.Contains(attributeClass.Name)
                    || configured.Contains(TrimAttributeSuffix(attributeClass.Name))
                    || configured.Contains(attributeClass.ToDisplayString())
                    || configured.Contains(TrimAttributeSuffix(attributeClass.ToDisplayString()))))
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>
    /// The name the model calls <paramref name="method"/> by: the tool attribute's <c>Name</c> (MCP
    /// <c>[McpServerTool(Name = "save_report")]</c>) or its name argument (Semantic Kernel
    /// <c>[KernelFunction("save_report")]</c>), else the method's name.
    /// </summary>
    public string RegisteredName(IMethodSymbol method, string? configuredAttributes)
    {
        if (ToolAttribute(method, configuredAttributes) is { } attribute)
        {
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Name" && named.Value.Value is string name && name.Length > 0)
                {
                    return name;
                }
            }

            if (attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string argument && argument.Length > 0
                && attribute.AttributeConstructor?.Parameters[0].Name == "name")
            {
                return argument;
            }
        }

        return method.Name;
    }

    /// <summary>True when <paramref name="method"/> is a tool: marked by a tool attribute, or registered by method group anywhere in the compilation.</summary>
    public bool IsToolMethod(IMethodSymbol method, string? configuredAttributes)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction))
        {
            return false;
        }

        var definition = method.OriginalDefinition;
        return (MayHaveToolAttribute(definition, configuredAttributes) && ToolAttribute(definition, configuredAttributes) is not null)
               || _registrations.Value.Registers(definition);
    }

    /// <summary>
    /// Syntax before symbols: a source method whose attribute lists name no tool attribute (by its name, with or
    /// without the suffix, or by an alias) has none, and asking the symbol would bind the attributes of every
    /// attributed method of every type a rule looks at.
    /// </summary>
    private bool MayHaveToolAttribute(IMethodSymbol method, string? configuredAttributes)
    {
        if (method.DeclaringSyntaxReferences.IsEmpty)
        {
            return true;
        }

        return DeclaredWithToolAttribute(method, configuredAttributes)
               || DeclaredWithToolAttribute(method.PartialDefinitionPart, configuredAttributes)
               || DeclaredWithToolAttribute(method.PartialImplementationPart, configuredAttributes);
    }

    private bool DeclaredWithToolAttribute(IMethodSymbol? part, string? configuredAttributes)
    {
        if (part is null)
        {
            return false;
        }

        foreach (var reference in part.DeclaringSyntaxReferences)
        {
            var mayName = reference.GetSyntax() switch
            {
                MethodDeclarationSyntax declaration => MayNameToolAttribute(declaration.AttributeLists, configuredAttributes),
                LocalFunctionStatementSyntax local => MayNameToolAttribute(local.AttributeLists, configuredAttributes),
                _ => true,
            };

            if (mayName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>False only when none of <paramref name="lists"/>' attributes can name a tool attribute.</summary>
    private bool MayNameToolAttribute(SyntaxList<AttributeListSyntax> lists, string? configuredAttributes)
    {
        if (lists.Count == 0)
        {
            return false;
        }

        var names = configuredAttributes is null ? _toolAttributeSyntaxNames.Value : _attributeSyntaxNames.GetOrAdd(configuredAttributes, AttributeSyntaxNames);
        foreach (var list in lists)
        {
            foreach (var attribute in list.Attributes)
            {
                var name = TypeSyntaxFilter.RightmostName(attribute.Name);
                if (name is null || names.Contains(TrimAttributeSuffix(name)) || _typeSyntax.IsAlias(name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The simple names, without the suffix, that attribute syntax can use for a tool attribute (known or configured).</summary>
    private HashSet<string> AttributeSyntaxNames(string? configuredAttributes)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in new[] { Types.KernelFunctionAttribute, Types.McpServerToolAttribute, Types.AutoGenFunctionAttribute })
        {
            if (type is not null)
            {
                names.Add(TrimAttributeSuffix(type.Name));
            }
        }

        if (configuredAttributes is not null)
        {
            foreach (var configured in AgentSafetyOptions.SplitList(configuredAttributes))
            {
                // "My.Tools.AgentToolAttribute", "AgentTool": the simple name is what attribute syntax ends with.
                names.Add(TrimAttributeSuffix(configured.Substring(configured.LastIndexOfAny(new[] { '.', '+' }) + 1)));
            }
        }

        return names;
    }

    /// <summary>The registrations that hand <paramref name="method"/> over by method group (<c>McpServerTool.Create(DeleteFile, options)</c>).</summary>
    public ImmutableArray<IInvocationOperation> RegistrationsOf(IMethodSymbol method)
        => _registrations.Value.Of(method.OriginalDefinition);

    /// <summary>
    /// Syntax only, no binding: can <paramref name="symbol"/>'s declaration hold a lambda tool? True when it holds a
    /// call named like a registration with a lambda or anonymous method in its arguments (found once per compilation).
    /// </summary>
    public bool MayRegisterLambdas(ISymbol symbol)
    {
        var sites = _registrations.Value.LambdaSites;
        if (sites.Count == 0)
        {
            return false;
        }

        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (sites.TryGetValue(reference.SyntaxTree, out var spans) && spans.Any(span => reference.Span.Contains(span)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="type"/> may declare tool code: a tool method among its members, or a lambda tool
    /// registered in its code (syntax only). False settles that no code of the type is a tool or a tool's helper.
    /// Every rule asks this for every type, often for the same type at once: the usual answer (no) comes from sets
    /// built once and only read, so no lock is taken for it.
    /// </summary>
    public bool MayHoldTools(INamedTypeSymbol type, string? configuredAttributes)
        => MayHoldTools(type, configuredAttributes, confirm: true);

    /// <summary>
    /// <see cref="MayHoldTools(INamedTypeSymbol, string?)"/> from syntax and the registration scan only: true also for
    /// a type whose methods carry an attribute of a tool attribute's name that turns out to be another attribute.
    /// Enough to decide whether a type's code waits for its end (<see cref="ToolCodeActions"/>): asked at the type's
    /// start, confirming would bind its members' attributes before the compiler does.
    /// </summary>
    public bool MayHoldToolsBySyntax(INamedTypeSymbol type, string? configuredAttributes)
    {
        // Every rule that defers asks this at the start of every type, one rule after the other: the last answer is
        // kept (an immutable pair swapped in whole, so threads never see half of one).
        var definition = type.OriginalDefinition;
        if (Volatile.Read(ref _lastBySyntax) is { } last && ReferenceEquals(last.Type, definition) && string.Equals(last.ConfiguredAttributes, configuredAttributes, StringComparison.Ordinal))
        {
            return last.MayHoldTools;
        }

        var answer = MayHoldTools(definition, configuredAttributes, confirm: false);
        Volatile.Write(ref _lastBySyntax, new SyntaxAnswer(definition, configuredAttributes, answer));
        return answer;
    }

    /// <summary>The last answer of <see cref="MayHoldToolsBySyntax"/>.</summary>
    private sealed class SyntaxAnswer
    {
        public SyntaxAnswer(INamedTypeSymbol type, string? configuredAttributes, bool mayHoldTools)
        {
            Type = type;
            ConfiguredAttributes = configuredAttributes;
            MayHoldTools = mayHoldTools;
        }

        public INamedTypeSymbol Type { get; }

        public string? ConfiguredAttributes { get; }

        public bool MayHoldTools { get; }
    }

    private bool MayHoldTools(INamedTypeSymbol type, string? configuredAttributes, bool confirm)
    {
        // Cheapest first: the registration scan's answers, then syntax (a tool attribute sits in an attribute list on
        // a method declaration), and the members' attributes only for a type declared with such a list.
        var definition = type.OriginalDefinition;
        if (MayRegisterLambdas(definition) || _registrations.Value.AnyMethodOf(definition, confirm))
        {
            return true;
        }

        var attributed = configuredAttributes is null
            ? _attributedTypes.Value
            : _configuredAttributedTypes.GetOrAdd(configuredAttributes, a => new AttributedTypes(this, a));
        return attributed.MayDeclare(definition)
               && (!confirm || attributed.Confirmed.GetOrAdd(definition, t => t.GetMembers().Any(m => m is IMethodSymbol method && IsToolMethod(method, configuredAttributes))));
    }

    /// <summary>
    /// The type declarations with a method whose attribute lists may name a tool attribute, found in one walk of the
    /// compilation's declarations (method bodies are not entered); the types confirmed from their symbols.
    /// </summary>
    private sealed class AttributedTypes
    {
        private readonly HashSet<(SyntaxTree Tree, TextSpan Span)> _declarations = new();

        [MethodImpl(OneTimeWork.Optimized)]
        public AttributedTypes(ToolMethods owner, string? configuredAttributes)
        {
            var names = configuredAttributes is null ? owner._toolAttributeSyntaxNames.Value : owner._attributeSyntaxNames.GetOrAdd(configuredAttributes, owner.AttributeSyntaxNames);
            foreach (var tree in owner._compilation.SyntaxTrees)
            {
                foreach (var declaration in MethodAttributes.GetValue(tree, static t => AttributedDeclarations.Of(t)).Declarations)
                {
                    if (declaration.AttributeNames.Any(name => name is null || names.Contains(TrimAttributeSuffix(name)) || owner._typeSyntax.IsAlias(name)))
                    {
                        _declarations.Add((tree, declaration.Span));
                    }
                }
            }
        }

        public ConcurrentDictionary<INamedTypeSymbol, bool> Confirmed { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>False only when no declaration of <paramref name="type"/> has a method with a tool attribute's name on it.</summary>
        public bool MayDeclare(INamedTypeSymbol type)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                switch (reference.GetSyntax())
                {
                    case TypeDeclarationSyntax when !_declarations.Contains((reference.SyntaxTree, reference.Span)):
                    case EnumDeclarationSyntax or DelegateDeclarationSyntax:
                        continue;
                    default:
                        // A listed declaration, or code that is not a type declaration (top-level statements).
                        return true;
                }
            }

            return false;
        }

    }

    /// <summary>
    /// Each file's type declarations whose methods carry attributes, with the attributes' names (null: a name the syntax
    /// does not give), kept with the syntax tree: the IDE analyzes each document in a compilation of its own, and a
    /// file's attributes are the same in all of them (see <see cref="IdentifierSearch"/>). Which names are tool
    /// attributes (known types, configured names, aliases) is decided per compilation.
    /// </summary>
    private static readonly ConditionalWeakTable<SyntaxTree, AttributedDeclarations> MethodAttributes = new();

    private sealed class AttributedDeclarations
    {
        private AttributedDeclarations(List<(TextSpan Span, List<string?> AttributeNames)> declarations) => Declarations = declarations;

        public List<(TextSpan Span, List<string?> AttributeNames)> Declarations { get; }

        [MethodImpl(OneTimeWork.Optimized)]
        public static AttributedDeclarations Of(SyntaxTree tree)
        {
            var declarations = new List<(TextSpan, List<string?>)>();
            if (tree.GetRoot() is CompilationUnitSyntax unit)
            {
                Collect(unit.Members, declarations);
            }

            return new AttributedDeclarations(declarations);
        }

        /// <summary>Namespaces and types only, through their member lists (a generic walk of child nodes read every member twice).</summary>
        private static void Collect(SyntaxList<MemberDeclarationSyntax> members, List<(TextSpan, List<string?>)> declarations)
        {
            foreach (var member in members)
            {
                if (member is BaseNamespaceDeclarationSyntax ns)
                {
                    Collect(ns.Members, declarations);
                }
                else if (member is TypeDeclarationSyntax declaration)
                {
                    Collect(declaration, declarations);
                }
            }
        }

        /// <summary>A type's members, read once: its methods' attribute lists, and its nested types.</summary>
        private static void Collect(TypeDeclarationSyntax declaration, List<(TextSpan, List<string?>)> declarations)
        {
            List<string?>? names = null;
            foreach (var member in declaration.Members)
            {
                if (member is TypeDeclarationSyntax nested)
                {
                    Collect(nested, declarations);
                }
                else if (member is MethodDeclarationSyntax { AttributeLists.Count: > 0 } method)
                {
                    foreach (var list in method.AttributeLists)
                    {
                        foreach (var attribute in list.Attributes)
                        {
                            (names ??= new List<string?>()).Add(TypeSyntaxFilter.RightmostName(attribute.Name));
                        }
                    }
                }
            }

            if (names is not null)
            {
                declarations.Add((declaration.Span, names));
            }
        }
    }

    /// <summary>True when the invocation turns a delegate into a tool (<c>AIFunctionFactory.Create</c> and kin).</summary>
    public bool IsRegistration(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!RegistrationNames.Contains(method.Name))
        {
            return false;
        }

        var type = method.ContainingType?.OriginalDefinition;
        return (method.Name == "Create" && (Is(type, Types.AIFunctionFactory) || Is(type, Types.McpServerTool)))
               || (method.Name == "CreateFromMethod" && Is(type, Types.KernelFunctionFactory));
    }

    /// <summary>The delegate argument of a registration: a lambda, or a method reference.</summary>
    public static IOperation? RegisteredDelegate(IInvocationOperation registration)
    {
        foreach (var argument in registration.Arguments)
        {
            var value = argument.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (value is IDelegateCreationOperation creation)
            {
                var target = creation.Target;
                if (target is IAnonymousFunctionOperation or IMethodReferenceOperation)
                {
                    return target;
                }
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="lambda"/> is handed to a tool registration (<c>AIFunctionFactory.Create((string city) => ...)</c>).</summary>
    public bool IsToolLambda(IAnonymousFunctionOperation lambda, out IInvocationOperation? registration)
    {
        registration = null;
        var current = lambda.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        if (current is IArgumentOperation { Parent: IInvocationOperation invocation } && IsRegistration(invocation))
        {
            registration = invocation;
            return true;
        }

        return false;
    }

    /// <summary>
    /// One walk over the files that name a registration, syntax only: the places of registration calls with a lambda,
    /// and the calls that may hand over a method by method group, indexed by the names their arguments spell (a method
    /// group's name is its method's). Binding one of these calls binds its whole member (and its nullable analysis)
    /// out of the driver's order, and most of them are not method-group registrations at all
    /// (<c>KernelFunctionFactory.CreateFromMethod(method, target)</c> with a local): a call is bound only when a question
    /// asks about a method of the name it spells (<see cref="RegisteredBy"/>).
    /// </summary>
    [MethodImpl(OneTimeWork.Optimized)]
    private Registrations FindRegistrations()
    {
        if (Types.AIFunctionFactory is null && Types.KernelFunctionFactory is null && Types.McpServerTool is null)
        {
            return Registrations.None;
        }

        var byName = new Dictionary<string, List<InvocationExpressionSyntax>>(StringComparer.Ordinal);
        var unnamed = new List<InvocationExpressionSyntax>();
        var localFunctionSites = new Dictionary<SyntaxTree, List<InvocationExpressionSyntax>>();
        var lambdaSites = new Dictionary<SyntaxTree, ImmutableArray<TextSpan>>();
        // A registration names the factory type (or an alias of it, or comes through using static): files that name
        // neither are not walked.
        var factories = new[] { Types.AIFunctionFactory, Types.KernelFunctionFactory, Types.McpServerTool }
            .Where(t => t is not null).Select(t => t!).ToImmutableArray();
        var receivers = _typeSyntax.NamesFor(factories);
        // The factory names are rarer than "Create": searched first, they rule most files out.
        foreach (var tree in _compilation.SyntaxTrees.Where(t => (receivers is null || IdentifierSearch.MayMention(t, receivers))
                                                                 && IdentifierSearch.MayMention(t, RegistrationNames)))
        {
            foreach (var site in RegistrationSites.GetValue(tree, static t => ReadRegistrationSites(t)))
            {
                // Called on a factory type (by name or alias, or through using static): the compilation's usings decide.
                var invocation = site.Invocation;
                if (!_typeSyntax.MayCallStaticOf(invocation, factories))
                {
                    continue;
                }

                if (site.HoldsLambda)
                {
                    lambdaSites[tree] = lambdaSites.TryGetValue(tree, out var spans) ? spans.Add(invocation.Span) : ImmutableArray.Create(invocation.Span);
                }

                if (site.MethodGroupNames is null)
                {
                    unnamed.Add(invocation);
                    continue;
                }

                foreach (var name in site.MethodGroupNames)
                {
                    if (!byName.TryGetValue(name, out var list))
                    {
                        byName[name] = list = new List<InvocationExpressionSyntax>();
                    }

                    list.Add(invocation);
                }

                if (site.NamesLocalFunction)
                {
                    if (!localFunctionSites.TryGetValue(tree, out var sites))
                    {
                        localFunctionSites[tree] = sites = new List<InvocationExpressionSyntax>();
                    }

                    sites.Add(invocation);
                }
            }
        }

        return new Registrations(this, byName, unnamed, localFunctionSites, lambdaSites);
    }

    /// <summary>
    /// Each file's calls named like a registration, read from its syntax alone and kept with its tree: the IDE analyzes
    /// each document in a compilation of its own (see <see cref="IdentifierSearch"/>).
    /// </summary>
    private static readonly ConditionalWeakTable<SyntaxTree, List<RegistrationSite>> RegistrationSites = new();

    private static List<RegistrationSite> ReadRegistrationSites(SyntaxTree tree)
    {
        var result = new List<RegistrationSite>();
        foreach (var invocation in IdentifierSearch.InvocationsNamed(tree, RegistrationNames))
        {
            if (!RegistrationNames.Contains(InvokedName(invocation.Expression)))
            {
                continue;
            }

            var holdsLambda = invocation.ArgumentList.Arguments.Any(a => a.Expression.DescendantNodesAndSelf().Any(n => n is AnonymousFunctionExpressionSyntax));

            // The names of the arguments that may be method groups (through casts and delegate creations too).
            var names = new HashSet<string>(StringComparer.Ordinal);
            var named = true;
            foreach (var argument in invocation.ArgumentList.Arguments)
            {
                named &= AddMethodGroupNames(argument.Expression, names);
            }

            // A local function is no member of its type: the type asks for the registrations of its own code.
            result.Add(new RegistrationSite(invocation, holdsLambda, named ? names : null, named && NamesLocalFunction(invocation, names)));
        }

        return result;
    }

    /// <summary>A call named like a registration, as its syntax reads.</summary>
    private sealed class RegistrationSite
    {
        public RegistrationSite(InvocationExpressionSyntax invocation, bool holdsLambda, HashSet<string>? methodGroupNames, bool namesLocalFunction)
        {
            Invocation = invocation;
            HoldsLambda = holdsLambda;
            MethodGroupNames = methodGroupNames;
            NamesLocalFunction = namesLocalFunction;
        }

        public InvocationExpressionSyntax Invocation { get; }

        /// <summary>A lambda or anonymous method among its arguments.</summary>
        public bool HoldsLambda { get; }

        /// <summary>The names its arguments give method groups; null when an argument may be one the syntax does not name.</summary>
        public HashSet<string>? MethodGroupNames { get; }

        /// <summary>One of those names is a local function in scope.</summary>
        public bool NamesLocalFunction { get; }
    }

    /// <summary>
    /// Adds the name a method group in <paramref name="expression"/> would have (<c>Name</c>, <c>Name&lt;T&gt;</c>,
    /// <c>x.Name</c>, through parentheses, casts and <c>new Func&lt;...&gt;(Name)</c>); false when the expression may
    /// hold a method group whose name the syntax does not show. Other values (literals, lambdas, calls) add nothing:
    /// they are no method group.
    /// </summary>
    private static bool AddMethodGroupNames(ExpressionSyntax expression, HashSet<string> names)
    {
        switch (expression)
        {
            case SimpleNameSyntax name:
                names.Add(name.Identifier.ValueText);
                return true;
            case MemberAccessExpressionSyntax access:
                names.Add(access.Name.Identifier.ValueText);
                return true;
            case ParenthesizedExpressionSyntax parenthesized:
                return AddMethodGroupNames(parenthesized.Expression, names);
            case CastExpressionSyntax cast:
                return AddMethodGroupNames(cast.Expression, names);
            case ObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments }:
                return AddMethodGroupNames(arguments[0].Expression, names);
            case LiteralExpressionSyntax or AnonymousFunctionExpressionSyntax or InvocationExpressionSyntax or InterpolatedStringExpressionSyntax
                or ImplicitObjectCreationExpressionSyntax or ObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax
                or ImplicitArrayCreationExpressionSyntax or TypeOfExpressionSyntax or DefaultExpressionSyntax or BinaryExpressionSyntax
                or AnonymousObjectCreationExpressionSyntax or CollectionExpressionSyntax:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// True when a local function of one of <paramref name="names"/> is in scope at <paramref name="invocation"/>: a
    /// statement of a block around it (or a top-level statement). Only those statements are read, not the member's code.
    /// </summary>
    private static bool NamesLocalFunction(InvocationExpressionSyntax invocation, HashSet<string> names)
    {
        for (var node = invocation.Parent; node is not null and not TypeDeclarationSyntax; node = node.Parent)
        {
            var statements = node switch
            {
                BlockSyntax block => block.Statements,
                SwitchSectionSyntax section => section.Statements,
                _ => default,
            };
            foreach (var statement in statements)
            {
                if (statement is LocalFunctionStatementSyntax local && names.Contains(local.Identifier.ValueText))
                {
                    return true;
                }
            }

            if (node is CompilationUnitSyntax unit)
            {
                return unit.Members.Any(m => m is GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax local } && names.Contains(local.Identifier.ValueText));
            }
        }

        return false;
    }

    /// <summary>The method <paramref name="invocation"/> registers by method group, bound once (null: none).</summary>
    private Registered RegisteredBy(InvocationExpressionSyntax invocation)
        => _registered.GetOrAdd(invocation, i =>
        {
#pragma warning disable RS1030 // Registrations anywhere in the compilation decide which methods are tools.
            var semanticModel = _compilation.GetSemanticModel(i.SyntaxTree);
#pragma warning restore RS1030
            return semanticModel.GetOperation(i) is IInvocationOperation operation
                   && IsRegistration(operation)
                   && RegisteredDelegate(operation) is IMethodReferenceOperation reference
                ? new Registered(reference.Method.OriginalDefinition, operation)
                : Registered.None;
        });

    private static string InvokedName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        GenericNameSyntax generic => generic.Identifier.ValueText,
        _ => string.Empty,
    };

    private static ImmutableHashSet<string> ParseAttributeNames(string value)
        => AgentSafetyOptions.SplitList(value).SelectMany(n => new[] { n, TrimAttributeSuffix(n) }).ToImmutableHashSet(StringComparer.Ordinal);

    private static string TrimAttributeSuffix(string name)
        => name.EndsWith("Attribute", StringComparison.Ordinal) && name.Length > "Attribute".Length
            ? name.Substring(0, name.Length - "Attribute".Length)
            : name;

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);

    /// <summary>A method registered by method group, with the registration (or neither).</summary>
    private sealed class Registered
    {
        public static readonly Registered None = new(null, null);

        public Registered(IMethodSymbol? method, IInvocationOperation? registration)
        {
            Method = method;
            Registration = registration;
        }

        public IMethodSymbol? Method { get; }

        public IInvocationOperation? Registration { get; }
    }

    /// <summary>
    /// The registrations of the compilation, from syntax: read-only once built, the calls bound as questions need them
    /// (<see cref="RegisteredBy"/>).
    /// </summary>
    private sealed class Registrations
    {
        public static readonly Registrations None = new(
            null,
            new Dictionary<string, List<InvocationExpressionSyntax>>(),
            new List<InvocationExpressionSyntax>(),
            new Dictionary<SyntaxTree, List<InvocationExpressionSyntax>>(),
            new Dictionary<SyntaxTree, ImmutableArray<TextSpan>>());

        private readonly ToolMethods? _owner;
        private readonly Dictionary<string, List<InvocationExpressionSyntax>> _byName;
        private readonly List<InvocationExpressionSyntax> _unnamed;
        private readonly Dictionary<SyntaxTree, List<InvocationExpressionSyntax>> _localFunctionSites;

        public Registrations(
            ToolMethods? owner,
            Dictionary<string, List<InvocationExpressionSyntax>> byName,
            List<InvocationExpressionSyntax> unnamed,
            Dictionary<SyntaxTree, List<InvocationExpressionSyntax>> localFunctionSites,
            Dictionary<SyntaxTree, ImmutableArray<TextSpan>> lambdaSites)
        {
            _owner = owner;
            _byName = byName;
            _unnamed = unnamed;
            _localFunctionSites = localFunctionSites;
            LambdaSites = lambdaSites;
        }

        /// <summary>Per file, the spans of calls named like a registration that hold a lambda (read-only once built).</summary>
        public Dictionary<SyntaxTree, ImmutableArray<TextSpan>> LambdaSites { get; }

        /// <summary>True when no call may register a method by method group.</summary>
        public bool IsEmpty => _byName.Count == 0 && _unnamed.Count == 0;

        /// <summary>The registrations that hand <paramref name="method"/> (a definition) over by method group, in source order.</summary>
        public ImmutableArray<IInvocationOperation> Of(IMethodSymbol method)
        {
            var result = ImmutableArray.CreateBuilder<IInvocationOperation>();
            foreach (var invocation in Candidates(method.Name))
            {
                var registered = _owner!.RegisteredBy(invocation);
                if (registered.Registration is not null && SymbolEqualityComparer.Default.Equals(registered.Method, method))
                {
                    result.Add(registered.Registration);
                }
            }

            return result.ToImmutable();
        }

        /// <summary>True when <paramref name="method"/> (a definition) is registered by method group.</summary>
        public bool Registers(IMethodSymbol method)
        {
            if (IsEmpty)
            {
                return false;
            }

            foreach (var invocation in Candidates(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(_owner!.RegisteredBy(invocation).Method, method))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// True when a method of <paramref name="type"/> (a definition, local functions included) is registered by
        /// method group. Without <paramref name="confirm"/>, a call that spells the name of one of the type's methods
        /// (or of a local function in the type's code) is taken as one without binding it: true also when the call
        /// hands over another type's method of that name, or a delegate that is no method group.
        /// </summary>
        public bool AnyMethodOf(INamedTypeSymbol type, bool confirm)
        {
            if (IsEmpty)
            {
                return false;
            }

            foreach (var name in type.MemberNames)
            {
                if (_byName.TryGetValue(name, out var named) && type.GetMembers(name).Any(m => m is IMethodSymbol) && (!confirm || Registers(named, type)))
                {
                    return true;
                }
            }

            // Rare (a method group the syntax does not name): bound either way.
            if (Registers(_unnamed, type))
            {
                return true;
            }

            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (_localFunctionSites.TryGetValue(reference.SyntaxTree, out var sites))
                {
                    var inType = sites.Where(s => reference.Span.Contains(s.Span));
                    if (confirm ? Registers(inType, type) : inType.Any())
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private IEnumerable<InvocationExpressionSyntax> Candidates(string name)
            => _byName.TryGetValue(name, out var named) ? named.Concat(_unnamed) : _unnamed;

        private bool Registers(IEnumerable<InvocationExpressionSyntax> invocations, INamedTypeSymbol type)
        {
            foreach (var invocation in invocations)
            {
                if (_owner!.RegisteredBy(invocation).Method is { } method && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
