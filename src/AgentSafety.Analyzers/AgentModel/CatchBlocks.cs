using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>What a catch block says by its shape. Shared by AGS002 and AGS003.</summary>
internal static class CatchBlocks
{
    /// <summary>
    /// An empty block with a comment explaining why (<c>catch (IOException) { /* the cache may be gone */ }</c>):
    /// ignoring the failure is deliberate.
    /// </summary>
    public static bool IsDeliberatelyEmpty(BlockSyntax block)
        => block.Statements.Count == 0 && HasComment(block);

    /// <summary>A comment inside the braces.</summary>
    public static bool HasComment(BlockSyntax block)
        => block.OpenBraceToken.TrailingTrivia.Any(IsComment) || block.CloseBraceToken.LeadingTrivia.Any(IsComment);

    private static bool IsComment(SyntaxTrivia trivia)
        => trivia.IsKind(SyntaxKind.SingleLineCommentTrivia)
           || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)
           || trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)
           || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia);
}
