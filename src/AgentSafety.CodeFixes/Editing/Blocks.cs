using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace AgentSafety.CodeFixes.Editing;

/// <summary>Inserts statements into blocks the way the block is already laid out.</summary>
internal static class Blocks
{
    /// <summary>
    /// Inserts <paramref name="statement"/> at <paramref name="index"/>. A block written on one line stays on one
    /// line (<c>{ Cleanup(); throw; }</c>); in any other block the formatter gives the statement its own line.
    /// </summary>
    public static BlockSyntax Insert(BlockSyntax block, int index, StatementSyntax statement)
    {
        if (!IsSingleLine(block))
        {
            return block.WithStatements(block.Statements.Insert(index, statement.WithAdditionalAnnotations(Formatter.Annotation)));
        }

        var previous = index == 0 ? block.OpenBraceToken : block.Statements[index - 1].GetLastToken();
        var needsLeadingSpace = !previous.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        var laidOut = statement.NormalizeWhitespace(elasticTrivia: false)
            .WithLeadingTrivia(needsLeadingSpace ? SyntaxFactory.TriviaList(SyntaxFactory.Space) : default)
            .WithTrailingTrivia(SyntaxFactory.Space);
        return block.WithStatements(block.Statements.Insert(index, laidOut));
    }

    public static BlockSyntax Append(BlockSyntax block, StatementSyntax statement)
        => Insert(block, block.Statements.Count, statement);

    /// <summary>True when no line ends between the braces (the trivia outside the braces does not count).</summary>
    private static bool IsSingleLine(BlockSyntax block)
    {
        foreach (var token in block.DescendantTokens())
        {
            if ((token != block.OpenBraceToken && token.LeadingTrivia.Any(IsEndOfLine))
                || (token != block.CloseBraceToken && token.TrailingTrivia.Any(IsEndOfLine)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEndOfLine(SyntaxTrivia trivia) => trivia.IsKind(SyntaxKind.EndOfLineTrivia);
}
