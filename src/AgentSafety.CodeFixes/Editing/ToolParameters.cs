using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;

namespace AgentSafety.CodeFixes.Editing;

/// <summary>
/// Which of a tool's parameters are scalars that identify or describe a call (ids, names, paths, numbers, dates,
/// enums) rather than free text (a report's body, a prompt) or secrets: what a span tag, a log line or an undo
/// can take. Shared by the fixes that write such code (AGS004, AGS005).
/// </summary>
internal static class ToolParameters
{
    /// <summary>System value types that are scalars besides the primitives, strings and enums.</summary>
    private static readonly ImmutableHashSet<string> ScalarSystemTypes = ImmutableHashSet.Create(StringComparer.Ordinal,
        "Guid", "DateTimeOffset", "TimeSpan", "DateOnly", "TimeOnly");

    /// <summary>Last words of string parameters that hold free text, not a scalar: see <see cref="IsFreeText"/>.</summary>
    private static readonly ImmutableHashSet<string> FreeTextWords = ImmutableHashSet.Create(StringComparer.Ordinal,
        "body", "content", "contents", "text", "html", "markdown", "json", "xml", "csv", "report", "document", "message",
        "prompt", "description", "notes", "note", "comment", "comments", "payload", "data", "query", "instructions", "summary");

    /// <summary>The parameters of <paramref name="method"/> that are scalars, not free text and not secret-named.</summary>
    public static IEnumerable<IParameterSymbol> Scalars(IMethodSymbol method)
        => method.Parameters.Where(p =>
            p.RefKind != RefKind.Out
            && p.Name.Length > 0
            && p.Name != "_"
            && !SecretNames.IsSecretName(p.Name)
            && IsScalar(p.Type)
            && !(p.Type.SpecialType == SpecialType.System_String && IsFreeText(p.Name)));

    /// <summary>
    /// A string parameter named for free text (<c>body</c>, <c>reportContent</c>, <c>prompt</c>, ...): its value may be
    /// a whole document, too big for a span attribute or a log line and likely to hold what nobody meant to record.
    /// </summary>
    public static bool IsFreeText(string name)
    {
        var start = name.Length - 1;
        while (start > 0 && !char.IsUpper(name[start]) && name[start] != '_')
        {
            start--;
        }

        var last = name.Substring(name[start] == '_' ? start + 1 : start).ToLowerInvariant();
        return FreeTextWords.Contains(last);
    }

    public static bool IsScalar(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_String
                   or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
                   or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
                   or SpecialType.System_Decimal or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_DateTime
               || type.TypeKind == TypeKind.Enum
               || (ScalarSystemTypes.Contains(type.Name) && type.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true });
    }
}
