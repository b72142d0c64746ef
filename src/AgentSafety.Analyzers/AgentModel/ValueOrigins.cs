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
        foreach (var tree in _compilation.SyntaxTrees.Where(t => IdentifierSearch.MayMention(t, names)))
        {
            foreach (var node in tree.GetRoot().DescendantNodes().OfType<BaseObjectCreationExpressionSyntax>())
            {
                var named = node is ImplicitObjectCreationExpressionSyntax
                            || (node is ObjectCreationExpressionSyntax { Type: var typeSyntax } && RightmostName(typeSyntax) == type.Name);
                if (named && Bind(node) is IObjectCreationOperation creation
                    && SymbolEqualityComparer.Default.Equals(creation.Type?.OriginalDefinition, type))
                {
                    found.Add(creation);
                }
            }
        }

        return found.ToImmutable();
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

        // A member's initializer may sit in another tree than the code asking; the cache bounds the binding.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        return _compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
    }

    private static string? AssignedName(ExpressionSyntax left) => left switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
        _ => null,
    };
}
