using AgentSafety.Analyzers.AgentModel;

namespace AgentSafety.Tests.AgentModel;

/// <summary>
/// <see cref="SemanticKernelCalls"/> binds only the plugin imports whose syntax may give the plugin name asked about
/// (<c>ImportsThatMayName</c>): it must never rule out an import that, bound, gives that name, and it must rule out the imports
/// whose syntax shows another name.
/// </summary>
public class SemanticKernelCallsTests
{
    private const string Source = """
        using System.IO;
        using Microsoft.SemanticKernel;
        using MP = Shop.Plugins.MathPlugin;

        namespace Shop.Plugins
        {
            public sealed class MathPlugin { [KernelFunction] public int Add(int a, int b) => a + b; }
            public sealed class TimePlugin { [KernelFunction] public string Now() => "now"; }
            public static class Names { public const string Math = "Maths"; }

            public sealed class Setup
            {
                private const string Local = "LocalName";

                public void Import(Kernel kernel, MathPlugin math, string root)
                {
                    kernel.ImportPluginFromType<TimePlugin>();
                    kernel.ImportPluginFromType<MathPlugin>("Calc");
                    kernel.ImportPluginFromObject(math);
                    kernel.ImportPluginFromObject(new TimePlugin(), "Clock");
                    kernel.ImportPluginFromObject(this);
                    kernel.ImportPluginFromObject(math, Names.Math);
                    kernel.ImportPluginFromObject(new MathPlugin(), pluginName: Local + "2");
                    kernel.ImportPluginFromType<MP>();
                    kernel.ImportPluginFromPromptDirectory(Path.Combine(root, "Plugins", "FunPlugin"));
                    kernel.ImportPluginFromPromptDirectory("prompts/WriterPlugin/");
                    kernel.ImportPluginFromFunctions("Funcs", [kernel.CreateFunctionFromMethod(() => 1)]);
                    kernel.Plugins.AddFromType<TimePlugin>(nameof(TimePlugin.Now));
                    KernelPluginFactory.CreateFromType<MathPlugin>($"{Local}");
                    KernelPluginFactory.CreateFromObject(Create());
                    const string inner = "InnerName";
                    kernel.ImportPluginFromType<TimePlugin>(inner);
                }

                public void Other(Kernel kernel, string name)
                {
                    // A local constant of another member does not reach here: name is a parameter.
                    kernel.ImportPluginFromType<TimePlugin>(name);
                }

                public void Third()
                {
                    const string name = "Unused";
                    _ = name;
                }

                private static TimePlugin Create() => new();
            }
        }
        """;

    [Fact]
    public void An_import_is_ruled_out_only_when_its_syntax_shows_another_name()
    {
        var k = KnowledgeCompilation.Of(Source);
        var calls = k.Model.OutboundCalls.SemanticKernel;
        var imports = k.Model.Origins.InvocationSyntaxNamed(SemanticKernelCalls.AllPluginImports).OrderBy(i => i.SpanStart);

        var named = imports.Select(i => (Import: i, Name: calls.ImportedPlugin(i)?.Name)).ToList();
        Assert.Equal(
            new[] { "TimePlugin", "Calc", "MathPlugin", "Clock", "Setup", "Maths", "LocalName2", "MathPlugin", "FunPlugin", "WriterPlugin", "Funcs", "Now", "LocalName", "TimePlugin", "InnerName", null },
            named.Select(n => n.Name));

        // Never ruled out for the name it gives.
        foreach (var (import, name) in named.Where(n => n.Name is not null))
        {
            Assert.True(calls.ImportsThatMayName(name!).Contains(import), $"{import} was ruled out for '{name}'");
        }

        // Ruled out for a name it cannot give, unless an object's type or a constant declared elsewhere may name it.
        var kept = calls.ImportsThatMayName("Unrelated").OrderBy(i => i.SpanStart).Select(i => i.ToString());
        Assert.Equal(
            new[]
            {
                "kernel.ImportPluginFromObject(math)", "kernel.ImportPluginFromObject(this)", "kernel.ImportPluginFromObject(math, Names.Math)",
                "kernel.ImportPluginFromObject(new MathPlugin(), pluginName: Local + \"2\")", "kernel.ImportPluginFromType<MP>()",
                "KernelPluginFactory.CreateFromType<MathPlugin>($\"{Local}\")", "KernelPluginFactory.CreateFromObject(Create())",
                "kernel.ImportPluginFromType<TimePlugin>(inner)",
            },
            kept);
    }
    [Fact]
    public void An_import_from_a_local_is_read_from_its_declaration_unless_the_member_assigns_it_again()
    {
        var k = KnowledgeCompilation.Of("""
            using Microsoft.SemanticKernel;

            namespace Shop.Plugins
            {
                public sealed class MathPlugin { [KernelFunction] public int Add(int a, int b) => a + b; }
                public sealed class TimePlugin { [KernelFunction] public string Now() => "now"; }

                public sealed class Setup
                {
                    public void Locals(Kernel kernel)
                    {
                        var created = new MathPlugin();
                        kernel.ImportPluginFromObject(created);
                        TimePlugin declared = new();
                        kernel.ImportPluginFromObject(declared);
                        var changed = new MathPlugin();
                        kernel.ImportPluginFromObject(changed);
                        Replace(ref changed);
                        var swapped = new TimePlugin();
                        (swapped, _) = (new TimePlugin(), 1);
                        kernel.ImportPluginFromObject(swapped);
                    }

                    private static void Replace(ref MathPlugin plugin) => plugin = new MathPlugin();
                }
            }
            """);
        var calls = k.Model.OutboundCalls.SemanticKernel;
        var imports = k.Model.Origins.InvocationSyntaxNamed(SemanticKernelCalls.AllPluginImports).OrderBy(i => i.SpanStart).ToList();

        var named = imports.Select(i => (Import: i, Name: calls.ImportedPlugin(i)?.Name)).ToList();
        Assert.Equal(new[] { "MathPlugin", "TimePlugin", "MathPlugin", "TimePlugin" }, named.Select(n => n.Name));
        foreach (var (import, name) in named)
        {
            Assert.True(calls.ImportsThatMayName(name!).Contains(import), $"{import} was ruled out for '{name}'");
        }

        // The two locals never assigned again are read from their declarations; the others may hold anything.
        Assert.Equal(
            new[] { "kernel.ImportPluginFromObject(changed)", "kernel.ImportPluginFromObject(swapped)" },
            calls.ImportsThatMayName("Unrelated").OrderBy(i => i.SpanStart).Select(i => i.ToString()));
        Assert.DoesNotContain(imports[1], calls.ImportsThatMayName("MathPlugin"));
    }
}
