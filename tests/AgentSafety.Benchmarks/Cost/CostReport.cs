using System.Globalization;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Benchmarks.Cost;

/// <summary>The budget: all AgentSafety rules together, and each rule alone, as a share of the compiler's binding time.</summary>
internal sealed record CostBudget(double MaxTotalPercent = CostBudget.DefaultTotalPercent, double MaxRulePercent = CostBudget.DefaultRulePercent)
{
    public const double DefaultTotalPercent = 3;
    public const double DefaultRulePercent = 1;
}

/// <summary>One analyzer's median execution time, its median share of the compiler's time (%), and what it found.</summary>
internal sealed record RuleCost(string Ids, string Analyzer, double Milliseconds, double Percent, int Diagnostics);

/// <summary>What one benchmark measured: the compiler's binding time and each rule's share of it.</summary>
internal sealed record CostReport(
    string Corpus,
    int Files,
    int Lines,
    int Runs,
    int WarmUps,
    bool JitSettled,
    double ColdPercent,
    double CompileMilliseconds,
    double TotalPercent,
    IReadOnlyList<Diagnostic> CompilerErrors,
    IReadOnlyList<RuleCost> Rules,
    IReadOnlyList<string> Crashes)
{
    public double TotalMilliseconds => Rules.Sum(r => r.Milliseconds);

    /// <summary>
    /// Several projects measured one by one, as one figure: times added up, each share the summed rule time over the
    /// summed compile time (a build of the projects pays both sums).
    /// </summary>
    public static CostReport Combine(string corpus, IReadOnlyList<CostReport> reports)
    {
        var compile = reports.Sum(r => r.CompileMilliseconds);
        var rules = reports[0].Rules.Select((rule, i) =>
        {
            var milliseconds = reports.Sum(r => r.Rules[i].Milliseconds);
            return rule with { Milliseconds = milliseconds, Percent = 100 * milliseconds / compile, Diagnostics = reports.Sum(r => r.Rules[i].Diagnostics) };
        }).ToList();
        return new CostReport(
            corpus,
            reports.Sum(r => r.Files),
            reports.Sum(r => r.Lines),
            reports.Min(r => r.Runs),
            reports.Max(r => r.WarmUps),
            reports.All(r => r.JitSettled),
            reports.Sum(r => r.ColdPercent * r.CompileMilliseconds) / compile,
            compile,
            rules.Sum(r => r.Percent),
            reports.SelectMany(r => r.CompilerErrors).ToList(),
            rules,
            reports.SelectMany(r => r.Crashes).Distinct().ToList());
    }

    /// <summary>Why the measured cost is over <paramref name="budget"/> (or an analyzer threw); empty when within it.</summary>
    public IReadOnlyList<string> Violations(CostBudget budget)
    {
        var violations = new List<string>();
        if (TotalPercent > budget.MaxTotalPercent)
        {
            violations.Add(Format($"all rules together cost {TotalPercent:F2} % of the compiler's time (budget {budget.MaxTotalPercent:0.##} %)"));
        }

        foreach (var rule in Rules.Where(r => r.Percent > budget.MaxRulePercent))
        {
            violations.Add(Format($"{rule.Ids} ({rule.Analyzer}) costs {rule.Percent:F2} % (budget {budget.MaxRulePercent:0.##} % per rule)"));
        }

        violations.AddRange(Crashes.Select(c => "an analyzer threw: " + c));
        return violations;
    }

    public void Write(TextWriter writer, CostBudget budget)
    {
        var settled = JitSettled ? "JIT settled" : $"JIT NOT settled after {CostMeasurement.MaxWarmUpRuns}";
        writer.WriteLine(Format($"Corpus: {Corpus}: {Files:N0} files, {Lines:N0} lines; median of {Runs} run(s) after {WarmUps} warm-up run(s) ({settled}); cold first run, JIT included: all rules {ColdPercent:F2} % of compile."));
        writer.WriteLine(Format($"Compiler binding time (GetDiagnostics, one thread): {CompileMilliseconds:N0} ms; compiler errors in the corpus: {CompilerErrors.Count}."));
        foreach (var error in CompilerErrors.Take(5))
        {
            writer.WriteLine("  " + error.ToString());
        }

        writer.WriteLine();
        var analyzerWidth = Math.Max("Analyzer".Length, Rules.Select(r => r.Analyzer.Length).DefaultIfEmpty(0).Max());
        var idWidth = Math.Max("Rule".Length, Rules.Select(r => r.Ids.Length).DefaultIfEmpty(0).Max());
        writer.WriteLine($"{"Rule".PadRight(idWidth)}  {"Analyzer".PadRight(analyzerWidth)}  {"ms",10}  {"% of compile",12}  {"diagnostics",11}");
        foreach (var rule in Rules)
        {
            writer.WriteLine(Format($"{rule.Ids.PadRight(idWidth)}  {rule.Analyzer.PadRight(analyzerWidth)}  {rule.Milliseconds,10:N1}  {rule.Percent,10:F2} %  {rule.Diagnostics,11:N0}"));
        }

        writer.WriteLine();
        var violations = Violations(budget);
        var verdict = violations.Count == 0 ? "within budget" : "OVER BUDGET: " + string.Join("; ", violations);
        writer.WriteLine(Format($"All AGS rules: {TotalMilliseconds:N1} ms, {TotalPercent:F2} % of the compiler's binding time ({CompileMilliseconds:N0} ms); budget {budget.MaxTotalPercent:0.##} % in total, {budget.MaxRulePercent:0.##} % per rule: {verdict}."));
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
