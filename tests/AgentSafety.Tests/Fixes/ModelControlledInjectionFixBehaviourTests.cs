using System.Reflection;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// AGS006's path fix, run: the fixed tool still reads a file inside the allowed folder, and refuses a model's
/// argument that climbs out of it (<c>../</c>), an absolute path, and a sibling folder that shares the root's prefix.
/// (The SQL fix is not run here: the SQLite provider's native library is not among the test's packages.)
/// </summary>
public class ModelControlledInjectionFixBehaviourTests
{
    private const string Tools = """
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class NoteTools
        {
            [McpServerTool]
            public static string ReadNote(string name) => File.ReadAllText(name);
        }
        """;

    [Fact]
    public async Task The_contained_tool_reads_inside_the_allowed_folder_and_refuses_paths_out_of_it()
    {
        var code = await FixedCode.ApplyAsync(Tools, new ModelControlledInjectionAnalyzer(), new ModelControlledInjectionCodeFixProvider(), ModelControlledInjectionCodeFixProvider.ContainPathKey);
        var readNote = code.Assembly.GetType("NoteTools", throwOnError: true)!.GetMethod("ReadNote")!;

        // The fix's root: a data folder beside the application (here, the test's output folder).
        var root = Path.Combine(AppContext.BaseDirectory, "data");
        var name = "note-" + Guid.NewGuid().ToString("N") + ".txt";
        var sibling = Path.Combine(AppContext.BaseDirectory, "data2");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(sibling);
        File.WriteAllText(Path.Combine(root, name), "inside");
        File.WriteAllText(Path.Combine(sibling, name), "outside");
        try
        {
            Assert.Equal("inside", readNote.Invoke(null, new object[] { name }));
            foreach (var escape in new[] { "../data2/" + name, Path.Combine(sibling, name), "../../" + name })
            {
                var thrown = Assert.Throws<TargetInvocationException>(() => readNote.Invoke(null, new object[] { escape }));
                Assert.IsType<ArgumentException>(thrown.InnerException);
            }
        }
        finally
        {
            File.Delete(Path.Combine(root, name));
            File.Delete(Path.Combine(sibling, name));
        }
    }
}
