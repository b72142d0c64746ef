using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Tests.Verification;

/// <summary>
/// The references test sources compile against: the test host's own framework and package assemblies, taken
/// from <c>TRUSTED_PLATFORM_ASSEMBLIES</c>. Fully offline, and exactly the versions the test project restored.
/// </summary>
internal static class TestReferences
{
    private static readonly string[] Excluded =
    {
        "Microsoft.CodeAnalysis", "xunit", "testhost", "Microsoft.TestPlatform", "Microsoft.VisualStudio",
        "AgentSafety", "Microsoft.Build", "NuGet", "Humanizer",

        // BenchmarkDotNet and its dependencies: this file is linked into tests/AgentSafety.Benchmarks too.
        "BenchmarkDotNet", "Perfolizer", "CommandLine", "Iced", "Gee.External", "Dia2Lib", "TraceReloggerLib",
        "Microsoft.Diagnostics", "Microsoft.DotNet",
    };

    private static readonly Lazy<ImmutableArray<MetadataReference>> All = new(Load);

    public static ImmutableArray<MetadataReference> Default => All.Value;

    /// <summary>
    /// <see cref="Default"/> without the assemblies named <paramref name="assemblyNames"/> or nested under them
    /// (<c>Polly</c> drops Polly.dll and Polly.Core.dll): code compiled as if those packages were not referenced.
    /// </summary>
    public static ImmutableArray<MetadataReference> Without(IReadOnlyCollection<string> assemblyNames)
        => assemblyNames.Count == 0
            ? Default
            : Default.Where(r => !assemblyNames.Any(name => IsOrNestedUnder(Path.GetFileNameWithoutExtension(r.Display), name))).ToImmutableArray();

    private static bool IsOrNestedUnder(string? assemblyName, string name)
        => assemblyName is not null
           && (assemblyName.Equals(name, StringComparison.OrdinalIgnoreCase)
               || assemblyName.StartsWith(name + ".", StringComparison.OrdinalIgnoreCase));

    private static ImmutableArray<MetadataReference> Load()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return paths
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Where(p => !Excluded.Any(prefix => Path.GetFileName(p).StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(p => Path.GetFileName(p), StringComparer.OrdinalIgnoreCase)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
