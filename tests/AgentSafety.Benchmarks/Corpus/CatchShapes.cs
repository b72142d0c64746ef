namespace AgentSafety.Benchmarks.Corpus;

/// <summary>
/// The catch clauses agent code is written with, compliant and not: logged, rethrown, recorded on the trace,
/// filtered, cancellation, commented-empty, empty, canned answers, hidden counters, helper-recorded failures.
/// </summary>
internal static class CatchShapes
{
    private const int ShapeCount = 16;

    private static readonly int[] SpecificFirst = { 0, 1, 3, 14 };

    private static readonly int[] AfterSpecific = { 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15 };

    /// <summary>
    /// A try statement around <paramref name="tryBody"/> (already indented by <paramref name="indent"/> + 4) with one
    /// or two catch clauses, and a trailing <c>return</c> of the fallback when the member returns a value.
    /// </summary>
    public static string TryCatch(CorpusWriter file, string indent, string tryBody, CatchSite site)
    {
        file.Use("System.Diagnostics", "System.Text.Json");
        var random = file.Random;
        var inner = indent + "    ";
        var writer = new System.Text.StringBuilder();
        writer.Append(indent).Append("try\n").Append(indent).Append("{\n").Append(tryBody).Append(indent).Append("}\n");
        if (random.Next(10) < 3)
        {
            // A specific clause, then a broader one: the order compiles (CS0160).
            writer.Append(Clause(SpecificFirst[random.Next(SpecificFirst.Length)], indent, inner, site));
            writer.Append(Clause(AfterSpecific[random.Next(AfterSpecific.Length)], indent, inner, site));
        }
        else
        {
            writer.Append(Clause(random.Next(ShapeCount), indent, inner, site));
        }

        if (site.Fallback is not null)
        {
            writer.Append(indent).Append("return ").Append(site.Fallback).Append(";\n");
        }

        return writer.ToString();
    }

    private static string Clause(int shape, string indent, string inner, CatchSite site)
    {
        var log = site.Logger;
        var fallbackReturn = site.Fallback is null ? "return;" : "return " + site.Fallback + ";";
        var canned = site.Fallback is null ? "return;" : "return " + site.CannedAnswer + ";";
        string head;
        string body;
        switch (shape)
        {
            case 0:
                head = "catch (HttpRequestException ex)";
                body = log is null
                    ? $"{inner}Activity.Current?.AddException(ex);\n{inner}{fallbackReturn}\n"
                    : $"{inner}{log}.LogWarning(ex, \"{site.Member} could not reach the service\");\n{inner}{fallbackReturn}\n";
                break;
            case 1:
                head = "catch (JsonException ex)";
                body = site.Fallback is null || !site.ReturnsText
                    ? $"{inner}throw new InvalidOperationException(\"{site.Member} received malformed JSON\", ex);\n"
                    : $"{inner}return \"invalid JSON: \" + ex.Message;\n";
                break;
            case 2:
                head = "catch (OperationCanceledException)";
                body = $"{inner}throw;\n";
                break;
            case 3:
                head = "catch (HttpRequestException)";
                body = $"{inner}// The service is optional: without it the answer is only less detailed.\n";
                break;
            case 4:
                head = "catch (Exception)";
                body = $"{inner}{canned}\n";
                break;
            case 5:
                head = "catch (Exception ex) when (ex is not OperationCanceledException)";
                body = log is null
                    ? $"{inner}Trace.TraceError(\"{site.Member} failed: {{0}}\", ex);\n{inner}throw;\n"
                    : $"{inner}{log}.LogError(ex, \"{site.Member} failed\");\n{inner}throw;\n";
                break;
            case 6:
                head = "catch";
                body = string.Empty;
                break;
            case 7:
                head = "catch (Exception ex)";
                body = $"{inner}Activity.Current?.AddException(ex);\n{inner}{canned}\n";
                break;
            case 8:
                head = "catch (Exception ex)";
                body = site.Fallback is null || !site.ReturnsText
                    ? $"{inner}throw new InvalidOperationException($\"{site.Member} failed: {{ex.Message}}\", ex);\n"
                    : $"{inner}return $\"{site.Member} failed: {{ex.Message}}\";\n";
                break;
            case 9:
                head = "catch (Exception)";
                body = site.HasFailureHelper
                    ? $"{inner}ReportFailure(\"{site.Member}\");\n{inner}{canned}\n"
                    : $"{inner}throw;\n";
                break;
            case 10:
                head = "catch (Exception)";
                body = site.HasFailureCounter ? $"{inner}_failures++;\n{inner}{canned}\n" : $"{inner}{canned}\n";
                break;
            case 11:
                head = "catch (AggregateException ex)";
                body = log is null
                    ? $"{inner}{canned}\n"
                    : $"{inner}{log}.LogError(ex.Flatten(), \"{site.Member} failed\");\n{inner}{fallbackReturn}\n";
                break;
            case 12:
                head = "catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)";
                if (!site.HasCancellationToken)
                {
                    head = "catch (TaskCanceledException)";
                }

                body = $"{inner}{fallbackReturn}\n";
                break;
            case 13:
                head = "catch (Exception ex) when (ex is OperationCanceledException)";
                body = string.Empty;
                break;
            case 14:
                head = "catch (IOException)";
                body = $"{inner}{canned}\n";
                break;
            default:
                head = "catch (Exception ex)";
                body = log is null
                    ? $"{inner}Console.Error.WriteLine(ex);\n{inner}{fallbackReturn}\n"
                    : $"{inner}{log}.LogError(ex, \"{site.Member} failed; answering with the fallback\");\n{inner}{fallbackReturn}\n";
                break;
        }

        return $"{indent}{head}\n{indent}{{\n{body}{indent}}}\n";
    }
}

/// <summary>What a catch clause can use at its site: the logger in scope, the member's fallback value, and its helpers.</summary>
internal sealed record CatchSite(string Member, string? Logger, string? Fallback, string CannedAnswer)
{
    public bool HasFailureHelper { get; init; }

    public bool HasFailureCounter { get; init; }

    public bool HasCancellationToken { get; init; }

    /// <summary>The member returns text, so a catch may answer with the exception's message.</summary>
    public bool ReturnsText { get; init; } = true;

    /// <summary>
    /// Indents <paramref name="lines"/> by <paramref name="indent"/> plus one level, for a try block.
    /// </summary>
    public static string Block(string indent, params string[] lines)
        => string.Concat(lines.Select(line => line.Length == 0 ? "\n" : indent + "    " + line + "\n"));
}
