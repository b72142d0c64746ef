using AgentSample.Agents;
using AgentSample.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

// An MCP server over stdio that exposes a few agent tools. Logs go to stderr: stdout carries the protocol.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);

// The research agent's model key comes from configuration (user secrets, environment), never from source.
var openAiKey = builder.Configuration["OpenAI:ApiKey"];
// Compliant: says whether the key is set, not what it is.
Console.Error.WriteLine($"OpenAI key configured: {!string.IsNullOrEmpty(openAiKey)}");
// AGS008: "to check the config", the key itself goes to stderr, and from there to every log collector of the host.
Console.Error.WriteLine($"Using OpenAI key {openAiKey}");

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
