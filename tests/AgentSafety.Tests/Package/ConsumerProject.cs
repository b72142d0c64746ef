namespace AgentSafety.Tests.Package;

/// <summary>
/// A fresh project that references the packed package through a local feed, the way a user adds it: isolated from
/// the repository's build files and from the machine's package cache (the package version is reused across runs).
/// </summary>
internal sealed class ConsumerProject
{
    public const string ProjectFile = "Consumer.csproj";

    /// <summary>Two AGS003 findings: a canned answer in <c>Ask</c> (line 11) and an empty catch-all in <c>Notify</c> (line 23).</summary>
    public const string AgentSource = """
        namespace Consumer;

        public sealed class Agent
        {
            public string Ask(string question)
            {
                try
                {
                    return Model(question);
                }
                catch (Exception)
                {
                    return "I'm sorry, I couldn't complete that task.";
                }
            }

            public void Notify()
            {
                try
                {
                    Model("ping");
                }
                catch
                {
                }
            }

            private static string Model(string question) => question;
        }
        """;

    private ConsumerProject(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>
    /// Creates the project in its own folder under the fixture's work folder, with <see cref="AgentSource"/> as
    /// <c>Agent.cs</c> and <paramref name="properties"/> in the project file (where users set <c>AgentSafetyMode</c>).
    /// </summary>
    public static ConsumerProject Create(PackedPackage package, string name, params (string Name, string Value)[] properties)
    {
        var directory = Path.Combine(package.Work, name);
        Directory.CreateDirectory(directory);
        var consumer = new ConsumerProject(directory);
        consumer.WriteFile("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="agentsafety-local" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);
        consumer.WriteFile("Directory.Build.props", "<Project />");
        consumer.WriteFile("Directory.Packages.props", "<Project />");
        var extra = string.Concat(properties.Select(p => $"\n    <{p.Name}>{p.Value}</{p.Name}>"));
        consumer.WriteFile(ProjectFile, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>{Path.Combine(package.Work, "packages")}</RestorePackagesPath>{extra}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackedPackage.Id}" Version="{package.Version}" />
              </ItemGroup>
            </Project>
            """);
        consumer.WriteFile("Agent.cs", AgentSource);
        return consumer;
    }

    public string PathOf(string fileName) => Path.Combine(Folder, fileName);

    public void WriteFile(string fileName, string text) => File.WriteAllText(PathOf(fileName), text);

    public string ReadFile(string fileName) => File.ReadAllText(PathOf(fileName));

    public void DeleteFile(string fileName) => File.Delete(PathOf(fileName));

    /// <summary>A full compile every time (no build servers), so changed config files are always read.</summary>
    public DotNetCli.Result Build(params string[] arguments)
        => Dotnet(new[] { "build", ProjectFile, "--no-incremental", "-nologo", "-p:UseSharedCompilation=false", "-nodeReuse:false" }.Concat(arguments).ToArray());

    public DotNetCli.Result Dotnet(params string[] arguments) => DotNetCli.Run(Folder, PackedPackage.Timeout, arguments);
}
