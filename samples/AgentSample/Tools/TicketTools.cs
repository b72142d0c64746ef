using System.ComponentModel;
using System.Net.Http.Json;
using ModelContextProtocol.Server;

namespace AgentSample.Tools;

[McpServerToolType]
public sealed class TicketTools(IHttpClientFactory httpClientFactory)
{
    private const string TicketsApi = "https://tickets.example/api/tickets";

    [McpServerTool(Name = "create_ticket"), Description("Opens a support ticket and returns its id.")]
    public async Task<string> CreateTicket(string title, string body, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient();
        var response = await http.PostAsJsonAsync(TicketsApi, new { title, body }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var id = await response.Content.ReadAsStringAsync(cancellationToken);

        try
        {
            await http.PostAsJsonAsync($"{TicketsApi}/{id}/watchers", new { team = "support" }, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // AGS003 would flag an empty catch; this comment says why ignoring the failure is safe.
        }

        try
        {
            await http.PostAsJsonAsync("https://chat.example/hooks/support", new { text = $"New ticket {id}" }, cancellationToken);
        }
        catch
        {
        }

        return id;
    }

    // AGS004 flags create_ticket above: nothing can take a ticket back when a later step of the plan fails.
    // tag_ticket below is compliant: UndoTagTicket is its compensation (and a tool the agent may call itself).
    [McpServerTool(Name = "tag_ticket"), Description("Adds a tag to a ticket.")]
    public async Task TagTicket(string id, string tag, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient();
        var response = await http.PostAsJsonAsync($"{TicketsApi}/{id}/tags", new { tag }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    [McpServerTool(Name = "untag_ticket"), Description("Removes a tag from a ticket; undoes tag_ticket.")]
    public async Task UndoTagTicket(string id, string tag, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient();
        var response = await http.DeleteAsync($"{TicketsApi}/{id}/tags/{Uri.EscapeDataString(tag)}", cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
