using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using AgentSafety.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// Applies a rule's fix to a source as a user would (FixAll in the document for one equivalence key), compiles the
/// fixed project to an assembly and loads it, so a test can run the fixed code against local fakes and check that it
/// does what the fix's title promises. The assembly is loaded into a collectible context of its own; the packages it
/// uses (Polly, Microsoft.Extensions.AI, ...) come from the test process, which references the same versions.
/// </summary>
internal sealed class FixedCode
{
    private FixedCode(string text, Assembly assembly, ImmutableArray<Diagnostic> left)
    {
        Text = text;
        Assembly = assembly;
        Left = left;
    }

    /// <summary>The fixed source.</summary>
    public string Text { get; }

    public Assembly Assembly { get; }

    /// <summary>The findings the fix means to leave (<c>intendedLeft</c> of <see cref="ApplyAsync"/>), in the fixed code.</summary>
    public ImmutableArray<Diagnostic> Left { get; }

    /// <summary>
    /// Applies the fix and loads the fixed code. No finding may be left but those <paramref name="intendedLeft"/>
    /// accepts (AGS004's stub report: the undo is left to write).
    /// </summary>
    public static async Task<FixedCode> ApplyAsync(string source, DiagnosticAnalyzer analyzer, CodeFixProvider provider, string equivalenceKey, Func<Diagnostic, bool>? intendedLeft = null)
    {
        var project = AnalysisHarness.CreateProject(new[] { ("Code.cs", source) });
        Assert.Empty(await AnalysisHarness.CompilerErrorsAsync(project));
        var found = await AnalysisHarness.AnalyzeAsync(project, ImmutableArray.Create(analyzer));
        Assert.Empty(found.Exceptions);
        var diagnostics = found.Diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id)).ToImmutableArray();
        Assert.NotEmpty(diagnostics);

        var action = await AnalysisHarness.FixAllAsync(project, provider, equivalenceKey, diagnostics);
        Assert.NotNull(action);
        var fixedProject = await AnalysisHarness.ApplyAsync(project, action!);
        var text = (await fixedProject.Documents.Single().GetTextAsync()).ToString();

        var remaining = await AnalysisHarness.AnalyzeAsync(fixedProject, ImmutableArray.Create(analyzer));
        var unintended = remaining.Diagnostics.Where(d => intendedLeft?.Invoke(d) != true).ToList();
        Assert.True(unintended.Count == 0, "the fix left findings:\n" + string.Join("\n", unintended) + "\n" + text);

        var compilation = (await fixedProject.GetCompilationAsync())!;
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, "the fixed code does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + "\n" + text);
        image.Position = 0;
        var context = new AssemblyLoadContext("fixed-code-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return new FixedCode(text, context.LoadFromStream(image), remaining.Diagnostics.Where(d => intendedLeft?.Invoke(d) == true).ToImmutableArray());
    }

    /// <summary>An instance of the fixed code's type <paramref name="typeName"/>, made with <paramref name="arguments"/>.</summary>
    public object Create(string typeName, params object[] arguments)
        => Activator.CreateInstance(Assembly.GetType(typeName, throwOnError: true)!, arguments)!;

    /// <summary>Awaits <paramref name="method"/> of <paramref name="instance"/> and returns its result (the exception it threw, unwrapped).</summary>
    public static async Task<object?> CallAsync(object instance, string method, params object?[] arguments)
    {
        var task = (Task)instance.GetType().GetMethod(method)!.Invoke(instance, arguments)!;
        await task.ConfigureAwait(false);
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }
}
