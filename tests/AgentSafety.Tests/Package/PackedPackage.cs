using System.IO.Compression;
using System.Xml.Linq;

namespace AgentSafety.Tests.Package;

/// <summary>
/// The NuGet package, packed once (through the real SDK) for every end-to-end test in
/// <see cref="PackedPackageCollection"/>, in a local feed that consumer projects restore from.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public const string Id = "AgentSafety.Analyzers";

    internal static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    public PackedPackage()
    {
        Work = Path.Combine(Path.GetTempPath(), "agentsafety-e2e-" + Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(Work, "feed");
        Directory.CreateDirectory(Work);
        var pack = DotNetCli.Run(RepositoryPaths.Root, Timeout,
            "pack", RepositoryPaths.Combine("src", "AgentSafety.Package", "AgentSafety.Package.csproj"),
            "-c", "Release", "-o", Feed, "-p:ContinuousIntegrationBuild=true");
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed: " + pack);
        }

        using var archive = ZipFile.OpenRead(Directory.GetFiles(Feed, Id + ".*.nupkg").Single());
        Entries = archive.Entries.Select(e => e.FullName).ToList();
        using var stream = archive.Entries.Single(e => e.FullName == Id + ".nuspec").Open();
        Nuspec = XDocument.Load(stream);
        var ns = Nuspec.Root!.Name.Namespace;
        Version = Nuspec.Root.Element(ns + "metadata")!.Element(ns + "version")!.Value;
    }

    /// <summary>The folder every consumer and its package cache live in, deleted with the fixture.</summary>
    public string Work { get; }

    public string Feed { get; }

    public string Version { get; }

    public IReadOnlyList<string> Entries { get; }

    public XDocument Nuspec { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; the test results are what matter.
        }
    }
}

/// <summary>
/// One pack shared by every end-to-end test. They run one after the other: on two cores, parallel consumer builds
/// would only compete for the same CPUs.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "Packed package";
}
