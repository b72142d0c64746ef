using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Tests.Verification;

/// <summary>
/// The references test sources compile against: the test project's own compile-time references — the SDK's reference
/// pack and the real agent SDK packages it restores (Microsoft.Extensions.AI, Agent Framework, Semantic Kernel, MCP,
/// OpenAI, Polly, Http.Resilience, EF Core, OpenTelemetry) — as listed at build time in <c>test-references.txt</c>
/// (tests/Directory.Build.targets), less the test tooling. Offline, deterministic, and exactly the versions in
/// Directory.Packages.props. (Microsoft.CodeAnalysis.Testing's own <c>ReferenceAssemblies.AddPackages</c> resolves
/// packages through NuGet at test time; here, on a cold package cache, it silently left out dependencies it had not
/// downloaded yet, a different set on each run: see tests/AgentSafety.Tests/README.md.)
/// </summary>
internal static class TestReferences
{
    private const string ListFile = "test-references.txt";

    /// <summary>Package ids (or id prefixes) of the tooling around the tests: never what an agent project references.</summary>
    private static readonly string[] Tooling =
    {
        "Microsoft.CodeAnalysis", "xunit", "Microsoft.TestPlatform", "Microsoft.NET.Test.Sdk", "Microsoft.CodeCoverage",
        "Microsoft.VisualStudio", "System.Composition", "System.ComponentModel.Composition", "NuGet", "DiffPlex",
        "Humanizer", "Microsoft.Build", "Newtonsoft.Json",

        // BenchmarkDotNet and its dependencies: this file is linked into tests/AgentSafety.Benchmarks too.
        "BenchmarkDotNet", "Perfolizer", "CommandLineParser", "Iced", "Gee.External", "Microsoft.Diagnostics",
        "Microsoft.DotNet", "Microsoft.Win32.Registry", "System.Management",
    };

    private static readonly Lazy<ImmutableArray<(string Package, MetadataReference Reference)>> All = new(Load);

    private static readonly Lazy<ImmutableArray<(string Package, MetadataReference Reference)>> Older = new(() => Load(older: true));

    public static ImmutableArray<MetadataReference> Default => All.Value.Select(r => r.Reference).ToImmutableArray();

    /// <summary>
    /// An older version of a package (<c>"ModelContextProtocol.Core@0.2.0-preview.3"</c>), for rules that still know an
    /// API the current version dropped: downloaded by the test project's <c>PackageDownload</c> and listed in
    /// test-references.txt under its id and version (tests/AgentSafety.Tests.csproj).
    /// </summary>
    public static MetadataReference OlderPackage(string packageAtVersion)
        => Older.Value.FirstOrDefault(r => r.Package.Equals(packageAtVersion, StringComparison.OrdinalIgnoreCase)).Reference
           ?? throw new InvalidOperationException($"{packageAtVersion} is not in {ListFile}: add it to the test project's OlderPackage items.");

    /// <summary>
    /// <see cref="Default"/> without the packages or assemblies named <paramref name="names"/> or nested under them
    /// (<c>Polly</c> drops Polly, Polly.Core and Polly.Extensions): code compiled as if those packages were not referenced.
    /// </summary>
    public static ImmutableArray<MetadataReference> Without(IReadOnlyCollection<string> names)
        => names.Count == 0
            ? Default
            : All.Value
                .Where(r => !names.Any(name => IsOrNestedUnder(r.Package, name) || IsOrNestedUnder(Path.GetFileNameWithoutExtension(r.Reference.Display), name)))
                .Select(r => r.Reference)
                .ToImmutableArray();

    private static bool IsOrNestedUnder(string? assemblyName, string name)
        => !string.IsNullOrEmpty(assemblyName)
           && (assemblyName.Equals(name, StringComparison.OrdinalIgnoreCase)
               || assemblyName.StartsWith(name + ".", StringComparison.OrdinalIgnoreCase));

    private static ImmutableArray<(string Package, MetadataReference Reference)> Load() => Load(older: false);

    private static ImmutableArray<(string Package, MetadataReference Reference)> Load(bool older)
    {
        var list = Path.Combine(AppContext.BaseDirectory, ListFile);
        if (!File.Exists(list))
        {
            throw new InvalidOperationException($"{list} is missing: tests/Directory.Build.targets writes it at build.");
        }

        return File.ReadAllLines(list)
            .Select(line => line.Split('|', 2))
            .Where(parts => parts.Length == 2 && parts[1].EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Where(parts => parts[0].Contains('@') == older)
            .Where(parts => !Tooling.Any(prefix => IsOrNestedUnder(parts[0], prefix) || IsOrNestedUnder(Path.GetFileNameWithoutExtension(parts[1]), prefix)))
            .GroupBy(parts => Path.GetFileName(parts[1]), StringComparer.OrdinalIgnoreCase)
            .Select(group => group.First())
            .OrderBy(parts => Path.GetFileName(parts[1]), StringComparer.OrdinalIgnoreCase)
            .Select(parts => (parts[0], (MetadataReference)MetadataReference.CreateFromFile(parts[1])))
            .ToImmutableArray();
    }
}
