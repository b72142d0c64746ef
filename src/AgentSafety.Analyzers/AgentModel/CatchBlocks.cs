using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

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

    /// <summary>
    /// A comment anywhere in the block that says why (<c>catch { // Process has already exited }</c>,
    /// <c>catch { // Ignore: the file may be locked; \n return null; }</c>): the author decided. A comment that says
    /// the handling is still to be written (<c>TODO</c>, <c>FIXME</c>, <c>HACK</c>) is not a reason.
    /// </summary>
    public static bool HoldsExplanation(BlockSyntax block)
    {
        // Most blocks hold no comment: their text, read character by character, says so before any trivia is walked.
        if (!MayHoldComment(block))
        {
            return false;
        }

        foreach (var trivia in block.DescendantTrivia(block.Span))
        {
            if (IsComment(trivia) && !IsToDo(trivia.ToString()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>False when the text of <paramref name="node"/> holds no <c>//</c> or <c>/*</c>: no comment in it.</summary>
    private static bool MayHoldComment(SyntaxNode node)
    {
        var text = node.SyntaxTree.GetText();
        var span = node.Span;
        for (var i = span.Start; i < span.End - 1; i++)
        {
            if (text[i] == '/' && text[i + 1] is '/' or '*')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The Try pattern: a method named <c>Try</c> + an upper-case letter (<c>TryParse</c>, <c>TryReadErrorAsync</c>)
    /// returning <c>bool</c> or a nullable type (also through <c>Task</c>/<c>ValueTask</c>) reports a failure by its
    /// result: that is its contract.
    /// </summary>
    public static bool IsTryPatternMethod(IMethodSymbol? method)
    {
        if (method is null || method.Name.Length < 4 || !method.Name.StartsWith("Try", StringComparison.Ordinal) || !char.IsUpper(method.Name[3]))
        {
            return false;
        }

        var result = method.ReturnType;
        if (result is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } awaited
            && awaited.Name is "Task" or "ValueTask"
            && awaited.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
        {
            result = awaited.TypeArguments[0];
        }

        return result.SpecialType == SpecialType.System_Boolean
               || result.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
               || result.NullableAnnotation == NullableAnnotation.Annotated;
    }

    /// <summary>
    /// True when every <c>return</c> of the block (outside lambdas and local functions) returns <c>false</c>,
    /// <c>null</c> or <c>default</c>: the Try pattern's failure answer. A block with no return falls through.
    /// </summary>
    public static bool ReturnsOnlyFailure(BlockSyntax block)
    {
        foreach (var node in block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is ReturnStatementSyntax { Expression: { } value } && !IsFailureValue(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A catch that only moves on to the next candidate (<c>catch { continue; }</c>) of a loop that throws when no
    /// candidate succeeds (the statement after the loop is a <c>throw</c>): the failure is reported once all have failed.
    /// </summary>
    public static bool TriesNextCandidate(BlockSyntax block)
    {
        if (block.Statements.Count != 1 || block.Statements[0] is not ContinueStatementSyntax)
        {
            return false;
        }

        var loop = block.Ancestors().FirstOrDefault(a => a is ForEachStatementSyntax or ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax
                                                          or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax);
        if (loop is not StatementSyntax { Parent: BlockSyntax holder } statement)
        {
            return false;
        }

        var index = holder.Statements.IndexOf(statement);
        return index >= 0 && index + 1 < holder.Statements.Count && holder.Statements[index + 1] is ThrowStatementSyntax;
    }

    /// <summary>
    /// An empty catch around a probe for a value: a try that only reads and assigns (<c>try { _processId = process.Id; }
    /// catch { }</c>, <c>try { return $"{Convert.FromBase64String(data).Length} bytes"; } catch { }</c>), with no action
    /// in it (no call returning nothing or a task, no await, no loop, no lambda). The value stays absent, and the code
    /// after the catch handles its absence.
    /// </summary>
    public static bool IsValueProbe(ICatchClauseOperation catchClause)
    {
        if (catchClause.Handler.Operations.Length != 0 || catchClause.Parent is not ITryOperation { Body: { Operations.Length: > 0 } body })
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case IAwaitOperation or ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation or IUsingOperation or ITryOperation:
                    return false;
                case IInvocationOperation invocation when invocation.TargetMethod.ReturnsVoid || IsTaskLike(invocation.Type):
                    return false;
                case IExpressionStatementOperation { Operation: not ISimpleAssignmentOperation }:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A catch that answers a yes/no question about an object's state that the object can no longer be asked: the try
    /// only returns a <c>bool</c> property's value, with no call (<c>try { return process.HasExited; }</c>), and the catch
    /// only returns a constant (<c>catch { return true; }</c>). The constant is the answer when reading the state throws
    /// (the process is gone, the socket disposed); nothing else was attempted. A property that unwraps a computation's
    /// outcome (<c>task.Result</c>, <c>lazy.Value</c>) rethrows that computation's failure: not a state question.
    /// </summary>
    public static bool AnswersForAnUnaskableProperty(ICatchClauseOperation catchClause)
        => catchClause.Handler.Operations.Length == 1
           && catchClause.Handler.Operations[0] is IReturnOperation { ReturnedValue: { } answer }
           && ValueOrigins.Unwrap(answer).ConstantValue.HasValue
           && catchClause.Parent is ITryOperation { Body.Operations: { Length: 1 } tried }
           && tried[0] is IReturnOperation { ReturnedValue: { } read }
           && IsStateQuestion(ValueOrigins.Unwrap(read));

    private static bool IsPropertyRead(IOperation operation)
        => operation switch
        {
            IPropertyReferenceOperation { Property.IsIndexer: false, Instance: var instance } => instance is null || IsPropertyReadOrReference(ValueOrigins.Unwrap(instance)),
            _ => false,
        };

    private static bool IsStateQuestion(IOperation operation)
        => operation is IPropertyReferenceOperation { Property: { Type.SpecialType: SpecialType.System_Boolean, Name: not ("Result" or "Value") } }
           && IsPropertyRead(operation);

    private static bool IsPropertyReadOrReference(IOperation operation)
        => operation is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IInstanceReferenceOperation
           || IsPropertyRead(operation);

    private static bool IsTaskLike(ITypeSymbol? type)
        => type is { Name: "Task" or "ValueTask" } && type.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";

    private static bool IsFailureValue(ExpressionSyntax value)
    {
        while (value is ParenthesizedExpressionSyntax parenthesized)
        {
            value = parenthesized.Expression;
        }

        return value.Kind() is SyntaxKind.FalseLiteralExpression or SyntaxKind.NullLiteralExpression or SyntaxKind.DefaultLiteralExpression or SyntaxKind.DefaultExpression;
    }

    private static bool IsToDo(string comment)
    {
        var text = comment.TrimStart('/', '*', ' ', '\t');
        return text.StartsWith("TODO", StringComparison.OrdinalIgnoreCase)
               || text.StartsWith("FIXME", StringComparison.OrdinalIgnoreCase)
               || text.StartsWith("HACK", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsComment(SyntaxTrivia trivia)
        => trivia.IsKind(SyntaxKind.SingleLineCommentTrivia)
           || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)
           || trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)
           || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia);
}
