using System.Globalization;
using AgentSafety.Benchmarks.Corpus;
using AgentSafety.Benchmarks.Cost;

namespace AgentSafety.Benchmarks;

/// <summary>The command line (see <see cref="Usage"/>).</summary>
internal sealed class BenchmarkArguments
{
    public const string Usage = """
        Usage: dotnet run -c Release --project tests/AgentSafety.Benchmarks -- [options]

          --corpus DIR       measure the *.cs files under DIR instead of the generated corpus
          --project PATH     measure a restored project, or every C# project of a .sln/.slnx, as a build compiles
                             it (MSBuildWorkspace: its own references, options and generated sources); per project
                             and all together (--check judges the total)
          --files N          generated corpus size in files (default 500, over 100k lines)
          --seed N           generated corpus seed (default 20260)
          --ide [N]          IDE latency instead: what the rules add to one document's analysis, cold and warm, on N
                             documents of the corpus or project (default 50)
          --rule ID          measure only the analyzer of rule ID (repeatable): to profile one rule
          --repeat N         measured runs; the median is reported (default 5, after two warm-up runs)
          --check            exit with 1 when over budget (or an analyzer threw)
          --max-total PCT    budget for all rules together, % of the compiler's binding time (default 3)
          --max-rule PCT     budget for each rule (default 1)
          --write-corpus DIR write the generated corpus to DIR and exit
          --micro [ARGS]     BenchmarkDotNet micro-benchmark of the secret scanner (AGS001); ARGS go to BenchmarkDotNet
        """;

    public string? CorpusDirectory { get; private set; }

    public string? ProjectPath { get; private set; }

    public int? IdeDocuments { get; private set; }

    public int Files { get; private set; } = AgentCorpus.DefaultFiles;

    public int Seed { get; private set; } = AgentCorpus.DefaultSeed;

    public int Repeat { get; private set; } = 5;

    public bool Check { get; private set; }

    /// <summary>The rules whose analyzers are measured; empty: all.</summary>
    public List<string> Rules { get; } = new();

    public CostBudget Budget { get; private set; } = new();

    public string? WriteCorpusDirectory { get; private set; }

    public bool Micro { get; private set; }

    public string[] MicroArguments { get; private set; } = Array.Empty<string>();

    public bool Help { get; private set; }

    public static BenchmarkArguments Parse(string[] args)
    {
        var parsed = new BenchmarkArguments();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--corpus":
                    parsed.CorpusDirectory = Value(args, ref i);
                    break;
                case "--project":
                    parsed.ProjectPath = Value(args, ref i);
                    break;
                case "--ide":
                    parsed.IdeDocuments = i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var documents) && documents > 0
                        ? int.Parse(args[++i], CultureInfo.InvariantCulture)
                        : 50;
                    break;
                case "--files":
                    parsed.Files = Positive(args, ref i);
                    break;
                case "--seed":
                    parsed.Seed = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
                    break;
                case "--repeat":
                    parsed.Repeat = Positive(args, ref i);
                    break;
                case "--check":
                    parsed.Check = true;
                    break;
                case "--rule":
                    parsed.Rules.Add(Value(args, ref i).ToUpperInvariant());
                    break;
                case "--max-total":
                    parsed.Budget = parsed.Budget with { MaxTotalPercent = Percent(args, ref i) };
                    break;
                case "--max-rule":
                    parsed.Budget = parsed.Budget with { MaxRulePercent = Percent(args, ref i) };
                    break;
                case "--write-corpus":
                    parsed.WriteCorpusDirectory = Value(args, ref i);
                    break;
                case "--micro":
                    parsed.Micro = true;
                    parsed.MicroArguments = args[(i + 1)..];
                    return parsed;
                case "-h" or "--help":
                    parsed.Help = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        return parsed;
    }

    private static string Value(string[] args, ref int i)
        => ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int Positive(string[] args, ref int i)
    {
        var value = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
        return value > 0 ? value : throw new ArgumentException($"{args[i - 1]} must be positive.");
    }

    private static double Percent(string[] args, ref int i)
    {
        var value = double.Parse(Value(args, ref i), CultureInfo.InvariantCulture);
        return value > 0 ? value : throw new ArgumentException($"{args[i - 1]} must be positive.");
    }
}
