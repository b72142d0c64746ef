using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;

namespace AgentSample.Agents;

/// <summary>Answers research questions with a chat model and the tools it is given.</summary>
public sealed class ResearchAgent(IChatClient chatClient)
{
    // Retries rate limits, timeouts and outages with exponential backoff; each attempt gets a minute.
    private static readonly ResiliencePipeline FollowUpPipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
        .AddTimeout(TimeSpan.FromSeconds(60))
        .Build();

    private int _failures;

    public async Task<string> AnswerAsync(string question, IList<AITool> tools, CancellationToken cancellationToken)
    {
        var options = new ChatOptions { Tools = tools };
        try
        {
            // AGS002: one 429 from the provider and the user gets the apology below.
            var response = await chatClient.GetResponseAsync(question, options, cancellationToken);
            return response.Text;
        }
        catch (Exception)
        {
            // AGS003: counting failures records nothing anybody will see.
            _failures++;
            return "I'm sorry, I couldn't complete that task.";
        }
    }

    /// <summary>Runs a tool the model asked for (an MCP server's tool, typically).</summary>
    public async Task<string> RunToolAsync(AIFunction tool, AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        // AGS002: a tool server that restarts fails the whole research task.
        var result = await tool.InvokeAsync(arguments, cancellationToken);
        return result?.ToString() ?? string.Empty;
    }

    public async Task<string> SummarizeAsync(string text, CancellationToken cancellationToken)
    {
        // Compliant: the pipeline retries the call with backoff and a per-attempt timeout.
        var response = await FollowUpPipeline.ExecuteAsync(
            async token => await chatClient.GetResponseAsync($"Summarize in three sentences: {text}", cancellationToken: token),
            cancellationToken);
        return response.Text;
    }

    /// <summary>Works on a goal turn after turn, with tools, until the model says it is done.</summary>
    public async Task<string> InvestigateAsync(string goal, IList<AITool> tools, CancellationToken cancellationToken)
    {
        var history = new List<ChatMessage> { new(ChatRole.User, goal) };
        var options = new ChatOptions { Tools = tools };

        // AGS009: only the model ends this loop; a confused model keeps billing turns until someone notices.
        while (true)
        {
            // AGS002 as well: nothing retries this call either.
            var response = await chatClient.GetResponseAsync(history, options, cancellationToken);
            history.AddRange(response.Messages);
            if (response.FinishReason == ChatFinishReason.Stop)
            {
                return response.Text;
            }
        }
    }

    public int Failures => _failures;
}
