using System.Net;
using System.Reflection;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;

namespace AgentSafety.Tests.Fixes;

/// <summary>
/// AGS004's "Add compensating action" fix, run. The fix promises a compensating action for each write tool, and
/// docs/rules/AGS004.md says it is a stub taking what an undo needs: the fixed code compiles; the rule now takes each
/// stub as its tool's compensation (the tool is no longer reported, the stub is, by name, until its undo is written);
/// the stub is a public member of the tool's type that takes what the tool returned and the scalars naming what it
/// changed, not the free text it was given; and it can be called with what a real call of the tool returned — and
/// says it is not implemented, rather than pretending to have undone anything.
/// </summary>
public class UncompensatedWriteToolFixBehaviourTests
{
    private const string Tools = """
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class TicketTools(HttpClient http)
        {
            [McpServerTool(Name = "create_ticket")]
            public async Task<string> CreateTicket(string title, string body, CancellationToken cancellationToken)
            {
                using var response = await http.PostAsJsonAsync("tickets", new { title, body }, cancellationToken);
                return await response.Content.ReadAsStringAsync(cancellationToken);
            }

            [McpServerTool(Name = "update_report")]
            public async Task<string> UpdateReport(string id, string reportText, CancellationToken cancellationToken)
            {
                var previousText = await http.GetStringAsync("reports/" + id, cancellationToken);
                using var response = await http.PutAsync("reports/" + id, new StringContent(reportText), cancellationToken);
                return previousText;
            }
        }
        """;

    private static readonly Lazy<Task<FixedCode>> Fixed = new(() => FixedCode.ApplyAsync(
        Tools, new UncompensatedWriteToolAnalyzer(), new UncompensatedWriteToolCodeFixProvider(), UncompensatedWriteToolCodeFixProvider.AddCompensationKey,
        intendedLeft: d => d.GetMessage().StartsWith("Compensation '", StringComparison.Ordinal)));

    [Fact]
    public async Task Each_write_tool_gets_a_stub_the_rule_takes_as_its_compensation()
    {
        var code = await Fixed.Value;

        Assert.Equal(
            new[]
            {
                "Compensation 'CompensateCreateTicketAsync' for tool 'CreateTicket' is not implemented",
                "Compensation 'CompensateUpdateReportAsync' for tool 'UpdateReport' is not implemented",
            },
            code.Left.Select(d => d.GetMessage()).OrderBy(m => m, StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_stub_takes_what_the_tool_returned_and_the_ids_not_the_free_text()
    {
        var type = (await Fixed.Value).Assembly.GetType("TicketTools", throwOnError: true)!;

        Assert.Equal(new[] { "result", "title", "cancellationToken" }, Parameters(type, "CompensateCreateTicketAsync"));
        Assert.Equal(new[] { "result", "id", "previousText", "cancellationToken" }, Parameters(type, "CompensateUpdateReportAsync"));
        Assert.All(new[] { "CompensateCreateTicketAsync", "CompensateUpdateReportAsync" }, name =>
            Assert.Equal(typeof(Task), type.GetMethod(name)!.ReturnType));
    }

    [Fact]
    public async Task The_stub_can_be_called_with_what_the_tool_returned_and_says_it_is_not_implemented()
    {
        var server = new ScriptedHttpHandler(HttpStatusCode.OK);
        var code = await Fixed.Value;
        var tools = code.Create("TicketTools", server.Client());

        var created = (string)(await FixedCode.CallAsync(tools, "CreateTicket", "Printer on fire", "Floor 3", CancellationToken.None))!;
        Assert.Equal("\"answer\"", created);
        await Assert.ThrowsAsync<NotImplementedException>(() => Invoke(tools, "CompensateCreateTicketAsync", created, "Printer on fire", CancellationToken.None));

        var previous = (string)(await FixedCode.CallAsync(tools, "UpdateReport", "42", "new text", CancellationToken.None))!;
        await Assert.ThrowsAsync<NotImplementedException>(() => Invoke(tools, "CompensateUpdateReportAsync", previous, "42", previous, CancellationToken.None));
        Assert.Equal(3, server.Requests);
    }

    private static string[] Parameters(Type type, string method)
        => (type.GetMethod(method, BindingFlags.Public | BindingFlags.Instance) ?? throw new InvalidOperationException(method + " is not a public instance method"))
            .GetParameters().Select(p => p.Name!).ToArray();

    /// <summary>Calls the stub as code would: what it throws, thrown (a stub that throws before returning a task, too).</summary>
    private static async Task Invoke(object instance, string method, params object?[] arguments)
        => await (Task)instance.GetType().GetMethod(method)!.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, null)!;
}
