using System.Collections.Concurrent;
using System.Collections.Immutable;
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
    private readonly ConcurrentDictionary<HashSet<string>, ImmutableArray<IInvocationOperation>> _invocations = Caches.Create<HashSet<string>, ImmutableArray<IInvocationOperation>>(ReferenceComparer<HashSet<string>>.Instance);
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<IObjectCreationOperation>> _creations = Caches.Create<INamedTypeSymbol, ImmutableArray<IObjectCreationOperation>>(SymbolEqualityComparer.Default);

    // Target-typed creations (new(...)) are bound once for all types asked about, and each file's text is read once:
    // CreationsOf runs for every type whose constructor parameter a reported call goes back to.
    private readonly ConcurrentDictionary<SyntaxNode, IObjectCreationOperation?> _implicitCreations = Caches.Create<SyntaxNode, IObjectCreationOperation?>(ReferenceComparer<SyntaxNode>.Instance);
    private readonly ConcurrentDictionary<SyntaxTree, string> _texts = Caches.Create<SyntaxTree, string>(ReferenceComparer<SyntaxTree>.Instance);
    private readonly ConcurrentDictionary<SyntaxTree, ImmutableArray<BaseObjectCreationExpressionSyntax>> _creationSyntax = Caches.Create<SyntaxTree, ImmutableArray<BaseObjectCreationExpressionSyntax>>(ReferenceComparer<SyntaxTree>.Instance);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = Caches.Create<SyntaxTree, SemanticModel>(ReferenceComparer<SyntaxTree>.Instance);

    public ValueOrigins(Compilation compilation) => _compilation = compilation;

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
    /// registrations such as <c>AddChatClient(...)</c>). Found once per name set, on first need, from a text search.
    /// </summary>
    public ImmutableArray<IInvocationOperation> InvocationsNamed(HashSet<string> names)
        => _invocations.GetOrAdd(names, FindInvocations);

    private ImmutableArray<IInvocationOperation> FindInvocations(HashSet<string> names)
    {
        var found = ImmutableArray.CreateBuilder<IInvocationOperation>();
        foreach (var tree in _compilation.SyntaxTrees.Where(t => IdentifierSearch.MayMention(t, names)))
        {
            foreach (var invocation in IdentifierSearch.InvocationsNamed(tree, names))
            {
                var name = invocation.Expression switch
                {
                    MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                    SimpleNameSyntax simple => simple.Identifier.ValueText,
                    _ => null,
                };

                if (name is not null && names.Contains(name) && Bind(invocation) is IInvocationOperation bound)
                {
                    found.Add(bound);
                }
            }
        }

        return found.ToImmutable();
    }

    /// <summary>
    /// Every <c>new T(...)</c> of the source type <paramref name="type"/> in the compilation (target-typed <c>new(...)</c>
    /// too), bound. Found once per type, on first need, in the files whose text names the type.
    /// </summary>
    public ImmutableArray<IObjectCreationOperation> CreationsOf(INamedTypeSymbol type)
        => _creations.GetOrAdd(type.OriginalDefinition, FindCreations);

    private ImmutableArray<IObjectCreationOperation> FindCreations(INamedTypeSymbol type)
    {
        var found = ImmutableArray.CreateBuilder<IObjectCreationOperation>();
        var names = new[] { type.Name };
        var constructors = type.InstanceConstructors;
        foreach (var tree in _compilation.SyntaxTrees)
        {
            if (!IdentifierSearch.MayMention(_texts.GetOrAdd(tree, static t => t.GetText().ToString()), names))
            {
                continue;
            }

            foreach (var node in _creationSyntax.GetOrAdd(tree, static t => t.GetRoot().DescendantNodes().OfType<BaseObjectCreationExpressionSyntax>().ToImmutableArray()))
            {
                var creation = node switch
                {
                    ObjectCreationExpressionSyntax { Type: var typeSyntax } when RightmostName(typeSyntax) == type.Name => Bind(node) as IObjectCreationOperation,
                    // A target-typed new(...) names no type: bound (once for every type asked about) only when some
                    // constructor of this type takes that many arguments.
                    ImplicitObjectCreationExpressionSyntax implicitCreation when Accepts(constructors, implicitCreation.ArgumentList.Arguments.Count)
                                                                                 && MayCreate(implicitCreation, type.Name)
                        => _implicitCreations.GetOrAdd(node, n => Bind(n) as IObjectCreationOperation),
                    _ => null,
                };

                if (creation is not null && SymbolEqualityComparer.Default.Equals(creation.Type?.OriginalDefinition, type))
                {
                    found.Add(creation);
                }
            }
        }

        return found.ToImmutable();
    }

    /// <summary>
    /// False when the declaration a target-typed <c>new(...)</c> initializes names another type (<c>Options o = new(...)</c>):
    /// it creates that type. Elsewhere (an argument, a return, an assignment) only binding tells.
    /// </summary>
    private static bool MayCreate(ImplicitObjectCreationExpressionSyntax creation, string typeName)
    {
        var declared = creation.Parent is EqualsValueClauseSyntax clause
            ? clause.Parent switch
            {
                VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } => declaration.Type,
                PropertyDeclarationSyntax property => property.Type,
                _ => null,
            }
            : null;
        if (declared is NullableTypeSyntax nullable)
        {
            declared = nullable.ElementType;
        }

        return declared is null || declared.IsVar || RightmostName(declared) is not { } name || name == typeName;
    }

    private static bool Accepts(ImmutableArray<IMethodSymbol> constructors, int arguments)
    {
        foreach (var constructor in constructors)
        {
            var parameters = constructor.Parameters;
            var required = parameters.Count(p => !p.IsOptional && !p.IsParams);
            if (arguments >= required && (arguments <= parameters.Length || (parameters.Length > 0 && parameters[parameters.Length - 1].IsParams)))
            {
                return true;
            }
        }

        return false;
    }

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

        // A member's initializer may sit in another tree than the code asking; the cache bounds the binding.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        // One model per file: creations and assignments found in one member share its binding.
        return _models.GetOrAdd(syntax.SyntaxTree, t => _compilation.GetSemanticModel(t)).GetOperation(syntax);
#pragma warning restore RS1030
    }

    private static string? AssignedName(ExpressionSyntax left) => left switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
        _ => null,
    };
}
