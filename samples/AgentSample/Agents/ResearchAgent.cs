using Microsoft.Extensions.AI;

namespace AgentSample.Agents;

/// <summary>Answers research questions with a chat model and the tools it is given.</summary>
public sealed class ResearchAgent(IChatClient chatClient)
{
    private int _failures;

    public async Task<string> AnswerAsync(string question, IList<AITool> tools, CancellationToken cancellationToken)
    {
        var options = new ChatOptions { Tools = tools };
        try
        {
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

    public int Failures => _failures;
}
