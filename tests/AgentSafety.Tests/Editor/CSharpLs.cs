using AgentSafety.Tests.Package;

namespace AgentSafety.Tests.Editor;

/// <summary>
/// csharp-ls (github.com/razzmatazz/csharp-language-server), the Roslyn-based language server that Neovim, Emacs,
/// Helix and other LSP editors start for C#, installed by the test itself as a .NET tool from the configured feeds.
/// </summary>
internal static class CSharpLs
{
    public const string Version = "0.28.0";

    /// <summary>
    /// <c>csharp-ls</c> analyzes nothing but the compiler's own diagnostics unless the client's
    /// <c>workspace/configuration</c> answer for the <c>csharp</c> section says <c>analyzersEnabled: true</c>
    /// (off by default since 0.24.0: Types.fs <c>CSharpConfiguration.analyzersEnabled</c>, read by
    /// Handlers/Diagnostic.fs and Runtime/PushDiagnostics.fs).
    /// </summary>
    public const string SettingsSection = "csharp";

    /// <summary>
    /// Installs the tool under <paramref name="folder"/> (<c>dotnet tool install --tool-path</c>) and returns its
    /// executable; skips the calling test, with the tool's output as the reason, when it cannot be installed.
    /// </summary>
    public static string Install(string folder)
    {
        var toolPath = Path.Combine(folder, "csharp-ls-" + Version);
        var executable = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "csharp-ls.exe" : "csharp-ls");
        if (File.Exists(executable))
        {
            return executable;
        }

        var install = DotNetCli.Run(folder, TimeSpan.FromMinutes(5),
            "tool", "install", "--tool-path", toolPath, "csharp-ls", "--version", Version);
        Skip.If(
            install.ExitCode != 0 || !File.Exists(executable),
            $"csharp-ls {Version} could not be installed as a .NET tool (`dotnet tool install --tool-path {toolPath} csharp-ls --version {Version}`), so the editor path is not checked on this machine: {install}");
        return executable;
    }
}
