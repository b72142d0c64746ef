using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentSafety.CodeFixes.Editing;

/// <summary>Adds <c>using</c> directives that new code needs, once.</summary>
internal static class Imports
{
    /// <summary>The namespace of <c>ILogger</c> and its extensions, which logging fixes import.</summary>
    public const string LoggingNamespace = "Microsoft.Extensions.Logging";

    /// <summary>The namespace of <c>Activity</c> and <c>ActivitySource</c>, which tracing fixes import.</summary>
    public const string DiagnosticsNamespace = "System.Diagnostics";

    public enum TypeNameState
    {
        /// <summary>The simple name already binds to the type.</summary>
        Available,

        /// <summary>The simple name binds to nothing: a <c>using</c> makes it available.</summary>
        NeedsUsing,

        /// <summary>The simple name binds to something else: write the type fully qualified.</summary>
        Conflicts,
    }

    /// <summary>Whether code at <paramref name="position"/> can name <paramref name="type"/> by its simple name.</summary>
    public static TypeNameState CanUseSimpleName(SemanticModel semanticModel, int position, INamedTypeSymbol type)
    {
        // A generic type is named with its type arguments; any arguments of the right arity bind the same definition.
        ExpressionSyntax name = type.Arity == 0
            ? SyntaxFactory.IdentifierName(type.Name)
            : SyntaxFactory.GenericName(SyntaxFactory.Identifier(type.Name), SyntaxFactory.TypeArgumentList(SyntaxFactory.SeparatedList(
                Enumerable.Repeat<TypeSyntax>(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.ObjectKeyword)), type.Arity))));
        var bound = semanticModel.GetSpeculativeSymbolInfo(position, name, SpeculativeBindingOption.BindAsExpression).Symbol;
        if (bound is null)
        {
            return TypeNameState.NeedsUsing;
        }

        return SymbolEqualityComparer.Default.Equals(bound.OriginalDefinition, type.OriginalDefinition)
            ? TypeNameState.Available
            : TypeNameState.Conflicts;
    }

    /// <summary>
    /// The name new code at <paramref name="position"/> writes for <paramref name="type"/> (with
    /// <paramref name="typeArguments"/> when generic): its simple name when that binds to it, or will once its
    /// namespace is imported (then added to <paramref name="usings"/>); else its <c>global::</c> qualified name.
    /// </summary>
    public static TypeSyntax TypeName(SemanticModel semanticModel, int position, INamedTypeSymbol type, ISet<string> usings, params TypeSyntax[] typeArguments)
    {
        SimpleNameSyntax simple = typeArguments.Length == 0
            ? SyntaxFactory.IdentifierName(type.Name)
            : SyntaxFactory.GenericName(SyntaxFactory.Identifier(type.Name), SyntaxFactory.TypeArgumentList(SyntaxFactory.SeparatedList(typeArguments)));
        switch (CanUseSimpleName(semanticModel, position, type))
        {
            case TypeNameState.Available:
                return simple;
            case TypeNameState.NeedsUsing when type.ContainingType is null && type.ContainingNamespace is { IsGlobalNamespace: false } ns:
                usings.Add(ns.ToDisplayString());
                return simple;
            default:
                NameSyntax qualified = SyntaxFactory.AliasQualifiedName(
                    SyntaxFactory.IdentifierName(SyntaxFactory.Token(SyntaxKind.GlobalKeyword)), SyntaxFactory.IdentifierName(NamespaceParts(type)[0]));
                foreach (var part in NamespaceParts(type).Skip(1))
                {
                    qualified = SyntaxFactory.QualifiedName(qualified, SyntaxFactory.IdentifierName(part));
                }

                return SyntaxFactory.QualifiedName(qualified, simple);
        }
    }

    /// <summary>
    /// Adds to <paramref name="usings"/> the namespace of each type (by metadata name) that code at
    /// <paramref name="position"/> cannot name by its simple name yet: nothing for a namespace a global or implicit
    /// using already imports.
    /// </summary>
    public static void RequireTypes(SemanticModel semanticModel, int position, ISet<string> usings, params string[] metadataNames)
    {
        foreach (var metadataName in metadataNames)
        {
            if (semanticModel.Compilation.GetTypeByMetadataName(metadataName) is { ContainingType: null, ContainingNamespace: { IsGlobalNamespace: false } ns } type
                && CanUseSimpleName(semanticModel, position, type) == TypeNameState.NeedsUsing)
            {
                usings.Add(ns.ToDisplayString());
            }
        }
    }

    /// <summary>
    /// Adds <c>using <paramref name="namespaceName"/>;</c> beside the file's other usings (System ones first, then
    /// by name) unless it is already there. The directive takes its neighbours' line endings; nothing else moves.
    /// </summary>
    public static SyntaxNode AddUsing(SyntaxNode root, string namespaceName)
    {
        if (root is not CompilationUnitSyntax unit)
        {
            return root;
        }

        var endOfLine = Layout.EndOfLine(root);
        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(namespaceName))
            .NormalizeWhitespace(elasticTrivia: false)
            .WithTrailingTrivia(endOfLine);
        if (unit.Usings.Count == 0
            && unit.Members.FirstOrDefault() is BaseNamespaceDeclarationSyntax ns
            && ns.Usings.Count > 0)
        {
            return Contains(ns.Usings, namespaceName)
                ? root
                : unit.ReplaceNode(ns, ns.WithUsings(Insert(ns.Usings, directive)));
        }

        if (Contains(unit.Usings, namespaceName))
        {
            return root;
        }

        if (unit.Usings.Count == 0)
        {
            // Keep a file header (comments at the very top) above the new directive, and a blank line below it.
            var firstToken = unit.GetFirstToken(includeZeroWidth: true);
            var withoutHeader = unit.ReplaceToken(firstToken, firstToken.WithLeadingTrivia(default(SyntaxTriviaList)));
            return withoutHeader.WithUsings(SyntaxFactory.SingletonList(directive
                .WithLeadingTrivia(firstToken.LeadingTrivia)
                .WithTrailingTrivia(endOfLine, endOfLine)));
        }

        return unit.WithUsings(Insert(unit.Usings, directive));
    }

    /// <summary>The namespaces and containing types above <paramref name="type"/>, outermost first.</summary>
    private static List<string> NamespaceParts(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (ISymbol? current = type.ContainingType ?? (ISymbol?)type.ContainingNamespace;
             current is not null and not INamespaceSymbol { IsGlobalNamespace: true };
             current = current.ContainingSymbol)
        {
            parts.Insert(0, current.Name);
        }

        return parts;
    }

    private static bool Contains(SyntaxList<UsingDirectiveSyntax> usings, string namespaceName)
        => usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == namespaceName);

    private static SyntaxList<UsingDirectiveSyntax> Insert(SyntaxList<UsingDirectiveSyntax> usings, UsingDirectiveSyntax directive)
    {
        var name = directive.Name!.ToString();
        var index = 0;
        while (index < usings.Count && ComesBefore(usings[index], name))
        {
            index++;
        }

        if (index == 0)
        {
            // Taking the first place: the header trivia stays on the first line.
            var first = usings[0];
            return usings
                .Replace(first, first.WithLeadingTrivia(default(SyntaxTriviaList)))
                .Insert(0, directive.WithLeadingTrivia(first.GetLeadingTrivia()));
        }

        // Taking the previous line's ending keeps a blank line after the usings where there was one.
        var previous = usings[index - 1];
        return usings
            .Replace(previous, previous.WithTrailingTrivia(directive.GetTrailingTrivia()))
            .Insert(index, directive.WithTrailingTrivia(previous.GetTrailingTrivia()));
    }

    private static bool ComesBefore(UsingDirectiveSyntax existing, string name)
    {
        if (existing.Alias is not null || !existing.StaticKeyword.IsKind(SyntaxKind.None) || existing.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword))
        {
            return existing.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword);
        }

        var existingName = existing.Name?.ToString() ?? string.Empty;
        var existingIsSystem = IsSystem(existingName);
        var newIsSystem = IsSystem(name);
        if (existingIsSystem != newIsSystem)
        {
            return existingIsSystem;
        }

        return string.CompareOrdinal(existingName, name) < 0;
    }

    private static bool IsSystem(string name) => name == "System" || name.StartsWith("System.", StringComparison.Ordinal);
}
