using Microsoft.CodeAnalysis;
using Tool = AgentSafety.Analyzers.AgentModel.Tool;

namespace AgentSafety.Tests.AgentModel;

/// <summary>ToolHints, ToolWrites and Compensations: what a tool's author wrote, what it writes, what undoes it.</summary>
public class CompensationsTests
{
    private static Tool ToolNamed(KnowledgeCompilation k, string type, string name)
        => k.Model.ToolCode.ToolsOf(k.Type(type), null).Single(t => t.Name == name);

    [Fact]
    public void Hints_are_read_as_written_from_the_attribute_and_from_create_options()
    {
        var k = KnowledgeCompilation.Of("""
            using ModelContextProtocol.Server;
            public class Tools
            {
                [McpServerTool(ReadOnly = true)] public string Read() => "";
                [McpServerTool(Destructive = false)] public void Add() { }
                [McpServerTool] public void Unset() { }
                public static void Wipe() { }

                public McpServerTool[] All()
                {
                    var options = new McpServerToolCreateOptions { Destructive = true };
                    return new[]
                    {
                        McpServerTool.Create(Wipe, options),
                        McpServerTool.Create((string id) => id, new McpServerToolCreateOptions { Name = "lookup", ReadOnly = true }),
                        McpServerTool.Create(Microsoft.Extensions.AI.AIFunctionFactory.Create((int n) => n, name: "count"), new() { ReadOnly = false }),
                    };
                }
            }
            """);
        var hints = k.Model.ToolHints;
        Assert.Equal((true, (bool?)null), Pair(hints.Of(ToolNamed(k, "Tools", "Read"))));
        Assert.Equal(((bool?)null, false), Pair(hints.Of(ToolNamed(k, "Tools", "Add"))));
        Assert.Equal(((bool?)null, (bool?)null), Pair(hints.Of(ToolNamed(k, "Tools", "Unset"))));
        Assert.Equal(((bool?)null, true), Pair(hints.Of(ToolNamed(k, "Tools", "Wipe"))));
        // A lambda tool goes by the name its registration gives it (the options' Name), as the model calls it.
        Assert.Equal((true, (bool?)null), Pair(hints.Of(ToolNamed(k, "Tools", "lookup"))));
        Assert.Equal((false, (bool?)null), Pair(hints.Of(ToolNamed(k, "Tools", "count"))));
        Assert.Single(k.Model.ToolMethods.RegistrationsOf(k.Method("Tools", "Wipe")));
        Assert.Empty(k.Model.ToolMethods.RegistrationsOf(k.Method("Tools", "Read")));

        static (bool?, bool?) Pair(Analyzers.AgentModel.McpToolHints h) => (h.ReadOnly, h.Destructive);
    }

    [Fact]
    public void Tool_writes_are_tied_to_the_site_in_the_tool_body_that_causes_them()
    {
        var k = KnowledgeCompilation.Of("""
            using System.IO;
            using ModelContextProtocol.Server;
            public class Tools
            {
                [McpServerTool]
                public void Sync(string path)
                {
                    File.ReadAllText(path);
                    Copy(path);
                    File.Delete(path);
                }

                private void Copy(string path) => Deeper(path);
                private void Deeper(string path) => File.Copy(path, path + ".bak");
            }
            """);
        var writes = k.Model.ToolWrites.Of(ToolNamed(k, "Tools", "Sync"), null);
        Assert.Equal(new[] { "Copy(path) -> File.Copy", "File.Delete(path) -> File.Delete" },
            writes.Select(w => $"{w.Site.Syntax} -> {w.Write.Display}"));
    }

    [Fact]
    public void Compensation_methods_transactions_and_sagas_are_found_and_stubs_kept_apart()
    {
        var k = KnowledgeCompilation.Of("""
            using System;
            using System.Data;
            using System.IO;
            using ModelContextProtocol.Server;
            public class Tools(IDbCommand command)
            {
                [McpServerTool] public void create_note(string p) => File.WriteAllText(p, "");
                public void UndoCreateNoteAsync(string p) => File.Delete(p);

                [McpServerTool] public void Wipe(string p) => File.Delete(p);
                public void CompensateWipe(string p) => throw new NotImplementedException();

                [McpServerTool] public void Purge()
                {
                    var tx = command.Connection!.BeginTransaction();
                    command.ExecuteNonQuery();
                    tx.Commit();
                }

                [McpServerTool] public void Move(string p)
                {
                    File.Copy(p, p + "2");
                    try { File.Delete(p); }
                    catch { File.Delete(p + "2"); throw; }
                }

                [McpServerTool] public void Touch(string p) => File.AppendAllText(p, "");
            }
            """);
        var compensations = k.Model.Compensations;

        CompensationsFor("create_note", out var createNote);
        Assert.True(createNote.IsCompensated);

        CompensationsFor("Wipe", out var wipe);
        Assert.False(wipe.IsCompensated);
        Assert.Equal("CompensateWipe", Assert.Single(wipe.Stubs).Name);

        CompensationsFor("Purge", out var purge);
        Assert.True(purge.IsCompensated);

        CompensationsFor("Move", out var move);
        Assert.True(move.IsCompensated);

        CompensationsFor("Touch", out var touch);
        Assert.False(touch.IsCompensated);
        Assert.Empty(touch.Stubs);
        Assert.Equal("File.AppendAllText", Assert.Single(touch.Uncovered).Write.Display);

        Assert.True(compensations.IsCompensation(Method("UndoCreateNoteAsync"), null));
        Assert.False(compensations.IsCompensation(ToolNamed(k, "Tools", "Wipe"), null));
        Assert.Equal("CompensateCreateNote", compensations.NewCompensationName(ToolNamed(k, "Tools", "create_note"), null));
        Assert.Equal("RestoreTouch", compensations.NewCompensationName(ToolNamed(k, "Tools", "Touch"), "Restore, Undo"));

        void CompensationsFor(string tool, out Analyzers.AgentModel.CompensationFinding finding)
        {
            var t = ToolNamed(k, "Tools", tool);
            finding = compensations.Find(t, k.Model.ToolWrites.Of(t, null), null);
        }

        // Not a tool itself: asked as if it were, to check the naming convention alone.
        Tool Method(string name)
        {
            var method = k.Method("Tools", name);
            return new Tool(method, method.Name, k.Model.Bodies.GetBody(method)!, method.DeclaringSyntaxReferences[0].GetSyntax(), null, null);
        }
    }
}
