using System.ComponentModel;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ModelContextProtocol.Server;

namespace AgentSample.Tools;

[McpServerToolType]
public sealed class GitHubTools(IHttpClientFactory httpClientFactory)
{
    // AGS001: a personal access token in source is in every clone, fork and build log of this repository.
    // (A synthetic, format-valid value for the sample: it is not a real token.)
    private const string GitHubToken = "ghp_AgentSafetySampleNotARealToken000000"; // gitleaks:allow

    [McpServerTool(Name = "list_open_issues", ReadOnly = true), Description("Lists the titles of a repository's open issues.")]
    public async Task<string> ListOpenIssues(string owner, string repository, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://api.github.com/repos/{owner}/{repository}/issues?state=open");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GitHubToken);
        request.Headers.UserAgent.ParseAdd("AgentSample/1.0");
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var issues = await response.Content.ReadFromJsonAsync<Issue[]>(cancellationToken) ?? [];
        return issues.Length == 0 ? "No open issues." : string.Join("\n", issues.Select(i => $"#{i.Number} {i.Title}"));
    }

    private sealed record Issue(int Number, string Title);
}
