using AgentSafety.Analyzers.AgentModel;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using static AgentSafety.Tests.Verification.ExpectedDiagnostic;

namespace AgentSafety.Tests.Rules;

/// <summary>AGS004 — write tools with no compensation. Reads like docs/rules/AGS004.md: positives, negatives, fixes, options.</summary>
public class UncompensatedWriteToolTests
{
    private const string Id = "AGS004";
    private const string FixKey = UncompensatedWriteToolCodeFixProvider.AddCompensationKey;

    private static RuleTest Test(string source)
        => RuleTest.For<UncompensatedWriteToolAnalyzer, UncompensatedWriteToolCodeFixProvider>().WithSource(source);

    private static ExpectedDiagnostic Tool(int location, string tool, string writes)
        => Diagnostic(Id).At(location).WithArguments(tool, writes);

    private static ExpectedDiagnostic Stub(int location, string compensation, string tool)
        => Diagnostic(Id).At(location).WithMessage($"Compensation '{compensation}' for tool '{tool}' is not implemented");

    // ---------------------------------------------------------------- tool kinds

    [Fact]
    public Task Mcp_tool_that_posts_is_reported_on_its_name() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class TicketTools(HttpClient http)
        {
            [McpServerTool(Name = "create_ticket")]
            public async Task<string> {|#0:CreateTicket|}(string title)
            {
                var response = await http.PostAsync("https://tickets.example/api", new StringContent(title));
                return await response.Content.ReadAsStringAsync();
            }
        }
        """).Expect(Tool(0, "CreateTicket", "HttpClient.PostAsync").WithSeverity(DiagnosticSeverity.Warning)).RunAsync();

    [Fact]
    public Task Pure_tools_are_silent() => Test("""
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class ResearchTools(HttpClient http, IChatClient chat)
        {
            [McpServerTool] public Task<string> GetWeather(string city) => http.GetStringAsync($"https://weather.example/{city}");
            [McpServerTool] public Task<string[]?> Search(string query) => http.GetFromJsonAsync<string[]>($"https://search.example/?q={query}");
            [McpServerTool] public async Task<string> Summarize(string text) => (await chat.GetResponseAsync($"Summarize: {text}")).Text;
        }
        """).RunAsync();

    // ---------------------------------------------------------------- fixes

    [Fact]
    public Task Fix_adds_a_compensation_stub_after_a_sync_tool() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public class NoteTools
        {
            [McpServerTool]
            public string {|#0:DeleteNote|}(string path)
            {
                File.Delete(path);
                return "deleted";
            }

            [McpServerTool]
            public string ReadNote(string path) => File.ReadAllText(path);
        }
        """).Expect(Tool(0, "DeleteNote", "File.Delete")).WithFix(FixKey, """
        using System;
        using System.IO;
        using ModelContextProtocol.Server;
        public class NoteTools
        {
            [McpServerTool]
            public string DeleteNote(string path)
            {
                File.Delete(path);
                return "deleted";
            }

            /// <summary>Undoes the effects of <see cref="DeleteNote"/>.</summary>
            public void [|CompensateDeleteNote|](string path)
            {
                throw new NotImplementedException();
            }

            [McpServerTool]
            public string ReadNote(string path) => File.ReadAllText(path);
        }
        """).RunAsync();
}
