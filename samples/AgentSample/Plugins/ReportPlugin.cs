using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace AgentSample.Plugins;

/// <summary>A Semantic Kernel plugin the model calls to keep research reports on disk.</summary>
public sealed class ReportPlugin
{
    private static readonly string ReportFolder = Path.Combine(Path.GetTempPath(), "agent-reports");

    [KernelFunction("save_report"), Description("Saves a research report under a name.")]
    public string SaveReport(string name, string body)
    {
        Directory.CreateDirectory(ReportFolder);
        var path = Path.Combine(ReportFolder, Path.GetFileName(name) + ".md");

        // AGS004 and AGS005: the file is written with no way to take it back and no trace of who wrote it.
        File.WriteAllText(path, body);
        return path;
    }
}
