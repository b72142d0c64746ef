using System.Diagnostics;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// AGS005's trace fix, run: the fixed tool's span reaches an ActivityListener on the source the project already
/// uses, named after the tool as the model calls it, with the tool-name attribute and scalar arguments only.
/// </summary>
public class UntracedStateChangeFixBehaviourTests
{
    private static readonly string SourceName = "Contoso.Agent." + Guid.NewGuid().ToString("N");

    private static string Tools => $$"""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        public static class AgentTelemetry
        {
            public static readonly ActivitySource Source = new("{{SourceName}}");
        }

        [McpServerToolType]
        public class ReportTools
        {
            [McpServerTool(Name = "save_report")]
            public void SaveReport(string path, string reportBody, int pages) => File.WriteAllText(path, reportBody);
        }
        """;

    [Fact]
    public async Task The_span_reaches_the_projects_source_named_after_the_registered_tool()
    {
        var code = await FixedCode.ApplyAsync(Tools, new UntracedStateChangeAnalyzer(), new UntracedStateChangeCodeFixProvider(), UntracedStateChangeCodeFixProvider.TraceKey);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);

        var path = Path.Combine(Path.GetTempPath(), "ags005-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            var tools = code.Create("ReportTools");
            tools.GetType().GetMethod("SaveReport")!.Invoke(tools, new object[] { path, new string('x', 10_000), 3 });
            Assert.Equal(10_000, new FileInfo(path).Length);
        }
        finally
        {
            File.Delete(path);
        }

        var span = Assert.Single(spans);
        Assert.Equal("save_report", span.OperationName);
        Assert.Equal("save_report", span.GetTagItem("gen_ai.tool.name"));
        Assert.Equal(path, span.GetTagItem("path"));
        Assert.Equal(3, span.GetTagItem("pages"));
        Assert.Null(span.GetTagItem("reportBody"));
    }
}
