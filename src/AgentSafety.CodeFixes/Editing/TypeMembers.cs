using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace AgentSafety.CodeFixes.Editing;

/// <summary>Finds and adds the members a fix needs once per type: a static field, a helper method.</summary>
internal static class TypeMembers
{
    /// <summary>
    /// A field or property of <paramref name="type"/> (or its bases) whose type satisfies <paramref name="isWanted"/>
    /// and that code in a <paramref name="fromStatic"/> context can read; static members first. Members that
    /// <paramref name="isAcceptable"/> turns down are passed over.
    /// </summary>
    public static ISymbol? FindReusable(INamedTypeSymbol type, bool fromStatic, Func<ITypeSymbol, bool> isWanted, Func<ISymbol, bool>? isAcceptable = null)
    {
        ISymbol? instanceCandidate = null;
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                var (memberType, isStatic, accessible) = member switch
                {
                    IFieldSymbol field when !field.IsImplicitlyDeclared => (field.Type, field.IsStatic, Accessible(field, type)),
                    IPropertySymbol property when !property.IsIndexer && property.GetMethod is not null => (property.Type, property.IsStatic, Accessible(property, type)),
                    _ => (null, false, false),
                };

                if (memberType is null || !accessible || !isWanted(memberType) || (isAcceptable is not null && !isAcceptable(member)))
                {
                    continue;
                }

                if (isStatic)
                {
                    return member;
                }

                instanceCandidate ??= fromStatic ? null : member;
            }
        }

        return instanceCandidate;
    }

    /// <summary>
    /// Adds <paramref name="field"/> to <paramref name="declaration"/> after its last field (or first among its
    /// members), formatted. Callers group their edits per type so a FixAll adds one field per type.
    /// </summary>
    public static TypeDeclarationSyntax AddField(TypeDeclarationSyntax declaration, FieldDeclarationSyntax field)
    {
        var laidOut = field.WithAdditionalAnnotations(Formatter.Annotation);
        var lastField = declaration.Members.LastOrDefault(m => m is FieldDeclarationSyntax);
        var index = lastField is null ? 0 : declaration.Members.IndexOf(lastField) + 1;
        return declaration.WithMembers(declaration.Members.Insert(index, laidOut));
    }

    /// <summary>
    /// Adds <paramref name="field"/> before every field of <paramref name="declaration"/> but its constants, formatted:
    /// for a static field with a self-contained initializer that other code may use while the type initializes
    /// (static initializers run in textual order, so a field below its users would still be null).
    /// </summary>
    public static TypeDeclarationSyntax AddLeadingField(TypeDeclarationSyntax declaration, FieldDeclarationSyntax field)
    {
        var laidOut = field.WithAdditionalAnnotations(Formatter.Annotation);
        var firstField = declaration.Members.FirstOrDefault(m => m is FieldDeclarationSyntax f && !f.Modifiers.Any(SyntaxKind.ConstKeyword));
        var lastConstant = declaration.Members.LastOrDefault(m => m is FieldDeclarationSyntax f && f.Modifiers.Any(SyntaxKind.ConstKeyword));
        var index = firstField is not null
            ? declaration.Members.IndexOf(firstField)
            : lastConstant is not null ? declaration.Members.IndexOf(lastConstant) + 1 : 0;
        return declaration.WithMembers(declaration.Members.Insert(index, laidOut));
    }

    /// <summary>Adds <paramref name="method"/> right after <paramref name="anchor"/> (a member of <paramref name="declaration"/>), or last.</summary>
    public static TypeDeclarationSyntax AddMethodAfter(TypeDeclarationSyntax declaration, MemberDeclarationSyntax? anchor, MethodDeclarationSyntax method)
    {
        var laidOut = method.WithAdditionalAnnotations(Formatter.Annotation);
        var index = anchor is null ? -1 : declaration.Members.IndexOf(anchor);
        return declaration.WithMembers(index < 0
            ? declaration.Members.Add(laidOut)
            : declaration.Members.Insert(index + 1, laidOut));
    }

    /// <summary>A private static readonly field: <c>private static readonly TType name = initializer;</c>.</summary>
    public static FieldDeclarationSyntax PrivateStaticReadonlyField(TypeSyntax type, string name, ExpressionSyntax initializer)
        => SyntaxFactory.FieldDeclaration(
                SyntaxFactory.VariableDeclaration(type)
                    .AddVariables(SyntaxFactory.VariableDeclarator(Identifiers.Token(name))
                        .WithInitializer(SyntaxFactory.EqualsValueClause(initializer))))
            .AddModifiers(
                SyntaxFactory.Token(SyntaxKind.PrivateKeyword),
                SyntaxFactory.Token(SyntaxKind.StaticKeyword),
                SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword));

    /// <summary>
    /// <paramref name="candidate"/>, or the first numbered form of it, that no member of <paramref name="type"/> (or
    /// its bases) has, that is not the type's own name and that no identifier in <paramref name="declaration"/> uses.
    /// Names of containing types do not count: a new member may shadow them, so a nested type gets the same name.
    /// </summary>
    public static string UniqueMemberName(INamedTypeSymbol type, TypeDeclarationSyntax declaration, string candidate)
    {
        bool IsFree(string name)
        {
            if (name == type.Name || declaration.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == name))
            {
                return false;
            }

            for (var current = type; current is not null; current = current.BaseType)
            {
                if (!current.GetMembers(name).IsEmpty)
                {
                    return false;
                }
            }

            return true;
        }

        if (IsFree(candidate))
        {
            return candidate;
        }

        for (var i = 1; ; i++)
        {
            var numbered = candidate + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (IsFree(numbered))
            {
                return numbered;
            }
        }
    }

    private static bool Accessible(ISymbol member, INamedTypeSymbol from)
        => member.DeclaredAccessibility != Accessibility.Private
           || SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, from.OriginalDefinition);
}
