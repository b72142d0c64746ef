using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentSafety.CodeFixes.Editing;

/// <summary>The layout conventions of the document new code goes into.</summary>
internal static class Layout
{
    /// <summary>The line ending the document already uses (<c>\n</c> when it has none).</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode root)
    {
        var endOfLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return endOfLine.RawKind == 0 ? SyntaxFactory.EndOfLine("\n") : endOfLine;
    }
}
