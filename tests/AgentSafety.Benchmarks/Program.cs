using AgentSafety.Benchmarks;
using AgentSafety.Benchmarks.Corpus;
using AgentSafety.Benchmarks.Cost;
using AgentSafety.Benchmarks.Micro;
using AgentSafety.Tests.Verification;

BenchmarkArguments arguments;
try
{
    arguments = BenchmarkArguments.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchmarkArguments.Usage);
    return 2;
}

if (arguments.Help)
{
    Console.WriteLine(BenchmarkArguments.Usage);
    return 0;
}

if (arguments.Micro)
{
    return SecretScannerBenchmarks.Run(arguments.MicroArguments);
}

if (arguments.WriteCorpusDirectory is { } target)
{
    foreach (var file in AgentCorpus.Generate(arguments.Files, arguments.Seed))
    {
        var path = Path.Combine(target, file.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, file.Text);
    }

    Console.WriteLine($"Wrote the generated corpus ({arguments.Files} files, seed {arguments.Seed}) to {Path.GetFullPath(target)}.");
    return 0;
}

#if DEBUG
Console.WriteLine("Warning: a Debug build measures unoptimized analyzers; run with -c Release.");
#endif

if (arguments.ProjectPath is { } projectPath)
{
    var catalog = AnalyzerCatalog.CreateAll(arguments.Rules);
    var projects = await ProjectCorpus.LoadAsync(projectPath, Console.Out);
    var reports = new List<CostReport>();
    if (arguments.IdeDocuments is { } ideDocuments)
    {
        var allWithin = true;
        foreach (var project in projects)
        {
            allWithin &= await IdeLatency.MeasureAsync(project.Name, project.Files, project.References, catalog, ideDocuments, Console.Out, project.ParseOptions, project.CompilationOptions);
        }

        return arguments.Check && !allWithin ? 1 : 0;
    }

    foreach (var project in projects)
    {
        Console.WriteLine();
        Console.WriteLine($"Project {project.Name}: {project.Files.Count} files.");
        var projectReport = await CostMeasurement.MeasureAsync(
            project.Name, project.Files, project.References, catalog, arguments.Repeat, Console.Out, project.ParseOptions, project.CompilationOptions);
        projectReport.Write(Console.Out, arguments.Budget);
        reports.Add(projectReport);
    }

    if (reports.Count == 0)
    {
        Console.Error.WriteLine($"No C# project loaded from {projectPath}.");
        return 2;
    }

    var combined = CostReport.Combine($"{Path.GetFullPath(projectPath)} ({reports.Count} project(s), loaded with MSBuildWorkspace)", reports);
    Console.WriteLine();
    Console.WriteLine("All projects together:");
    combined.Write(Console.Out, arguments.Budget);
    return arguments.Check && combined.Violations(arguments.Budget).Count > 0 ? 1 : 0;
}

var files = arguments.CorpusDirectory is { } directory ? CorpusFile.Load(directory) : AgentCorpus.Generate(arguments.Files, arguments.Seed);
if (files.Count == 0)
{
    Console.Error.WriteLine($"No .cs files under {arguments.CorpusDirectory}.");
    return 2;
}

var corpusName = arguments.CorpusDirectory is null
    ? $"generated (seed {arguments.Seed})"
    : Path.GetFullPath(arguments.CorpusDirectory);
var analyzers = AnalyzerCatalog.CreateAll(arguments.Rules);
Console.WriteLine($"AgentSafety cost benchmark: {analyzers.Length} analyzer(s) ({string.Join(", ", analyzers.Select(AnalyzerCatalog.Ids))}), .NET {Environment.Version}, {Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC.");
if (arguments.IdeDocuments is { } documentCount)
{
    var within = await IdeLatency.MeasureAsync(corpusName, files, TestReferences.Default, analyzers, documentCount, Console.Out);
    return arguments.Check && !within ? 1 : 0;
}

var report = await CostMeasurement.MeasureAsync(corpusName, files, TestReferences.Default, analyzers, arguments.Repeat, Console.Out);
Console.WriteLine();
report.Write(Console.Out, arguments.Budget);
return arguments.Check && report.Violations(arguments.Budget).Count > 0 ? 1 : 0;
