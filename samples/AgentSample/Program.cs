using AgentSample.Agents;
using AgentSample.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

// An MCP server over stdio that exposes a few agent tools. Logs go to stderr: stdout carries the protocol.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);

builder.Services.AddHttpClient();
builder.Services.AddSingleton<ResearchAgent>();
builder.Services.AddSingleton<TriageAgent>();
builder.Services.AddKernel().Plugins.AddFromType<AgentSample.Plugins.ReportPlugin>();
builder.Services
    .AddMcpServer()
    .WithStdioServerTransport()
    .WithTools<WeatherTools>()
    .WithTools<TicketTools>()
    .WithTools<GitHubTools>()
    .WithTools<NoteTools>();

await builder.Build().RunAsync();
