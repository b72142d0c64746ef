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

    /// <summary>
    /// A block written on one line, laid out with one statement per line (for fixes that add several statements);
    /// any other block comes back unchanged.
    /// </summary>
    public static BlockSyntax OnSeparateLines(BlockSyntax block)
    {
        if (!IsSingleLine(block))
        {
            return block;
        }

        var endOfLine = block.SyntaxTree.GetRoot().DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString();
        var newLine = SyntaxFactory.ElasticEndOfLine(endOfLine.Length > 0 ? endOfLine : "\n");

        // Elastic line breaks: the formatter lays the block out (a lambda's block inside an argument list too).
        return block
            .WithOpenBraceToken(block.OpenBraceToken.WithTrailingTrivia(newLine))
            .WithStatements(SyntaxFactory.List(block.Statements.Select(s => s.WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(newLine))))
            .WithCloseBraceToken(block.CloseBraceToken.WithLeadingTrivia(SyntaxFactory.ElasticMarker))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    public static BlockSyntax Append(BlockSyntax block, StatementSyntax statement)
        => Insert(block, block.Statements.Count, statement);

    /// <summary>
    /// The statement before which code can run just ahead of <paramref name="node"/>: the nearest enclosing statement,
    /// or — when <paramref name="node"/> sits in an expression body (<c>=&gt; expr</c> of a method, local function or
    /// lambda) — that method, local function or lambda. Null outside statements (initializers, attributes).
    /// </summary>
    public static SyntaxNode? StatementOrExpressionBodied(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case GlobalStatementSyntax:
                    return null;
                case StatementSyntax statement:
                    return statement;
                case ArrowExpressionClauseSyntax { Parent: BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax } arrow:
                    return arrow.Parent;
                case ArrowExpressionClauseSyntax or MemberDeclarationSyntax:
                    return null;
                case ExpressionSyntax expression when current.Parent is AnonymousFunctionExpressionSyntax lambda && lambda.ExpressionBody == expression:
                    return lambda;
            }
        }

        return null;
    }

    /// <summary>
    /// Turns the expression body of a method, local function or lambda (<c>=&gt; expr</c>) into a block holding
    /// <paramref name="before"/> then the expression as a statement: <c>return expr;</c> when
    /// <paramref name="returnsValue"/>, <c>throw ...;</c> for a throw expression, else <c>expr;</c>. Other nodes
    /// come back unchanged.
    /// </summary>
    public static SyntaxNode WithBlockBody(SyntaxNode function, bool returnsValue, IEnumerable<StatementSyntax> before)
    {
        switch (function)
        {
            case BaseMethodDeclarationSyntax { ExpressionBody: { } arrow } method:
            {
                var block = FromExpression(arrow.Expression, returnsValue, before).WithTrailingTrivia(method.SemicolonToken.TrailingTrivia);
                var laidOut = (BaseMethodDeclarationSyntax)WithoutSpaceBefore(method, arrow.ArrowToken);
                return laidOut.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block);
            }

            case LocalFunctionStatementSyntax { ExpressionBody: { } arrow } local:
            {
                var block = FromExpression(arrow.Expression, returnsValue, before).WithTrailingTrivia(local.SemicolonToken.TrailingTrivia);
                var laidOut = (LocalFunctionStatementSyntax)WithoutSpaceBefore(local, arrow.ArrowToken);
                return laidOut.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block);
            }

            case AnonymousFunctionExpressionSyntax { ExpressionBody: { } expression } lambda:
                return lambda
                    .WithExpressionBody(null)
                    .WithBlock(FromExpression(expression, returnsValue, before).WithTrailingTrivia(expression.GetTrailingTrivia()));
            default:
                return function;
        }
    }

    /// <summary>The token before the arrow loses its trailing space: the block's brace goes on a line of its own.</summary>
    private static SyntaxNode WithoutSpaceBefore(SyntaxNode function, SyntaxToken arrow)
    {
        var previous = arrow.GetPreviousToken();
        return function.ReplaceToken(previous, previous.WithTrailingTrivia(previous.TrailingTrivia.Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia))));
    }

    /// <summary>The block body of a method, local function or lambda, or null when it has an expression body.</summary>
    public static BlockSyntax? BodyOf(SyntaxNode function) => function switch
    {
        BaseMethodDeclarationSyntax method => method.Body,
        LocalFunctionStatementSyntax local => local.Body,
        AnonymousFunctionExpressionSyntax lambda => lambda.Block,
        _ => null,
    };

    /// <summary><paramref name="function"/> with its block body replaced by <paramref name="body"/>.</summary>
    public static SyntaxNode WithBody(SyntaxNode function, BlockSyntax body) => function switch
    {
        BaseMethodDeclarationSyntax method => method.WithBody(body),
        LocalFunctionStatementSyntax local => local.WithBody(body),
        AnonymousFunctionExpressionSyntax lambda => lambda.WithBlock(body),
        _ => function,
    };

    private static BlockSyntax FromExpression(ExpressionSyntax expression, bool returnsValue, IEnumerable<StatementSyntax> before)
    {
        var body = expression.WithoutLeadingTrivia().WithoutTrailingTrivia();
        StatementSyntax last = body switch
        {
            ThrowExpressionSyntax thrown => SyntaxFactory.ThrowStatement(thrown.Expression),
            _ when returnsValue => SyntaxFactory.ReturnStatement(body),
            _ => SyntaxFactory.ExpressionStatement(body),
        };
        return OnSeparateLines(SyntaxFactory.Block(before.Append(last)));
    }

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
