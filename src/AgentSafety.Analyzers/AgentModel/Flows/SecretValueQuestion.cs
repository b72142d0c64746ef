using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel.Flows;

/// <summary>
/// AGS008's question: does a secret value (<see cref="SecretValues"/>) reach this use? Within the method (locals, string
/// building, local functions): a secret passed to a helper is judged where the helper writes it out. Nothing about a
/// secret's content makes it harmless, so guards clean nothing. What carries no secret: its length, a null or
/// emptiness test (numbers and <c>bool</c> carry no text), a prefix (<c>Substring(0, n)</c>, <c>Remove(n)</c>,
/// <c>key[..n]</c>), a suffix (<c>Substring(key.Length - n)</c>), and the result of a call whose name contains Mask,
/// Redact, Hash, Fingerprint or Truncate, or of a configured redactor.
/// </summary>
internal sealed class SecretValueQuestion : FlowQuestion
{
    private static readonly string[] RedactingWords = { "Mask", "Redact", "Hash", "Fingerprint", "Truncate" };

    private readonly SecretValues _values;
    private readonly SymbolNameMatcher _redactors;

    public SecretValueQuestion(SecretValues values, SymbolNameMatcher redactors)
    {
        _values = values;
        _redactors = redactors;
    }

    /// <summary>A secret-named string parameter (not a bare <c>token</c>: <see cref="SecretNames.IsBareToken"/>).</summary>
    public override Taint? Parameter(IParameterSymbol parameter, IOperation reference)
        => SecretValues.IsText(parameter.Type) && _values.HoldsSecret(parameter.Name) && !SecretNames.IsBareToken(parameter.Name)
            ? new Taint(parameter.Name, string.Empty, reference.Syntax)
            : null;

    public override Taint? Read(IOperation operation)
        => _values.SecretRead(operation) is { } name ? new Taint(name, string.Empty, operation.Syntax) : null;

    /// <summary>
    /// A secret-named local (not a bare <c>token</c>), unless its definition shows it holds none: a constant (or a choice of constants), a
    /// redactor's result or a prefix, or an item of a collection (<c>foreach (var token in words)</c>: the name is the
    /// collection's, not a secret's).
    /// </summary>
    public override Taint? Local(ILocalSymbol local, IOperation? definition, IOperation reference)
        => SecretValues.IsText(local.Type) && _values.HoldsSecret(local.Name) && !SecretNames.IsBareToken(local.Name) && !HoldsNoSecret(definition)
            ? new Taint(local.Name, string.Empty, reference.Syntax)
            : null;

    public override bool Cleans(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var name = method.Name;
        foreach (var word in RedactingWords)
        {
            if (name.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return _redactors.Matches(method) || IsPrefixOrSuffix(invocation);
    }

    private bool HoldsNoSecret(IOperation? definition)
    {
        if (definition is null)
        {
            return false;
        }

        var value = ValueOrigins.Unwrap(definition);
        return value.ConstantValue.HasValue
               || definition.Parent is IForEachLoopOperation
               || (value is IConditionalOperation conditional && conditional.WhenTrue.ConstantValue.HasValue && conditional.WhenFalse?.ConstantValue.HasValue == true)
               || (value is IInvocationOperation invocation && Cleans(invocation))
               || IsRange(value);
    }

    /// <summary><c>key[..8]</c>, <c>key[^4..]</c>: a slice of the secret, not the secret.</summary>
    private static bool IsRange(IOperation value)
        => value.Syntax is ElementAccessExpressionSyntax access && access.ArgumentList.Arguments.Any(a => a.Expression is RangeExpressionSyntax);

    /// <summary><c>key.Substring(0, 8)</c>, <c>key.Remove(8)</c>, <c>key.Substring(key.Length - 4)</c>.</summary>
    private static bool IsPrefixOrSuffix(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.ContainingType?.SpecialType != SpecialType.System_String || method.IsStatic || invocation.Arguments.Length == 0)
        {
            return false;
        }

        var start = invocation.Arguments[0].Value;
        return method.Name switch
        {
            "Substring" => start.ConstantValue is { HasValue: true, Value: 0 }
                           || (start is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract, LeftOperand: IPropertyReferenceOperation { Property.Name: "Length" } }),
            "Remove" => invocation.Arguments.Length == 1,
            _ => false,
        };
    }
}
