using AgentSafety.Analyzers.AgentModel;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using static AgentSafety.Tests.Verification.ExpectedDiagnostic;

namespace AgentSafety.Tests.Rules;

/// <summary>AGS005 — untraced state changes in agent tools. Reads like docs/rules/AGS005.md: positives, negatives, fixes, options.</summary>
public class UntracedStateChangeTests
{
    private const string Id = "AGS005";
    private const string TraceKey = UntracedStateChangeCodeFixProvider.TraceKey;
    private const string LogKey = UntracedStateChangeCodeFixProvider.LogKey;

    private const string OrderServiceStub = """
        namespace Shop
        {
            public interface IOrderService
            {
                System.Threading.Tasks.Task<string> CreateOrderAsync(string sku, int quantity);
                System.Threading.Tasks.Task<string> GetOrderAsync(string id);
                void ShipOrder(string id);
            }
        }
        """;

    private static RuleTest Test(string source)
        => RuleTest.For<UntracedStateChangeAnalyzer, UntracedStateChangeCodeFixProvider>().WithSource(source);

    // ---------------------------------------------------------------- positives: each write kind

    [Fact]
    public Task Http_post_in_an_mcp_tool_is_reported_with_the_write_and_the_tool() => Test("""
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class TicketTools(HttpClient http)
        {
            [McpServerTool(Name = "create_ticket")]
            public async Task<string> CreateTicket(string title)
            {
                var response = await {|#0:http.PostAsJsonAsync("https://tickets.example/api", new { title })|};
                return await response.Content.ReadAsStringAsync();
            }
        }
        """).Expect(Diagnostic(Id).At(0)
            .WithArguments("HttpClient.PostAsJsonAsync", "CreateTicket")
            .WithSeverity(DiagnosticSeverity.Warning)).RunAsync();

    [Fact]
    public Task File_write_in_a_kernel_function_is_reported() => RuleTest.For<UntracedStateChangeAnalyzer>()
        .WithSource("""
            using System.IO;
            using Microsoft.SemanticKernel;

            public class NotesPlugin
            {
                [KernelFunction("save_note")]
                public void SaveNote(string path, string text) => {|#0:File.WriteAllText(path, text)|};
            }
            """)
        .Expect(Diagnostic(Id).At(0).WithArguments("File.WriteAllText", "SaveNote")).RunAsync();

    [Fact]
    public Task Database_command_in_a_tool_is_reported() => Test("""
        using System.Data.Common;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class AccountTools(DbConnection connection)
        {
            [McpServerTool]
            public async Task CloseAccount(string accountId)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM accounts WHERE id = @id";
                await {|#0:command.ExecuteNonQueryAsync()|};
            }
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("DbCommand.ExecuteNonQueryAsync", "CloseAccount")).RunAsync();

    [Fact]
    public Task Mail_process_and_http_send_writes_are_reported() => Test("""
        using System.Diagnostics;
        using System.Net.Http;
        using System.Net.Mail;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class OpsTools(SmtpClient smtp, HttpClient http)
        {
            [McpServerTool]
            public async Task Escalate(string to)
            {
                await {|#0:smtp.SendMailAsync(new MailMessage("bot@example.test", to, "Escalation", "Please look"))|};
                {|#1:Process.Start("kubectl", "rollout restart deployment/api")|};
                await {|#2:http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "https://api.example/cache"))|};
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("SmtpClient.SendMailAsync", "Escalate"),
            Diagnostic(Id).At(1).WithArguments("Process.Start", "Escalate"),
            Diagnostic(Id).At(2).WithArguments("HttpClient.SendAsync", "Escalate")).RunAsync();

    [Fact]
    public Task Object_creations_that_open_a_file_for_writing_are_reported() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class ExportTools
        {
            [McpServerTool]
            public static void Export(string path, string csv)
            {
                using var writer = {|#0:new StreamWriter(path)|};
                writer.Write(csv);
                using var log = {|#1:new FileStream(path + ".log", FileMode.Append)|};
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("new StreamWriter", "Export"),
            Diagnostic(Id).At(1).WithArguments("new FileStream", "Export")).RunAsync();

    [Fact]
    public Task A_write_verb_on_a_service_is_reported() => RuleTest.For<UntracedStateChangeAnalyzer>()
        .WithSource(OrderServiceStub)
        .WithSource("""
            using System.Threading.Tasks;
            using ModelContextProtocol.Server;
            using Shop;

            [McpServerToolType]
            public class OrderTools(IOrderService orders)
            {
                [McpServerTool]
                public Task<string> PlaceOrder(string sku, int quantity) => {|#0:orders.CreateOrderAsync(sku, quantity)|};
            }
            """)
        .Expect(Diagnostic(Id).At(0).WithArguments("IOrderService.CreateOrderAsync", "PlaceOrder")).RunAsync();

    [Fact]
    public Task Each_write_call_is_reported_once() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class CleanupTools
        {
            [McpServerTool]
            public int Clean(string[] paths)
            {
                foreach (var path in paths)
                {
                    [|File.Delete(path)|];
                }

                [|File.AppendAllText("audit.txt", "cleaned")|];
                return paths.Length;
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_read_only_hint_does_not_silence_a_write() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class CacheTools
        {
            [McpServerTool(ReadOnly = true)]
            public string Lookup(string key)
            {
                [|File.WriteAllText("last-lookup.txt", key)|];
                return key;
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- positives: where tool code is

    [Fact]
    public Task A_write_in_a_helper_called_by_a_tool_names_the_tool() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            [McpServerTool]
            public string AddNote(string text)
            {
                Persist(text);
                return "saved";
            }

            private void Persist(string text) => {|#0:File.AppendAllText("notes.txt", text)|};
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("File.AppendAllText", "AddNote")).RunAsync();

    [Fact]
    public Task A_helper_reached_by_a_traced_and_an_untraced_tool_names_the_untraced_one() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            private static readonly ActivitySource Source = new("Notes");

            [McpServerTool]
            public void AddNote(string text)
            {
                using var activity = Source.StartActivity("AddNote");
                Persist(text);
            }

            [McpServerTool]
            public void ImportNote(string text) => Persist(text);

            private void Persist(string text) => {|#0:File.AppendAllText("notes.txt", text)|};
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("File.AppendAllText", "ImportNote")).RunAsync();

    [Fact]
    public Task A_helper_three_calls_deep_is_tool_code() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class ArchiveTools
        {
            [McpServerTool]
            public void Archive(string id) => Prepare(id);

            private void Prepare(string id) => Move(id);

            private void Move(string id) => Write(id);

            private void Write(string id) => [|File.Move(id, "archive/" + id)|];
        }
        """).RunAsync();

    [Fact]
    public Task A_lambda_tool_is_reported_with_its_registered_name() => Test("""
        using System.IO;
        using Microsoft.Extensions.AI;

        public class Setup
        {
            public AIFunction Build() => AIFunctionFactory.Create((string path) => {|#0:File.Delete(path)|}, "delete_file");
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("File.Delete", "delete_file")).RunAsync();

    [Fact]
    public Task A_span_in_the_method_that_registers_a_lambda_tool_does_not_trace_it() => Test("""
        using System.Diagnostics;
        using System.IO;
        using Microsoft.Extensions.AI;

        public class Setup
        {
            private static readonly ActivitySource Source = new("Setup");

            public AIFunction Build()
            {
                using var activity = Source.StartActivity("Build");
                return AIFunctionFactory.Create((string path) => [|File.Delete(path)|], "delete_file");
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_method_group_registered_as_a_tool_is_reported() => Test("""
        using System.IO;
        using Microsoft.Extensions.AI;

        public static class FileFunctions
        {
            public static void Truncate(string path) => [|File.WriteAllText(path, "")|];

            public static AIFunction Tool() => AIFunctionFactory.Create(Truncate);
        }
        """).RunAsync();

    [Fact]
    public Task A_write_in_a_local_function_of_a_tool_is_part_of_the_tool() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class ReportTools
        {
            [McpServerTool]
            public string Publish(string name)
            {
                Save();
                return name;

                void Save() => {|#0:File.WriteAllText(name + ".md", "# " + name)|};
            }
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("File.WriteAllText", "Publish")).RunAsync();

    [Fact]
    public Task A_write_in_a_lambda_inside_a_tool_is_part_of_the_tool() => Test("""
        using System.Collections.Generic;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class CleanupTools
        {
            [McpServerTool]
            public void Purge(List<string> paths) => paths.ForEach(p => [|File.Delete(p)|]);
        }
        """).RunAsync();

    [Fact]
    public Task A_configured_tool_attribute_marks_tools() => Test("""
        using System.IO;

        [System.AttributeUsage(System.AttributeTargets.Method)]
        public sealed class AgentToolAttribute : System.Attribute { }

        public class Tools
        {
            [AgentTool]
            public void Save(string text) => [|File.WriteAllText("out.txt", text)|];
        }
        """).WithOption("agentsafety.tool_attributes", "AgentTool").RunAsync();

    [Fact]
    public Task A_lambda_tool_in_top_level_statements_is_named_Main() => Test("""
        using System.IO;
        using Microsoft.Extensions.AI;

        var tools = new[] { AIFunctionFactory.Create((string path) => {|#0:File.Delete(path)|}) };
        """).WithOutputKind(OutputKind.ConsoleApplication)
        .Expect(Diagnostic(Id).At(0).WithArguments("File.Delete", "Main")).RunAsync();

    // ---------------------------------------------------------------- positives: what is not a trace

    [Fact]
    public Task BeginScope_alone_is_not_a_trace() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public void Save(string path, string text)
            {
                using (logger.BeginScope("save {Path}", path))
                {
                    [|File.WriteAllText(path, text)|];
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_trace_in_another_type_does_not_count_unless_configured() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        namespace MyApp
        {
            public static class Audit
            {
                public static void Record(ILogger logger, string what) => logger.LogInformation("{What}", what);
            }

            [McpServerToolType]
            public class FileTools(ILogger<FileTools> logger)
            {
                [McpServerTool]
                public void Save(string path)
                {
                    [|File.WriteAllText(path, "")|];
                    Audit.Record(logger, "saved");
                }
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- negatives: each trace form

    [Fact]
    public Task ActivitySource_StartActivity_traces() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            private static readonly ActivitySource Source = new("Files");

            [McpServerTool]
            public void Save(string path, string text)
            {
                using var activity = Source.StartActivity("Save");
                File.WriteAllText(path, text);
            }
        }
        """).RunAsync();

    [Fact]
    public Task ActivitySource_CreateActivity_traces() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            private static readonly ActivitySource Source = new("Files");

            [McpServerTool]
            public void Save(string path)
            {
                using var activity = Source.CreateActivity("Save", ActivityKind.Internal)?.Start();
                File.Delete(path);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Tags_and_events_on_the_current_activity_trace() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public void Save(string path)
            {
                Activity.Current?.SetTag("file.path", path);
                File.WriteAllText(path, "");
            }

            [McpServerTool]
            public void Remove(string path)
            {
                File.Delete(path);
                Activity.Current?.AddEvent(new ActivityEvent("file.deleted"));
            }
        }
        """).RunAsync();

    [Fact]
    public Task ILogger_calls_trace() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public void Save(string path)
            {
                logger.LogInformation("Saving {Path}", path);
                File.WriteAllText(path, "");
            }

            [McpServerTool]
            public void Remove(string path)
            {
                logger.Log(LogLevel.Warning, "Deleting {Path}", path);
                File.Delete(path);
            }
        }
        """).RunAsync();

    [Fact]
    public Task LoggerMessage_methods_and_delegates_trace() => Test("""
        using System;
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public partial class FileTools(ILogger<FileTools> logger)
        {
            private static readonly Action<ILogger, string, Exception?> Deleted =
                LoggerMessage.Define<string>(LogLevel.Information, new EventId(2), "Deleted {Path}");

            [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Saved {Path}")]
            static partial void LogSaved(ILogger logger, string path);

            [McpServerTool]
            public void Save(string path)
            {
                File.WriteAllText(path, "");
                LogSaved(logger, path);
            }

            [McpServerTool]
            public void Remove(string path)
            {
                File.Delete(path);
                Deleted(logger, path, null);
            }
        }
        """).RunAsync();

    [Fact]
    public Task OpenTelemetry_spans_trace() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        using OpenTelemetry.Trace;

        [McpServerToolType]
        public class FileTools(Tracer tracer)
        {
            [McpServerTool]
            public void Save(string path)
            {
                using var span = tracer.StartActiveSpan("save");
                File.WriteAllText(path, "");
            }

            [McpServerTool]
            public void Remove(string path)
            {
                File.Delete(path);
                Tracer.CurrentSpan.AddEvent("file.deleted");
            }
        }
        """).RunAsync();

    [Fact]
    public Task System_Diagnostics_Trace_traces() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public void Remove(string path)
            {
                Trace.TraceInformation("Deleting {0}", path);
                File.Delete(path);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Configured_trace_methods_trace() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        namespace MyApp
        {
            public static class Audit
            {
                public static void Record(string what) { }
                public static void Note(string what) { }
            }

            [McpServerToolType]
            public class FileTools
            {
                [McpServerTool]
                public void Save(string path)
                {
                    File.WriteAllText(path, "");
                    Audit.Record("saved " + path);
                }

                [McpServerTool]
                public void Remove(string path)
                {
                    File.Delete(path);
                    Audit.Note("deleted " + path);
                }
            }
        }
        """).WithOption("agentsafety.AGS005.trace_methods", "MyApp.Audit.Record, Note").RunAsync();

    [Fact]
    public Task A_same_type_helper_that_logs_traces_the_tool() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public void Remove(string path)
            {
                File.Delete(path);
                Audit("deleted", path);
            }

            private void Audit(string action, string path) => logger.LogInformation("{Action} {Path}", action, path);
        }
        """).RunAsync();

    [Fact]
    public Task A_trace_anywhere_in_the_method_counts_lambdas_included() => Test("""
        using System.Collections.Generic;
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public void Purge(List<string> paths)
            {
                foreach (var path in paths)
                {
                    File.Delete(path);
                }

                paths.ForEach(p => logger.LogInformation("Purged {Path}", p));
            }
        }
        """).RunAsync();

    [Fact]
    public Task Writing_to_the_test_output_is_no_state_change() => Test("""
        using Microsoft.SemanticKernel;
        using Xunit.Abstractions;
        // As in Semantic Kernel's samples, written as xunit tests: the plugin prints what the model asked for.
        public class EmailPlugin(ITestOutputHelper output)
        {
            [KernelFunction]
            public string SendEmail(string to, string body)
            {
                output.WriteLine($"Email to {to}: {body}");
                return "sent";
            }
        }
        """).WithTestFrameworkReference().RunAsync();

    // ---------------------------------------------------------------- negatives: helpers, lambdas, local functions

    [Fact]
    public Task A_helper_that_traces_is_traced() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools(ILogger<NoteTools> logger)
        {
            [McpServerTool]
            public void AddNote(string text) => Persist(text);

            private void Persist(string text)
            {
                File.AppendAllText("notes.txt", text);
                logger.LogInformation("Appended a note of {Length} characters", text.Length);
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_helper_whose_every_tool_traces_is_traced() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            private static readonly ActivitySource Source = new("Notes");

            [McpServerTool]
            public void AddNote(string text)
            {
                using var activity = Source.StartActivity("AddNote");
                Persist(text);
            }

            [McpServerTool]
            public void ImportNote(string text)
            {
                Activity.Current?.SetTag("note.length", text.Length);
                Persist(text);
            }

            private void Persist(string text) => File.AppendAllText("notes.txt", text);
        }
        """).RunAsync();

    [Fact]
    public Task A_lambda_tool_that_traces_in_its_own_body_is_traced() => Test("""
        using System.Diagnostics;
        using System.IO;
        using Microsoft.Extensions.AI;

        public class Setup
        {
            private static readonly ActivitySource Source = new("Setup");

            public AIFunction Build() => AIFunctionFactory.Create((string path) =>
            {
                using var activity = Source.StartActivity("delete_file");
                File.Delete(path);
            }, "delete_file");
        }
        """).RunAsync();

    [Fact]
    public Task A_local_function_is_traced_by_its_tool() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class ReportTools(ILogger<ReportTools> logger)
        {
            [McpServerTool]
            public void Publish(string name)
            {
                logger.LogInformation("Publishing {Name}", name);
                Save();

                void Save() => File.WriteAllText(name + ".md", "# " + name);
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_trace_in_a_local_function_of_the_tool_counts() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public void Remove(string path)
            {
                File.Delete(path);
                Report();

                void Report() => logger.LogInformation("Deleted {Path}", path);
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_lambda_tool_calling_a_helper_that_traces_is_traced() => Test("""
        using System.IO;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.Logging;

        public class Setup(ILogger<Setup> logger)
        {
            public AIFunction Build() => AIFunctionFactory.Create((string path) =>
            {
                File.Delete(path);
                Deleted(path);
            }, "delete_file");

            private void Deleted(string path) => logger.LogInformation("Deleted {Path}", path);
        }
        """).RunAsync();

    [Fact]
    public Task A_helper_reached_only_by_a_traced_lambda_tool_is_traced() => Test("""
        using System.Diagnostics;
        using System.IO;
        using Microsoft.Extensions.AI;

        public class Setup
        {
            public AIFunction Build() => AIFunctionFactory.Create((string path) =>
            {
                Activity.Current?.SetTag("file.path", path);
                Remove(path);
            }, "delete_file");

            private static void Remove(string path) => File.Delete(path);
        }
        """).RunAsync();

    [Fact]
    public Task Recording_an_exception_or_a_status_traces() => Test("""
        using System;
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;
        using OpenTelemetry.Trace;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public void Remove(string path)
            {
                try { File.Delete(path); }
                catch (IOException ex) { Activity.Current?.AddException(ex); throw; }
            }

            [McpServerTool]
            public void Save(string path)
            {
                try { File.WriteAllText(path, ""); }
                catch (Exception ex) { Activity.Current?.RecordException(ex); throw; }
            }

            [McpServerTool]
            public void Touch(string path)
            {
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
                Activity.Current?.SetStatus(ActivityStatusCode.Ok);
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- negatives: no state change, no tool

    [Fact]
    public Task Pure_tools_are_not_reported() => RuleTest.For<UntracedStateChangeAnalyzer>()
        .WithSource(OrderServiceStub)
        .WithSource("""
            using System.IO;
            using System.Net.Http;
            using System.Net.Http.Json;
            using System.Threading.Tasks;
            using ModelContextProtocol.Server;
            using Shop;

            [McpServerToolType]
            public class LookupTools(HttpClient http, IOrderService orders)
            {
                [McpServerTool]
                public async Task<string> Lookup(string id)
                {
                    var order = await orders.GetOrderAsync(id);
                    var text = await http.GetStringAsync("https://api.example/orders/" + id);
                    var status = await http.GetFromJsonAsync<string>("https://api.example/status");
                    await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://api.example/ping"));
                    var notes = File.ReadAllText("notes/" + id);
                    using var stream = new FileStream("orders/" + id, FileMode.Open);
                    using var reader = new StreamReader(stream);
                    using var echo = new StreamWriter(new MemoryStream());
                    return order + text + status + notes + reader.ReadToEnd();
                }
            }
            """).RunAsync();

    [Fact]
    public Task Code_that_is_not_a_tool_is_not_reported() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        public class Exporter
        {
            public void Export(string path, string csv) => File.WriteAllText(path, csv);
        }

        [McpServerToolType]
        public class Tools
        {
            [McpServerTool]
            public string Echo(string text) => text;

            public void Maintenance() => File.Delete("stale.txt");

            private void Unused() => File.Delete("tmp.txt");
        }
        """).RunAsync();

    [Fact]
    public Task A_method_with_an_unconfigured_attribute_is_not_a_tool() => Test("""
        using System.IO;

        [System.AttributeUsage(System.AttributeTargets.Method)]
        public sealed class AgentToolAttribute : System.Attribute { }

        public class Tools
        {
            [AgentTool]
            public void Save(string text) => File.WriteAllText("out.txt", text);
        }
        """).RunAsync();

    [Fact]
    public Task Model_clients_are_not_state_changes() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class SummaryTools(IChatClient chat, OpenAI.Chat.ChatClient openAi)
        {
            [McpServerTool]
            public async Task<string> Summarize(string text)
            {
                var first = await chat.GetResponseAsync("Summarize: " + text);
                var second = await openAi.CompleteChatAsync("Summarize again: " + first.Text);
                return second.Value.Content[0].Text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task In_memory_changes_are_not_state_changes() => Test("""
        using System.Collections.Generic;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Server;

        public class PromptBuilder { public void AddSection(string text) { } }
        public class NoteCache { public void Add(string key, string value) { } }

        [McpServerToolType]
        public class MemoryTools(List<ChatMessage> history, Dictionary<string, string> facts, PromptBuilder prompt, NoteCache cache)
        {
            [McpServerTool]
            public string Remember(string key, string value)
            {
                history.Add(new ChatMessage(ChatRole.User, value));
                facts[key] = value;
                facts.Remove("stale");
                prompt.AddSection(value);
                cache.Add(key, value);
                return "remembered";
            }
        }
        """).RunAsync();

    [Fact]
    public Task Calls_to_the_tools_own_methods_are_followed_not_counted_as_writes() => Test("""
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class DraftTools
        {
            private string _draft = "";

            [McpServerTool]
            public string SaveDraft(string text) => CreateDraft(text);

            private string CreateDraft(string text) => _draft = text;
        }
        """).RunAsync();

    [Fact]
    public Task Generated_code_is_not_analyzed() => RuleTest.For<UntracedStateChangeAnalyzer>().WithSource("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class GeneratedTools
        {
            [McpServerTool]
            public void Save(string text) => File.WriteAllText("out.txt", text);
        }
        """, "GeneratedTools.g.cs").RunAsync();

    // ---------------------------------------------------------------- options

    [Fact]
    public Task Write_verbs_replace_the_default_list() => RuleTest.For<UntracedStateChangeAnalyzer>()
        .WithSource(OrderServiceStub)
        .WithSource("""
            using System.Threading.Tasks;
            using ModelContextProtocol.Server;
            using Shop;

            [McpServerToolType]
            public class OrderTools(IOrderService orders)
            {
                [McpServerTool]
                public Task<string> PlaceOrder(string sku) => orders.CreateOrderAsync(sku, 1);

                [McpServerTool]
                public void Ship(string id) => {|#0:orders.ShipOrder(id)|};
            }
            """)
        .WithOption("agentsafety.write_verbs", "Ship")
        .Expect(Diagnostic(Id).At(0).WithArguments("IOrderService.ShipOrder", "Ship")).RunAsync();

    [Fact]
    public Task Severity_is_configurable() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public void Remove(string path) => {|#0:File.Delete(path)|};
        }
        """).WithOption("dotnet_diagnostic.AGS005.severity", "error")
        .Expect(Diagnostic(Id).At(0).WithSeverity(DiagnosticSeverity.Error)).RunAsync();

    [Fact]
    public Task Severity_none_silences_the_rule() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public void Remove(string path) => File.Delete(path);
        }
        """).WithOption("dotnet_diagnostic.AGS005.severity", "none").RunAsync();

    // ---------------------------------------------------------------- fix: Trace with ActivitySource

    [Fact]
    public Task Trace_adds_a_source_named_after_the_assembly_and_tags_the_tool_and_its_plain_parameters_but_not_free_text() => Test("""
        using System.IO;
        using System.Threading;
        using ModelContextProtocol.Server;

        namespace Agent.Tools;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public void SaveNote(string path, string text, int version, string apiKey, Stream attachment, CancellationToken cancellationToken)
            {
                [|File.WriteAllText(path, text)|];
            }
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using System.Threading;
        using ModelContextProtocol.Server;

        namespace Agent.Tools;

        [McpServerToolType]
        public class FileTools
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            [McpServerTool]
            public void SaveNote(string path, string text, int version, string apiKey, Stream attachment, CancellationToken cancellationToken)
            {
                using var activity = ToolActivitySource.StartActivity("SaveNote");
                activity?.SetTag("gen_ai.tool.name", "SaveNote");
                activity?.SetTag("path", path);
                activity?.SetTag("version", version);
                File.WriteAllText(path, text);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_writes_to_the_projects_shared_activity_source_instead_of_adding_one_nobody_listens_to() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        internal static class AgentTelemetry
        {
            public static readonly ActivitySource Source = new("Contoso.Agent");
        }

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool(Name = "save_note")]
            public void SaveNote(string path, string noteText) => [|File.WriteAllText(path, noteText)|];
        }

        [McpServerToolType]
        public class ArchiveTools
        {
            [McpServerTool]
            public void Archive(string path) => [|File.Move(path, path + ".bak")|];
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        internal static class AgentTelemetry
        {
            public static readonly ActivitySource Source = new("Contoso.Agent");
        }

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool(Name = "save_note")]
            public void SaveNote(string path, string noteText)
            {
                using var activity = AgentTelemetry.Source.StartActivity("save_note");
                activity?.SetTag("gen_ai.tool.name", "save_note");
                activity?.SetTag("path", path);
                File.WriteAllText(path, noteText);
            }
        }

        [McpServerToolType]
        public class ArchiveTools
        {
            [McpServerTool]
            public void Archive(string path)
            {
                using var activity = AgentTelemetry.Source.StartActivity("Archive");
                activity?.SetTag("gen_ai.tool.name", "Archive");
                activity?.SetTag("path", path);
                File.Move(path, path + ".bak");
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_does_not_take_a_source_the_tool_cannot_read() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        internal static class Startup
        {
            private static readonly ActivitySource Source = new("Contoso.Startup");
        }

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public void Save(string path) => [|File.WriteAllText(path, "")|];
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        internal static class Startup
        {
            private static readonly ActivitySource Source = new("Contoso.Startup");
        }

        [McpServerToolType]
        public class FileTools
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            [McpServerTool]
            public void Save(string path)
            {
                using var activity = ToolActivitySource.StartActivity("Save");
                activity?.SetTag("gen_ai.tool.name", "Save");
                activity?.SetTag("path", path);
                File.WriteAllText(path, "");
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_in_an_async_tool_goes_first_keeps_the_body_and_names_the_span_after_the_registered_tool() => Test("""
        using System.Diagnostics;
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
                var response = await [|http.PostAsJsonAsync("https://tickets.example/api", new { title, body }, cancellationToken)|];
                return await response.Content.ReadAsStringAsync(cancellationToken);
            }
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public sealed class TicketTools(HttpClient http)
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            [McpServerTool(Name = "create_ticket")]
            public async Task<string> CreateTicket(string title, string body, CancellationToken cancellationToken)
            {
                using var activity = ToolActivitySource.StartActivity("create_ticket");
                activity?.SetTag("gen_ai.tool.name", "create_ticket");
                activity?.SetTag("title", title);
                var response = await http.PostAsJsonAsync("https://tickets.example/api", new { title, body }, cancellationToken);
                return await response.Content.ReadAsStringAsync(cancellationToken);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_turns_expression_bodied_tools_into_blocks() => Test("""
        using System.IO;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public string Save(string path, string text) => [|File.CreateText(path)|].ToString() + text;

            [McpServerTool]
            public void Remove(string path) => [|File.Delete(path)|];

            [McpServerTool]
            public async Task Append(string path, string text) => await [|File.AppendAllTextAsync(path, text)|];

            [McpServerTool]
            public Task Copy(string from, string to) => Task.Run(() => [|File.Copy(from, to)|]);
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            [McpServerTool]
            public string Save(string path, string text)
            {
                using var activity = ToolActivitySource.StartActivity("Save");
                activity?.SetTag("gen_ai.tool.name", "Save");
                activity?.SetTag("path", path);
                return File.CreateText(path).ToString() + text;
            }

            [McpServerTool]
            public void Remove(string path)
            {
                using var activity = ToolActivitySource.StartActivity("Remove");
                activity?.SetTag("gen_ai.tool.name", "Remove");
                activity?.SetTag("path", path);
                File.Delete(path);
            }

            [McpServerTool]
            public async Task Append(string path, string text)
            {
                using var activity = ToolActivitySource.StartActivity("Append");
                activity?.SetTag("gen_ai.tool.name", "Append");
                activity?.SetTag("path", path);
                await File.AppendAllTextAsync(path, text);
            }

            [McpServerTool]
            public Task Copy(string from, string to)
            {
                using var activity = ToolActivitySource.StartActivity("Copy");
                activity?.SetTag("gen_ai.tool.name", "Copy");
                activity?.SetTag("from", from);
                activity?.SetTag("to", to);
                return Task.Run(() => File.Copy(from, to));
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_in_a_static_tool_adds_a_static_source_to_the_static_class() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class ExportTools
        {
            private const string Folder = "exports";

            [McpServerTool]
            public static void Export(string name, bool overwrite)
            {
                [|File.Copy(name, Path.Combine(Folder, name), overwrite)|];
            }
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class ExportTools
        {
            private const string Folder = "exports";
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            [McpServerTool]
            public static void Export(string name, bool overwrite)
            {
                using var activity = ToolActivitySource.StartActivity("Export");
                activity?.SetTag("gen_ai.tool.name", "Export");
                activity?.SetTag("name", name);
                activity?.SetTag("overwrite", overwrite);
                File.Copy(name, Path.Combine(Folder, name), overwrite);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_reuses_an_existing_static_ActivitySource() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            internal static readonly ActivitySource Telemetry = new("MyCompany.Agent");

            [McpServerTool]
            public void Remove(string path)
            {
                [|File.Delete(path)|];
            }
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            internal static readonly ActivitySource Telemetry = new("MyCompany.Agent");

            [McpServerTool]
            public void Remove(string path)
            {
                using var activity = Telemetry.StartActivity("Remove");
                activity?.SetTag("gen_ai.tool.name", "Remove");
                activity?.SetTag("path", path);
                File.Delete(path);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_does_not_use_an_instance_source_from_a_static_tool() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ActivitySource source)
        {
            private readonly ActivitySource _source = source;

            [McpServerTool]
            public void Remove(string path) => [|File.Delete(path)|];

            [McpServerTool]
            public static void Clear(string folder) => [|Directory.Delete(folder, true)|];
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ActivitySource source)
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");
            private readonly ActivitySource _source = source;

            [McpServerTool]
            public void Remove(string path)
            {
                using var activity = _source.StartActivity("Remove");
                activity?.SetTag("gen_ai.tool.name", "Remove");
                activity?.SetTag("path", path);
                File.Delete(path);
            }

            [McpServerTool]
            public static void Clear(string folder)
            {
                using var activity = ToolActivitySource.StartActivity("Clear");
                activity?.SetTag("gen_ai.tool.name", "Clear");
                activity?.SetTag("folder", folder);
                Directory.Delete(folder, true);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_fixes_all_with_one_source_per_type() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public void Save(string path) => [|File.WriteAllText(path, "")|];

            [McpServerTool]
            public void Remove(string path) => [|File.Delete(path)|];

            [McpServerTool]
            public void Move(string from, string to) => [|File.Move(from, to)|];
        }

        [McpServerToolType]
        public class FolderTools
        {
            [McpServerTool]
            public void Create(string path) => [|Directory.CreateDirectory(path)|];
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            [McpServerTool]
            public void Save(string path)
            {
                using var activity = ToolActivitySource.StartActivity("Save");
                activity?.SetTag("gen_ai.tool.name", "Save");
                activity?.SetTag("path", path);
                File.WriteAllText(path, "");
            }

            [McpServerTool]
            public void Remove(string path)
            {
                using var activity = ToolActivitySource.StartActivity("Remove");
                activity?.SetTag("gen_ai.tool.name", "Remove");
                activity?.SetTag("path", path);
                File.Delete(path);
            }

            [McpServerTool]
            public void Move(string from, string to)
            {
                using var activity = ToolActivitySource.StartActivity("Move");
                activity?.SetTag("gen_ai.tool.name", "Move");
                activity?.SetTag("from", from);
                activity?.SetTag("to", to);
                File.Move(from, to);
            }
        }

        [McpServerToolType]
        public class FolderTools
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            [McpServerTool]
            public void Create(string path)
            {
                using var activity = ToolActivitySource.StartActivity("Create");
                activity?.SetTag("gen_ai.tool.name", "Create");
                activity?.SetTag("path", path);
                Directory.CreateDirectory(path);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_in_a_lambda_tool_instruments_the_lambda() => Test("""
        using System.IO;
        using Microsoft.Extensions.AI;

        public class Setup
        {
            public AIFunction Build() => AIFunctionFactory.Create((string path) => [|File.Delete(path)|], "delete_file");
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using Microsoft.Extensions.AI;

        public class Setup
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            public AIFunction Build() => AIFunctionFactory.Create((string path) =>
            {
                using var activity = ToolActivitySource.StartActivity("delete_file");
                activity?.SetTag("gen_ai.tool.name", "delete_file");
                activity?.SetTag("path", path);
                File.Delete(path);
            }, "delete_file");
        }
        """).RunAsync();

    [Fact]
    public Task Trace_in_a_block_lambda_tool_keeps_one_statement_a_line_and_names_the_span_after_the_create_options_name() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        internal static class Telemetry
        {
            public static readonly ActivitySource Source = new("Consumer");
        }

        public static class NoteTools
        {
            public static McpServerTool WriteNote() => McpServerTool.Create(
                (string name, string text) =>
                {
                    var path = Path.Combine("notes", name + ".md");
                    [|File.WriteAllText(path, text)|];
                    return path;
                },
                new McpServerToolCreateOptions { Name = "write_note" });
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        internal static class Telemetry
        {
            public static readonly ActivitySource Source = new("Consumer");
        }

        public static class NoteTools
        {
            public static McpServerTool WriteNote() => McpServerTool.Create(
                (string name, string text) =>
                {
                    using var activity = Telemetry.Source.StartActivity("write_note");
                    activity?.SetTag("gen_ai.tool.name", "write_note");
                    activity?.SetTag("name", name);
                    var path = Path.Combine("notes", name + ".md");
                    File.WriteAllText(path, text);
                    return path;
                },
                new McpServerToolCreateOptions { Name = "write_note" });
        }
        """).RunAsync();

    [Fact]
    public Task Trace_puts_a_new_source_before_the_static_fields_that_may_use_it() => Test("""
        using System.IO;
        using Microsoft.Extensions.AI;

        public static class FileFunctions
        {
            public const string Folder = "scratch";

            public static readonly AIFunction Delete = AIFunctionFactory.Create((string name) => [|File.Delete(Path.Combine(Folder, name))|], "delete_scratch_file");
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using Microsoft.Extensions.AI;

        public static class FileFunctions
        {
            public const string Folder = "scratch";
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");
            public static readonly AIFunction Delete = AIFunctionFactory.Create((string name) =>
            {
                using var activity = ToolActivitySource.StartActivity("delete_scratch_file");
                activity?.SetTag("gen_ai.tool.name", "delete_scratch_file");
                activity?.SetTag("name", name);
                File.Delete(Path.Combine(Folder, name));
            }, "delete_scratch_file");
        }
        """).RunAsync();

    [Fact]
    public Task Trace_in_a_helper_names_the_helper_and_tags_no_tool_when_several_reach_it() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            [McpServerTool]
            public void AddNote(string text) => Persist("notes.txt", text);

            [McpServerTool]
            public void AddTodo(string text) => Persist("todo.txt", text);

            private void Persist(string file, string text)
            {
                [|File.AppendAllText(file, text)|];
            }
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            [McpServerTool]
            public void AddNote(string text) => Persist("notes.txt", text);

            [McpServerTool]
            public void AddTodo(string text) => Persist("todo.txt", text);

            private void Persist(string file, string text)
            {
                using var activity = ToolActivitySource.StartActivity("Persist");
                activity?.SetTag("file", file);
                File.AppendAllText(file, text);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_on_a_tool_also_traces_the_helpers_only_it_reaches() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            [McpServerTool]
            public void AddNote(string text)
            {
                [|File.AppendAllText("notes.txt", text)|];
                Backup(text);
            }

            private void Backup(string text) => [|File.AppendAllText("backup.txt", text)|];
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            [McpServerTool]
            public void AddNote(string text)
            {
                using var activity = ToolActivitySource.StartActivity("AddNote");
                activity?.SetTag("gen_ai.tool.name", "AddNote");
                File.AppendAllText("notes.txt", text);
                Backup(text);
            }

            private void Backup(string text) => File.AppendAllText("backup.txt", text);
        }
        """).RunAsync();

    [Fact]
    public Task Trace_on_a_helper_also_traces_the_tools_that_call_it() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            private void Backup(string text) => [|File.AppendAllText("backup.txt", text)|];

            [McpServerTool]
            public void AddNote(string text)
            {
                [|File.AppendAllText("notes.txt", text)|];
                Backup(text);
            }
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            private void Backup(string text)
            {
                using var activity = ToolActivitySource.StartActivity("Backup");
                activity?.SetTag("gen_ai.tool.name", "AddNote");
                File.AppendAllText("backup.txt", text);
            }

            [McpServerTool]
            public void AddNote(string text)
            {
                File.AppendAllText("notes.txt", text);
                Backup(text);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Secret_named_parameters_are_never_tagged() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class AccountTools(HttpClient http)
        {
            [McpServerTool]
            public async Task Register(
                string userName, string password, string apiKey, string OPENAI_API_KEY, string accessToken, string clientSecret,
                string privateKey, string connectionString, string pwd, string passwordHint, string secretName, int maxTokens,
                int tokenCount, string apiKeyHeader)
            {
                await [|http.PostAsync("https://accounts.example/register", null)|];
            }
        }
        """).WithFix(TraceKey, """
        using System.Diagnostics;
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class AccountTools(HttpClient http)
        {
            private static readonly ActivitySource ToolActivitySource = new ActivitySource("TestProject");

            [McpServerTool]
            public async Task Register(
                string userName, string password, string apiKey, string OPENAI_API_KEY, string accessToken, string clientSecret,
                string privateKey, string connectionString, string pwd, string passwordHint, string secretName, int maxTokens,
                int tokenCount, string apiKeyHeader)
            {
                using var activity = ToolActivitySource.StartActivity("Register");
                activity?.SetTag("gen_ai.tool.name", "Register");
                activity?.SetTag("userName", userName);
                activity?.SetTag("passwordHint", passwordHint);
                activity?.SetTag("secretName", secretName);
                activity?.SetTag("maxTokens", maxTokens);
                activity?.SetTag("tokenCount", tokenCount);
                activity?.SetTag("apiKeyHeader", apiKeyHeader);
                await http.PostAsync("https://accounts.example/register", null);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_picks_free_names_for_the_source_and_the_activity() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            public string ActivitySource => "a string, not a source";

            public string ToolActivitySource => "taken too";

            [McpServerTool]
            public void Save(string activity)
            {
                [|File.WriteAllText("activity.txt", activity)|];
            }
        }
        """).WithFix(TraceKey, """
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            private static readonly global::System.Diagnostics.ActivitySource AgentActivitySource = new global::System.Diagnostics.ActivitySource("TestProject");

            public string ActivitySource => "a string, not a source";

            public string ToolActivitySource => "taken too";

            [McpServerTool]
            public void Save(string activity)
            {
                using var toolActivity = AgentActivitySource.StartActivity("Save");
                toolActivity?.SetTag("gen_ai.tool.name", "Save");
                toolActivity?.SetTag("activity", activity);
                File.WriteAllText("activity.txt", activity);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Trace_is_not_offered_for_a_type_split_over_files_without_a_source() => RuleTest.For<UntracedStateChangeAnalyzer, UntracedStateChangeCodeFixProvider>()
        .WithSource("""
            using System.IO;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public partial class FileTools
            {
                [McpServerTool]
                public void Remove(string path) => [|File.Delete(path)|];
            }
            """)
        .WithSource("""
            using System.IO;
            using ModelContextProtocol.Server;

            public partial class FileTools
            {
                [McpServerTool]
                public void Save(string path) => [|File.WriteAllText(path, "")|];
            }
            """)
        .WithoutFix(TraceKey).RunAsync();

    [Fact]
    public Task Trace_reuses_a_source_declared_in_another_part_of_the_type() => RuleTest.For<UntracedStateChangeAnalyzer, UntracedStateChangeCodeFixProvider>()
        .WithSource("""
            using System.Diagnostics;

            public partial class FileTools
            {
                private static readonly ActivitySource Source = new("Files");
            }
            """)
        .WithSource("""
            using System.IO;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public partial class FileTools
            {
                [McpServerTool]
                public void Remove(string path) => [|File.Delete(path)|];
            }
            """)
        .WithFix(TraceKey, """
            using System.Diagnostics;

            public partial class FileTools
            {
                private static readonly ActivitySource Source = new("Files");
            }
            """, """
            using System.IO;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public partial class FileTools
            {
                [McpServerTool]
                public void Remove(string path)
                {
                    using var activity = Source.StartActivity("Remove");
                    activity?.SetTag("gen_ai.tool.name", "Remove");
                    activity?.SetTag("path", path);
                    File.Delete(path);
                }
            }
            """).RunAsync();

    // ---------------------------------------------------------------- fix: Log the state change

    [Fact]
    public Task Log_inserts_a_structured_log_before_the_write() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            private readonly ILogger<FileTools> _logger;

            public FileTools(ILogger<FileTools> logger) => _logger = logger;

            [McpServerTool]
            public string Save(string path, string text, string token, Stream upload)
            {
                var full = Path.GetFullPath(path);
                [|File.WriteAllText(full, text)|];
                return full;
            }
        }
        """).WithFix(LogKey, """
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            private readonly ILogger<FileTools> _logger;

            public FileTools(ILogger<FileTools> logger) => _logger = logger;

            [McpServerTool]
            public string Save(string path, string text, string token, Stream upload)
            {
                var full = Path.GetFullPath(path);
                _logger.LogInformation("Tool {Tool} calls {Operation} (path: {Path})", "Save", "File.WriteAllText", path);
                File.WriteAllText(full, text);
                return full;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Log_uses_a_primary_constructor_logger_and_adds_the_using() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class HookTools(HttpClient http, Microsoft.Extensions.Logging.ILogger<HookTools> logger)
        {
            [McpServerTool]
            public async Task Notify(string channel, int priority)
            {
                await [|http.PostAsync("https://hooks.example/" + channel, null)|];
            }
        }
        """).WithFix(LogKey, """
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class HookTools(HttpClient http, Microsoft.Extensions.Logging.ILogger<HookTools> logger)
        {
            [McpServerTool]
            public async Task Notify(string channel, int priority)
            {
                logger.LogInformation("Tool {Tool} calls {Operation} (channel: {Channel}, priority: {Priority})", "Notify", "HttpClient.PostAsync", channel, priority);
                await http.PostAsync("https://hooks.example/" + channel, null);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Log_turns_an_expression_body_into_a_block() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public bool Remove(string path) => File.Exists(path) && Delete(path);

            [McpServerTool]
            public void Clear(string folder) => [|Directory.Delete(folder, recursive: true)|];

            private static bool Delete(string path) => true;
        }
        """).WithFix(LogKey, """
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public bool Remove(string path) => File.Exists(path) && Delete(path);

            [McpServerTool]
            public void Clear(string folder)
            {
                logger.LogInformation("Tool {Tool} calls {Operation} (folder: {Folder})", "Clear", "Directory.Delete", folder);
                Directory.Delete(folder, recursive: true);
            }

            private static bool Delete(string path) => true;
        }
        """).RunAsync();

    [Fact]
    public Task Log_wraps_an_embedded_statement_in_a_block() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public string Remove(string path)
            {
                if (File.Exists(path))
                    [|File.Delete(path)|];
                return "done";
            }
        }
        """).WithFix(LogKey, """
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public string Remove(string path)
            {
                if (File.Exists(path))
                {
                    logger.LogInformation("Tool {Tool} calls {Operation} (path: {Path})", "Remove", "File.Delete", path);
                    File.Delete(path);
                }
                return "done";
            }
        }
        """).RunAsync();

    [Fact]
    public Task Log_adds_one_log_per_method_under_fix_all() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public void Rotate(string path)
            {
                [|File.Copy(path, path + ".1", overwrite: true)|];
                [|File.WriteAllText(path, "")|];
            }

            [McpServerTool]
            public void Remove(string path)
            {
                [|File.Delete(path)|];
            }
        }
        """).WithFix(LogKey, """
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public void Rotate(string path)
            {
                logger.LogInformation("Tool {Tool} calls {Operation} (path: {Path})", "Rotate", "File.Copy", path);
                File.Copy(path, path + ".1", overwrite: true);
                File.WriteAllText(path, "");
            }

            [McpServerTool]
            public void Remove(string path)
            {
                logger.LogInformation("Tool {Tool} calls {Operation} (path: {Path})", "Remove", "File.Delete", path);
                File.Delete(path);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Log_in_a_helper_reached_by_several_tools_names_the_method() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools(ILogger<NoteTools> logger)
        {
            [McpServerTool]
            public void AddNote(string text) => Persist("notes.txt", text);

            [McpServerTool]
            public void AddTodo(string text) => Persist("todo.txt", text);

            private void Persist(string file, string text)
            {
                [|File.AppendAllText(file, text)|];
            }
        }
        """).WithFix(LogKey, """
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools(ILogger<NoteTools> logger)
        {
            [McpServerTool]
            public void AddNote(string text) => Persist("notes.txt", text);

            [McpServerTool]
            public void AddTodo(string text) => Persist("todo.txt", text);

            private void Persist(string file, string text)
            {
                logger.LogInformation("{Method} calls {Operation} (file: {File})", "Persist", "File.AppendAllText", file);
                File.AppendAllText(file, text);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Log_in_a_lambda_tool_uses_a_captured_logger() => Test("""
        using System.IO;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.Logging;

        public class Setup
        {
            public AIFunction Build(ILogger logger) => AIFunctionFactory.Create((string path, string secret) => [|File.Delete(path)|], "delete_file");
        }
        """).WithFix(LogKey, """
        using System.IO;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.Logging;

        public class Setup
        {
            public AIFunction Build(ILogger logger) => AIFunctionFactory.Create((string path, string secret) =>
            {
                logger.LogInformation("Tool {Tool} calls {Operation} (path: {Path})", "delete_file", "File.Delete", path);
                File.Delete(path);
            }, "delete_file");
        }
        """).RunAsync();

    [Fact]
    public Task Log_is_not_offered_without_a_usable_logger() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public static void Remove(string path) => [|File.Delete(path)|];
        }

        [McpServerToolType]
        public class FolderTools
        {
            [McpServerTool]
            public void Clear(string folder) => [|Directory.Delete(folder, true)|];
        }
        """).WithoutFix(LogKey).RunAsync();

    [Fact]
    public Task Log_names_placeholders_that_do_not_repeat() => Test("""
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public void Run(string tool, string operation)
            {
                [|File.WriteAllText(tool, operation)|];
            }
        }
        """).WithFix(LogKey, """
        using System.IO;
        using Microsoft.Extensions.Logging;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools(ILogger<FileTools> logger)
        {
            [McpServerTool]
            public void Run(string tool, string operation)
            {
                logger.LogInformation("Tool {Tool} calls {Operation} (tool: {Tool2}, operation: {Operation2})", "Run", "File.WriteAllText", tool, operation);
                File.WriteAllText(tool, operation);
            }
        }
        """).RunAsync();
}
