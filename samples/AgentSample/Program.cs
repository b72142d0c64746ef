using AgentSample.Agents;
using AgentSample.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// An MCP server over stdio that exposes a few agent tools. Logs go to stderr: stdout carries the protocol.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);

builder.Services.AddHttpClient();
builder.Services.AddSingleton<ResearchAgent>();
builder.Services
    .AddMcpServer()
    .WithStdioServerTransport()
    .WithTools<WeatherTools>()
    .WithTools<TicketTools>()
    .WithTools<GitHubTools>();

await builder.Build().RunAsync();
