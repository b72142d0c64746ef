using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace AgentSample.Tools;

/// <summary>Notes the agent keeps on disk between conversations.</summary>
[McpServerToolType]
public sealed class NoteTools(ILogger<NoteTools> logger)
{
    private const string NotesFolder = "notes";

    private static readonly ActivitySource Telemetry = new("AgentSample.Notes");

    [McpServerTool(Name = "save_note"), Description("Saves a note under a title, replacing any note with that title.")]
    public async Task<string> SaveNote(string title, string text, CancellationToken cancellationToken)
    {
        // AGS005: the agent overwrites files and nothing records which one, or that it did.
        Directory.CreateDirectory(NotesFolder);
        var path = PathFor(title);
        await File.WriteAllTextAsync(path, text, cancellationToken);
        return path;
    }

    [McpServerTool(Name = "delete_note", Destructive = true), Description("Deletes the note with a title.")]
    public string DeleteNote(string title)
    {
        // AGS007: a model misled by a note it just read can delete any note; nobody is asked first.
        // (AGS005 is satisfied: the span records which note the agent deleted.)
        using var activity = Telemetry.StartActivity("DeleteNote");
        activity?.SetTag("gen_ai.tool.name", "delete_note");
        activity?.SetTag("note.title", title);
        File.Delete(PathFor(title));
        return $"Deleted note '{title}'.";
    }

    [McpServerTool(Name = "append_to_note"), Description("Appends a line to the note with a title.")]
    public string AppendToNote(string title, string line)
    {
        File.AppendAllText(PathFor(title), line + Environment.NewLine);

        // Compliant: a structured log of the change is a trace too.
        logger.LogInformation("Appended {Length} characters to note {Title}", line.Length, title);
        return "Appended.";
    }

    [McpServerTool(Name = "read_attachment"), Description("Reads a file attached to the notes.")]
    public Task<string> ReadAttachment(string fileName, CancellationToken cancellationToken)
        // AGS006: the model picks the path: "../../.ssh/id_rsa" reads outside the notes folder. (PathFor above is
        // compliant: Path.GetFileName keeps a title inside the folder.)
        => File.ReadAllTextAsync(Path.Combine(NotesFolder, "attachments", fileName), cancellationToken);

    private static string PathFor(string title) => Path.Combine(NotesFolder, Path.GetFileName(title) + ".md");
}
