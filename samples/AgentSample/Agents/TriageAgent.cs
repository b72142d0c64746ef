using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentSample.Agents;

/// <summary>Sorts incoming tickets with a Microsoft Agent Framework agent over the app's chat client.</summary>
public sealed class TriageAgent(IChatClient chatClient)
{
    private readonly AIAgent _agent = new ChatClientAgent(
        chatClient,
        instructions: "Classify the ticket as bug, question or feature request. Answer with one word.",
        name: "triage");

    public async Task<string> ClassifyAsync(string ticket, CancellationToken cancellationToken)
    {
        // AGS002: the chat client is injected with no visible retry; a 429 leaves the ticket unsorted.
        AgentResponse response = await _agent.RunAsync(ticket, cancellationToken: cancellationToken);
        return response.Text.Trim();
    }
}
