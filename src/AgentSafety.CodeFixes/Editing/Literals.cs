using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AgentSafety.CodeFixes.Editing;

/// <summary>Literal expressions the fixes write (one place, so every fix spells them alike).</summary>
internal static class Literals
{
    public static LiteralExpressionSyntax String(string value) => LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(value));

    public static LiteralExpressionSyntax Number(int value) => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(value));

    public static LiteralExpressionSyntax Number(double value) => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(value));
}
