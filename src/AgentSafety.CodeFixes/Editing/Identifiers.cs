using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentSafety.CodeFixes.Editing;

/// <summary>Names for new code: escaped when they are keywords, and free of clashes.</summary>
internal static class Identifiers
{
    /// <summary>An identifier token for <paramref name="name"/>, with <c>@</c> when it is a keyword.</summary>
    public static SyntaxToken Token(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None
            ? SyntaxFactory.VerbatimIdentifier(default, "@" + name, name, default)
            : SyntaxFactory.Identifier(name);

    /// <summary>
    /// The first of <paramref name="candidates"/> (then the first one numbered) that names nothing visible at
    /// <paramref name="position"/>, is not written inside <paramref name="scope"/> and is not in <paramref name="reserved"/>.
    /// </summary>
    public static string Unique(SemanticModel semanticModel, int position, SyntaxNode scope, IReadOnlyCollection<string> reserved, params string[] candidates)
    {
        bool IsFree(string name)
            => !reserved.Contains(name)
               && semanticModel.LookupSymbols(position, name: name).IsEmpty
               && !scope.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == name);

        foreach (var candidate in candidates)
        {
            if (IsFree(candidate))
            {
                return candidate;
            }
        }

        for (var i = 1; ; i++)
        {
            var numbered = candidates[0] + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (IsFree(numbered))
            {
                return numbered;
            }
        }
    }
}
