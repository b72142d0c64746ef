using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// Code that a test expects to fail: a delegate given to an assertion that it throws. A call in it is the failure the
/// test asks for, not a call site to protect. The shapes of the common test frameworks:
/// <list type="bullet">
/// <item>xunit, NUnit, MSTest: <c>Assert.Throws[Any][Async]</c>, <c>Assert.ThrowsException[Async]</c>,
/// <c>Assert.ThrowsExactly[Async]</c>, <c>Assert.Catch[Async]</c>, and NUnit's <c>Assert.That(del, Throws...)</c>;</item>
/// <item>FluentAssertions (and its forks): <c>act.Should().Throw*()</c> on a delegate held by a local of the method, or
/// on <c>Invoking(...)</c>/<c>Awaiting(...)</c>/<c>FluentActions.Invoking(...)</c>.</item>
/// </list>
/// Matched by name (the assertion's type is named <c>Assert</c>; the fluent one is <c>Should()</c> followed by a
/// <c>Throw</c> method): each framework spells it this way and none of these names runs the delegate under a retry.
/// </summary>
internal static class ExpectedFailures
{
    private static readonly HashSet<string> AssertThrows = NameSet.Of(
        "Throws", "ThrowsAsync", "ThrowsAny", "ThrowsAnyAsync", "ThrowsException", "ThrowsExceptionAsync",
        "ThrowsExactly", "ThrowsExactlyAsync", "Catch", "CatchAsync");

    private static readonly HashSet<string> AssertThat = NameSet.Of("That", "ThatAsync");

    private static readonly HashSet<string> FluentThrows = NameSet.Of(
        "Throw", "ThrowAsync", "ThrowExactly", "ThrowExactlyAsync", "ThrowWithinAsync");

    private static readonly HashSet<string> FluentSubjects = NameSet.Of("Invoking", "Awaiting");

    /// <summary>
    /// True when <paramref name="lambda"/> is the delegate of an assertion that it throws: given to
    /// <paramref name="taker"/> (null when the lambda is not an argument), or held by a local that the method asserts on.
    /// </summary>
    public static bool ExpectsFailure(IAnonymousFunctionOperation lambda, IInvocationOperation? taker)
    {
        if (taker is not null)
        {
            var name = taker.TargetMethod.Name;
            if (taker.TargetMethod.ContainingType?.Name == "Assert")
            {
                return AssertThrows.Contains(name) || (AssertThat.Contains(name) && taker.Arguments.Any(IsThrowsConstraint));
            }

            // subject.Invoking(s => s.Call()).Should().Throw<T>(), FluentActions.Awaiting(() => ...).Should().ThrowAsync<T>()
            return FluentSubjects.Contains(name) && AssertedToThrow(taker);
        }

        // Func<Task> act = async () => await client.CallAsync(); await act.Should().ThrowAsync<T>();
        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { } local } })
        {
            return false;
        }

        var root = (IOperation)lambda;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        // A cheap look at the method's text before walking its operations.
        if (root.Syntax.ToString().IndexOf(".Should()", StringComparison.Ordinal) < 0)
        {
            return false;
        }

        foreach (var reference in root.Descendants().OfType<ILocalReferenceOperation>())
        {
            if (SymbolEqualityComparer.Default.Equals(reference.Local, local) && AssertedToThrow(reference))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>subject.Should().Throw...()</c>: the subject, given to <c>Should()</c>, whose result is asked to throw.</summary>
    private static bool AssertedToThrow(IOperation subject)
    {
        var current = subject.Parent;
        while (current is IConversionOperation or IArgumentOperation)
        {
            current = current.Parent;
        }

        if (current is not IInvocationOperation { TargetMethod.Name: "Should" } should)
        {
            return false;
        }

        current = should.Parent;
        while (current is IConversionOperation or IArgumentOperation)
        {
            current = current.Parent;
        }

        return current is IInvocationOperation { TargetMethod.Name: { } name } && FluentThrows.Contains(name);
    }

    /// <summary>NUnit's <c>Throws.TypeOf&lt;T&gt;()</c>, <c>Throws.Exception</c>, ...: a constraint read from the <c>Throws</c> class.</summary>
    private static bool IsThrowsConstraint(IArgumentOperation argument)
    {
        ExpressionSyntax? expression = argument.Value.Syntax as ExpressionSyntax;
        while (true)
        {
            switch (expression)
            {
                case InvocationExpressionSyntax invocation:
                    expression = invocation.Expression;
                    continue;
                case MemberAccessExpressionSyntax access:
                    expression = access.Expression;
                    continue;
                case IdentifierNameSyntax { Identifier.ValueText: "Throws" }:
                    return true;
                default:
                    return false;
            }
        }
    }
}
