using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// The constructor of an attribute as the symbol it is applied to records it: the compiler binds every attribute of
/// a declaration once, with the symbol, and keeps the result. Asking the semantic model instead
/// (<c>GetSymbolInfo(attribute)</c>) binds the attribute again in a model of its own, and an attribute whose type does
/// not resolve (a package not referenced) costs a search through every imported namespace each time.
/// </summary>
internal static class AppliedAttributes
{
    /// <summary>
    /// Finds <paramref name="attribute"/> among the attributes of the symbol it is applied to — <paramref name="owner"/>
    /// (the declaration being analyzed), one of its parameters or type parameters, its return value, or the assembly
    /// or module — and gives the constructor recorded there (null when the attribute did not bind). False when the
    /// attribute belongs to none of them (a local function's, a lambda's, a backing field's): the caller binds it.
    /// </summary>
    public static bool Find(AttributeSyntax attribute, ISymbol? owner, Compilation compilation, out IMethodSymbol? constructor)
    {
        constructor = null;
        if (attribute.Parent is not AttributeListSyntax list)
        {
            return false;
        }

        var target = list.Target?.Identifier.ValueText;
        var attributes = target switch
        {
            "assembly" => compilation.Assembly.GetAttributes(),
            "module" => compilation.SourceModule.GetAttributes(),
            _ when owner is null => default,
            "return" => ReturnAttributes(owner),
            _ => list.Parent switch
            {
                ParameterSyntax parameter => ParameterAttributes(owner, parameter),
                TypeParameterSyntax typeParameter => TypeParameterAttributes(owner, typeParameter),
                _ => owner.GetAttributes(),
            },
        };

        if (attributes.IsDefault)
        {
            return false;
        }

        foreach (var data in attributes)
        {
            if (data.ApplicationSyntaxReference is { } reference && reference.Span == attribute.Span && reference.SyntaxTree == attribute.SyntaxTree)
            {
                constructor = data.AttributeConstructor;
                return true;
            }
        }

        return false;
    }

    private static ImmutableArray<AttributeData> ReturnAttributes(ISymbol owner) => owner switch
    {
        IMethodSymbol method => method.GetReturnTypeAttributes(),
        INamedTypeSymbol { DelegateInvokeMethod: { } invoke } => invoke.GetReturnTypeAttributes(),
        _ => default,
    };

    private static ImmutableArray<AttributeData> ParameterAttributes(ISymbol owner, ParameterSyntax syntax)
    {
        var parameters = owner switch
        {
            IMethodSymbol method => method.Parameters,
            IPropertySymbol property => property.Parameters,
            INamedTypeSymbol { DelegateInvokeMethod: { } invoke } => invoke.Parameters,
            _ => ImmutableArray<IParameterSymbol>.Empty,
        };

        foreach (var parameter in parameters)
        {
            if (Declares(parameter, syntax))
            {
                return parameter.GetAttributes();
            }
        }

        return default;
    }

    private static ImmutableArray<AttributeData> TypeParameterAttributes(ISymbol owner, TypeParameterSyntax syntax)
    {
        var typeParameters = owner switch
        {
            IMethodSymbol method => method.TypeParameters,
            INamedTypeSymbol type => type.TypeParameters,
            _ => ImmutableArray<ITypeParameterSymbol>.Empty,
        };

        foreach (var typeParameter in typeParameters)
        {
            if (Declares(typeParameter, syntax))
            {
                return typeParameter.GetAttributes();
            }
        }

        return default;
    }

    private static bool Declares(ISymbol symbol, SyntaxNode syntax)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.Span == syntax.Span && reference.SyntaxTree == syntax.SyntaxTree)
            {
                return true;
            }
        }

        return false;
    }
}
