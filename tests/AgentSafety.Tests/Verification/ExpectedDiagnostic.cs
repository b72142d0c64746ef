using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Tests.Verification;

/// <summary>An expected diagnostic: an id at a numbered markup location, optionally with message arguments and severity.</summary>
internal sealed record ExpectedDiagnostic(string Id)
{
    public int? LocationIndex { get; init; }

    public string? Path { get; init; }

    public TextSpan? Span { get; init; }

    public object[]? Arguments { get; init; }

    public string? Message { get; init; }

    public DiagnosticSeverity? Severity { get; init; }

    public static ExpectedDiagnostic Diagnostic(string id) => new(id);

    /// <summary>At the span marked <c>{|#index:...|}</c>.</summary>
    public ExpectedDiagnostic At(int index) => this with { LocationIndex = index };

    public ExpectedDiagnostic WithArguments(params object[] arguments) => this with { Arguments = arguments };

    public ExpectedDiagnostic WithMessage(string message) => this with { Message = message };

    public ExpectedDiagnostic WithSeverity(DiagnosticSeverity severity) => this with { Severity = severity };
}
