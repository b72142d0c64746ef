using System.Collections.Immutable;
using AgentSafety.Benchmarks.Corpus;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Tests.Robustness;

/// <summary>
/// The C# sources the robustness tests start from: the sample agent, every fixture of the rule tests, the language
/// constructs, and a slice of the benchmark's generated agent corpus.
/// </summary>
internal static class FuzzCorpus
{
    /// <summary>What the SDK's implicit usings add to the sample (and to some fuzz batches).</summary>
    public const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;

        """;

    private static readonly Lazy<IReadOnlyList<RuleFixture>> Fixtures = new(HarvestRuleFixtures);

    /// <summary>Every <c>*.cs</c> of samples/AgentSample.</summary>
    public static IReadOnlyList<(string Name, string Text)> Sample()
        => Directory.EnumerateFiles(RepositoryPaths.Combine("samples", "AgentSample"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => ("Sample/" + Path.GetRelativePath(RepositoryPaths.Combine("samples", "AgentSample"), p).Replace('\\', '/'), File.ReadAllText(p)))
            .ToList();

    /// <summary>
    /// Every raw string literal of tests/AgentSafety.Tests/Rules/*.cs with its markup removed: the rule tests'
    /// sources and expected fixed sources (and some option or config text, which simply does not compile).
    /// </summary>
    public static IReadOnlyList<RuleFixture> RuleFixtures => Fixtures.Value;

    /// <summary>A small slice of the benchmark's generated agent code (its shared usings and library stubs first).</summary>
    public static IReadOnlyList<CorpusFile> GeneratedAgentCode(int files) => AgentCorpus.Generate(files, seed: 11);

    private static IReadOnlyList<RuleFixture> HarvestRuleFixtures()
    {
        var fixtures = new List<RuleFixture>();
        foreach (var path in Directory.EnumerateFiles(RepositoryPaths.Combine("tests", "AgentSafety.Tests", "Rules"), "*.cs").Order(StringComparer.Ordinal))
        {
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.Latest), path);
            foreach (var literal in tree.GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>())
            {
                if (!literal.Token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
                {
                    continue;
                }

                string text;
                try
                {
                    TestFileMarkupParser.GetSpans(literal.Token.ValueText, out text, out ImmutableDictionary<string, ImmutableArray<TextSpan>> _);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                var line = literal.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                fixtures.Add(new RuleFixture($"{Path.GetFileNameWithoutExtension(path)}:{line}", text));
            }
        }

        return fixtures;
    }
}

/// <summary>A rule test's source, named <c>TestClass:line</c>.</summary>
internal sealed record RuleFixture(string Name, string Text);
