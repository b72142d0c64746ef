using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using static AgentSafety.Tests.Verification.ExpectedDiagnostic;

namespace AgentSafety.Tests.Rules;

/// <summary>AGS007 — destructive tools with no human approval, and hints that lie. Reads like docs/rules/AGS007.md.</summary>
public class UnapprovedDestructiveToolTests
{
    private const string Id = "AGS007";

    private static RuleTest Test(string source)
        => RuleTest.For<UnapprovedDestructiveToolAnalyzer, UnapprovedDestructiveToolCodeFixProvider>().WithSource(source);

    private static ExpectedDiagnostic Unapproved(int location, string tool, string what)
        => Diagnostic(Id).At(location).WithMessage($"Tool '{tool}' {what} with no human approval");

    private static ExpectedDiagnostic Hint(int location, string tool, string marked, string does)
        => Diagnostic(Id).At(location).WithMessage($"Tool '{tool}' is marked {marked} but {does}");

    // ---------------------------------------------------------------- reported: destructive tools nobody approves

    [Fact]
    public Task Mcp_tool_that_deletes_a_file_is_reported_on_its_name() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool(Name = "delete_file")]
            public string {|#0:DeleteFile|}(string path)
            {
                File.Delete(path);
                return "deleted";
            }
        }
        """).Expect(Unapproved(0, "DeleteFile", "calls File.Delete").WithSeverity(DiagnosticSeverity.Warning)).RunAsync();

    [Fact]
    public Task Lambda_function_that_sends_an_http_delete_is_reported_on_the_lambda() => Test("""
        using System.Net.Http;
        using Microsoft.Extensions.AI;
        class Setup(HttpClient http)
        {
            AIFunction Build()
                => AIFunctionFactory.Create({|#0:async (string id) => (await http.DeleteAsync($"https://crm.example/contacts/{id}")).StatusCode.ToString()|}, "delete_contact");
        }
        """).Expect(Unapproved(0, "delete_contact", "calls HttpClient.DeleteAsync")).RunAsync();

    [Fact]
    public Task Destructive_hint_alone_is_reported() => Test("""
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public interface IFleet { Task ShutDownAsync(string host); }
        [McpServerToolType]
        public class FleetTools(IFleet fleet)
        {
            [McpServerTool(Destructive = true)]
            public Task {|#0:ShutDown|}(string host) => fleet.ShutDownAsync(host);
        }
        """).Expect(Unapproved(0, "ShutDown", "is marked Destructive = true")).RunAsync();

    [Fact]
    public Task Money_and_destroy_verbs_on_service_types_are_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        public interface IPayments { Task RefundAsync(string order); Task TransferAsync(string from, string to, decimal amount); }
        public interface IAccounts { Task RevokeAccessAsync(string user); }
        public class BillingPlugin(IPayments payments, IAccounts accounts)
        {
            [KernelFunction]
            public Task {|#0:Refund|}(string order) => payments.RefundAsync(order);

            [KernelFunction]
            public async Task {|#1:Offboard|}(string user, string account)
            {
                await accounts.RevokeAccessAsync(user);
                await payments.TransferAsync(account, "closing", 0m);
            }
        }
        """).Expect(
            Unapproved(0, "Refund", "calls IPayments.RefundAsync"),
            Unapproved(1, "Offboard", "calls IAccounts.RevokeAccessAsync, IPayments.TransferAsync")).RunAsync();

    [Fact]
    public Task Database_deletes_are_reported() => Test("""
        using System.Data.Common;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;
        using ModelContextProtocol.Server;
        public class Customer { public int Id { get; set; } }
        public class ShopContext : DbContext { public DbSet<Customer> Customers => Set<Customer>(); }
        [McpServerToolType]
        public class AdminTools(ShopContext db, DbConnection connection)
        {
            [McpServerTool]
            public async Task {|#0:RemoveCustomer|}(int id)
            {
                db.Customers.Remove(new Customer { Id = id });
                await db.SaveChangesAsync();
            }

            [McpServerTool]
            public Task<int> {|#1:PurgeCustomers|}() => db.Customers.Where(c => c.Id < 0).ExecuteDeleteAsync();

            [McpServerTool]
            public int {|#2:DropTable|}(string table)
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"DROP TABLE {table}";
                return command.ExecuteNonQuery();
            }
        }
        """).Expect(
            Unapproved(0, "RemoveCustomer", "calls DbSet.Remove"),
            Unapproved(1, "PurgeCustomers", "calls ExecuteDeleteAsync"),
            Unapproved(2, "DropTable", "calls SQL DROP")).RunAsync();

    [Fact]
    public Task Process_kill_and_http_delete_requests_in_helpers_are_reported() => Test("""
        using System.Diagnostics;
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class OpsTools(HttpClient http)
        {
            [McpServerTool]
            public string {|#0:StopProcess|}(int pid)
            {
                Process.GetProcessById(pid).Kill();
                return "stopped";
            }

            [McpServerTool]
            public async Task<string> {|#1:CloseIncident|}(string id)
            {
                await SendAsync(id);
                return "closed";
            }

            private Task<HttpResponseMessage> SendAsync(string id)
                => http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"https://ops.example/incidents/{id}"));
        }
        """).Expect(
            Unapproved(0, "StopProcess", "calls Process.Kill"),
            Unapproved(1, "CloseIncident", "calls HttpClient.SendAsync")).RunAsync();

    [Fact]
    public Task Kiota_client_delete_in_a_kernel_function_is_reported_and_its_get_and_post_are_not() => Test("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        namespace Bistro.Bookings
        {
            // A Kiota-generated client in the application's namespace (Microsoft Graph's shape).
            public class Booking { public string? Id { get; set; } public int PartySize { get; set; } }
            public class BookingItemRequestBuilder
            {
                public Task<Booking?> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult<Booking?>(null);
                public Task DeleteAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
            }
            public class BookingsRequestBuilder
            {
                public BookingItemRequestBuilder this[string id] => new();
                public Task<Booking?> PostAsync(Booking body, CancellationToken cancellationToken = default) => Task.FromResult<Booking?>(body);
            }
            public class BookingsApi { public BookingsRequestBuilder Bookings => new(); }

            public sealed class TablePlugin(BookingsApi api)
            {
                [KernelFunction]
                public async Task<string> BookTable(int partySize)
                {
                    await api.Bookings.PostAsync(new Booking { PartySize = partySize });
                    return "booked";
                }

                [KernelFunction]
                public async Task<string> GetBooking(string bookingId) => (await api.Bookings[bookingId].GetAsync())?.Id ?? "none";

                [KernelFunction]
                public async Task<string> {|#0:CancelBooking|}(string bookingId)
                {
                    await api.Bookings[bookingId].DeleteAsync();
                    return "cancelled";
                }
            }
        }
        """).Expect(Unapproved(0, "CancelBooking", "calls BookingItemRequestBuilder.DeleteAsync")).RunAsync();

    [Fact]
    public Task Asking_after_the_delete_or_in_one_branch_only_is_no_approval() => Test("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public async Task<string> {|#0:DeleteThenAsk|}(McpServer server, string path, CancellationToken cancellationToken)
            {
                File.Delete(path);
                await server.ElicitAsync(new ElicitRequestParams { Message = "Deleted. OK?" }, cancellationToken);
                return "done";
            }

            [McpServerTool]
            public async Task<string> {|#1:AskSometimes|}(McpServer server, string path, bool careful, CancellationToken cancellationToken)
            {
                if (careful)
                {
                    var answer = await server.ElicitAsync(new ElicitRequestParams { Message = "Delete?" }, cancellationToken);
                    if (!answer.IsAccepted) return "cancelled";
                }

                File.Delete(path);
                return "done";
            }
        }
        """).Expect(Unapproved(0, "DeleteThenAsk", "calls File.Delete"), Unapproved(1, "AskSometimes", "calls File.Delete")).RunAsync();

    // ---------------------------------------------------------------- reported: hints that lie

    [Fact]
    public Task ReadOnly_tool_that_writes_is_reported() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class NoteTools
        {
            [McpServerTool(ReadOnly = true)]
            public string {|#0:ReadNote|}(string title)
            {
                File.AppendAllText("audit.log", title);
                return File.ReadAllText(title);
            }
        }
        """).Expect(Hint(0, "ReadNote", "ReadOnly = true", "writes (File.AppendAllText)")).RunAsync();

    [Fact]
    public Task Non_destructive_tool_that_deletes_gets_the_hint_message_only_even_when_it_asks() => Test("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class NoteTools
        {
            [McpServerTool(Destructive = false)]
            public void {|#0:Tidy|}(string folder) => Directory.Delete(folder, recursive: true);

            [McpServerTool(Destructive = false)]
            public async Task {|#1:TidyCarefully|}(McpServer server, string folder, CancellationToken cancellationToken)
            {
                var answer = await server.ElicitAsync(new ElicitRequestParams { Message = "Tidy?" }, cancellationToken);
                if (answer.IsAccepted) Directory.Delete(folder, recursive: true);
            }
        }
        """).Expect(
            Hint(0, "Tidy", "Destructive = false", "destroys (Directory.Delete)"),
            Hint(1, "TidyCarefully", "Destructive = false", "destroys (Directory.Delete)")).RunAsync();

    [Fact]
    public Task Hints_in_create_options_are_read_too() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        class Registration
        {
            McpServerTool Build()
                => McpServerTool.Create({|#0:(string path) => File.Delete(path)|}, new McpServerToolCreateOptions { Name = "wipe", ReadOnly = true });
        }
        """).Expect(Hint(0, "wipe", "ReadOnly = true", "writes (File.Delete)")).RunAsync();

    // ---------------------------------------------------------------- not reported

    [Fact]
    public Task Elicitation_before_a_lambda_that_runs_the_delete_is_approval_and_one_after_it_or_in_a_local_function_is_not() => Test("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;
        using Polly;
        [McpServerToolType]
        public class ReportTools(HttpClient http)
        {
            private static readonly ResiliencePipeline Pipeline = ResiliencePipeline.Empty;

            // AGS002's fix runs the call in a pipeline's lambda: the lambda runs after the question, as the call did.
            [McpServerTool(Destructive = true)]
            public async Task<string> DeleteReport(McpServer server, string id, CancellationToken cancellationToken)
            {
                var approval = await server.ElicitAsync(new ElicitRequestParams { Message = "Delete?" }, cancellationToken);
                if (!approval.IsAccepted)
                {
                    return "cancelled";
                }

                using var response = await Pipeline.ExecuteAsync(async token => await http.DeleteAsync("reports/" + id, token), cancellationToken);
                return "deleted";
            }

            [McpServerTool(Destructive = true)]
            public async Task<string> {|#0:PurgeReport|}(McpServer server, string id, CancellationToken cancellationToken)
            {
                Func<Task<HttpResponseMessage>> purge = () => http.DeleteAsync("reports/" + id);
                await purge();
                await server.ElicitAsync(new ElicitRequestParams { Message = "Purged; fine?" }, cancellationToken);
                return "purged";
            }

            [McpServerTool(Destructive = true)]
            public async Task<string> {|#1:DropReport|}(McpServer server, string id, CancellationToken cancellationToken)
            {
                await Drop();
                await server.ElicitAsync(new ElicitRequestParams { Message = "Dropped; fine?" }, cancellationToken);
                return "dropped";

                Task<HttpResponseMessage> Drop() => http.DeleteAsync("reports/" + id);
            }
        }
        """).Expect(Unapproved(0, "PurgeReport", "calls HttpClient.DeleteAsync"), Unapproved(1, "DropReport", "calls HttpClient.DeleteAsync")).RunAsync();

    [Fact]
    public Task Elicitation_before_the_delete_is_approval() => Test("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool(Destructive = true)]
            public async Task<string> DeleteFile(McpServer server, string path, CancellationToken cancellationToken)
            {
                var answer = await server.ElicitAsync(new ElicitRequestParams { Message = $"Delete {path}?" }, cancellationToken);
                if (!answer.IsAccepted)
                {
                    return "cancelled";
                }

                File.Delete(path);
                return "deleted";
            }

            [McpServerTool]
            public async Task<string> DeleteIfConfirmed(McpServer server, string path, CancellationToken cancellationToken)
            {
                if ((await server.ElicitAsync(new ElicitRequestParams { Message = "Sure?" }, cancellationToken)).IsAccepted)
                {
                    File.Delete(path);
                }

                return "done";
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_method_named_for_approval_or_a_helper_that_elicits_is_approval() => Test("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;
        public interface IApprovals { Task<bool> RequestApprovalAsync(string action); }
        public interface IRepository { Task DeleteOrderAsync(string id); }
        public class OrdersPlugin(IApprovals approvals, IRepository orders)
        {
            [KernelFunction]
            public async Task<string> CancelOrder(string id)
            {
                if (!await approvals.RequestApprovalAsync($"delete order {id}")) return "not approved";
                await orders.DeleteOrderAsync(id);
                return "deleted";
            }
        }

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool]
            public async Task<string> Remove(McpServer server, string path, CancellationToken cancellationToken)
            {
                if (!await AskAsync(server, path, cancellationToken)) return "cancelled";
                File.Delete(path);
                return "deleted";
            }

            private static async Task<bool> AskAsync(McpServer server, string path, CancellationToken cancellationToken)
                => (await server.ElicitAsync(new ElicitRequestParams { Message = $"Delete {path}?" }, cancellationToken)).IsAccepted;
        }
        """).RunAsync();

    [Fact]
    public Task Typed_elicitation_is_approval() => Test("""
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public sealed class Confirmation { public bool Proceed { get; set; } }
        [McpServerToolType]
        public class CrmTools(HttpClient http)
        {
            [McpServerTool]
            public async Task<string> DeleteContact(McpServer server, string id, CancellationToken cancellationToken)
            {
                var answer = await server.ElicitAsync<Confirmation>($"Delete contact {id}?", cancellationToken: cancellationToken);
                if (!answer.IsAccepted || answer.Content is not { Proceed: true }) return "cancelled";
                await http.DeleteAsync($"https://crm.example/contacts/{id}", cancellationToken);
                return "deleted";
            }
        }
        """).RunAsync();

    [Fact]
    public Task ApprovalRequiredAIFunction_around_the_function_is_approval() => Test("""
        using System.IO;
        using Microsoft.Extensions.AI;
        class Setup
        {
            AITool[] Build()
            {
                var wipe = AIFunctionFactory.Create((string path) => File.Delete(path), "wipe");
                return
                [
                    new ApprovalRequiredAIFunction(AIFunctionFactory.Create((string folder) => Directory.Delete(folder), "remove_folder")),
                    new ApprovalRequiredAIFunction(wipe),
                    new ApprovalRequiredAIFunction(AIFunctionFactory.Create(DeleteLog)),
                ];
            }

            static void DeleteLog(string name) => File.Delete(name + ".log");
        }
        """).RunAsync();

    [Fact]
    public Task Compensations_are_not_reported() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class TicketTools(HttpClient http)
        {
            [McpServerTool(Name = "tag_ticket")]
            public Task TagTicket(string id, string tag) => http.PostAsync($"https://t.example/{id}/tags/{tag}", null);

            [McpServerTool(Name = "untag_ticket")]
            public Task UndoTagTicket(string id, string tag) => http.DeleteAsync($"https://t.example/{id}/tags/{tag}");

            [McpServerTool]
            public Task RollbackDeployment(string id) => http.DeleteAsync($"https://deploy.example/{id}");
        }
        """).RunAsync();

    [Fact]
    public Task Tools_that_write_without_destroying_and_read_only_tools_that_read_are_not_reported() => Test("""
        using System.IO;
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class Tools(HttpClient http)
        {
            [McpServerTool]
            public Task Create(string body) => http.PostAsync("https://t.example/", new StringContent(body));

            [McpServerTool(Destructive = false)]
            public void Append(string line) => File.AppendAllText("log.txt", line);

            [McpServerTool(ReadOnly = true)]
            public string Read(string path) => File.ReadAllText(path);

            [McpServerTool(ReadOnly = true)]
            public Task<string> Fetch(string url) => http.GetStringAsync(url);
        }
        """).RunAsync();

    [Fact]
    public Task In_memory_removals_and_unsaved_ef_removals_are_not_destructive() => Test("""
        using System.Collections.Generic;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.Extensions.Caching.Memory;
        using ModelContextProtocol.Server;
        public class Item { public int Id { get; set; } }
        public class AppContext : DbContext { public DbSet<Item> Items => Set<Item>(); }
        [McpServerToolType]
        public class Tools(List<string> basket, Dictionary<string, int> counts, IMemoryCache cache, AppContext db)
        {
            [McpServerTool]
            public string RemoveFromBasket(string item)
            {
                basket.Remove(item);
                counts.Remove(item);
                cache.Remove(item);
                return "removed";
            }

            [McpServerTool]
            public string Stage(int id)
            {
                db.Items.Remove(new Item { Id = id });
                return "staged";
            }
        }
        """).RunAsync();

    [Fact]
    public Task Sql_that_does_not_delete_and_delete_text_never_executed_are_not_reported() => Test("""
        using System.Data.Common;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class Tools(DbConnection connection)
        {
            [McpServerTool]
            public int Insert(string name)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO names VALUES (@name)";
                return command.ExecuteNonQuery();
            }

            [McpServerTool]
            public string Explain() => "DELETE statements need an admin";
        }
        """).RunAsync();

    [Fact]
    public Task Destructive_hint_with_an_approval_anywhere_in_the_tool_is_not_reported() => Test("""
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public interface IFleet { Task ShutDownAsync(string host); Task<bool> ConfirmShutdownAsync(string host); }
        [McpServerToolType]
        public class FleetTools(IFleet fleet)
        {
            [McpServerTool(Destructive = true)]
            public async Task ShutDown(string host)
            {
                if (await fleet.ConfirmShutdownAsync(host))
                {
                    await fleet.ShutDownAsync(host);
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Lambdas_never_registered_as_tools_and_calls_without_a_destroy_verb_are_not_reported() => Test("""
        using System;
        using System.IO;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public interface IWorkspace { Task CleanupAsync(string id); Task ResetAsync(string id); }
        [McpServerToolType]
        public class WorkspaceTools(IWorkspace workspace)
        {
            private readonly Action<string> _forget = path => File.Delete(path);

            [McpServerTool]
            public Task Tidy(string id) => workspace.CleanupAsync(id);

            [McpServerTool]
            public Task Reset(string id) => workspace.ResetAsync(id);
        }
        """).RunAsync();

    [Fact]
    public Task Code_that_is_not_a_tool_is_not_reported() => Test("""
        using System.IO;
        public class Cleaner
        {
            public void DeleteAll(string folder) => Directory.Delete(folder, recursive: true);
        }
        """).RunAsync();

    [Fact]
    public Task Generated_code_is_not_reported() => Test("""
        // <auto-generated/>
        using System.IO;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class GeneratedTools
        {
            [McpServerTool]
            public void Delete(string path) => File.Delete(path);
        }
        """).RunAsync();

    // ---------------------------------------------------------------- options

    [Fact]
    public Task Approval_methods_option_names_more_ways_to_ask() => Test("""
        using System.IO;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public interface IHumans { Task<bool> AskAsync(string question); }
        [McpServerToolType]
        public class FileTools(IHumans humans)
        {
            [McpServerTool]
            public async Task Delete(string path)
            {
                if (!await humans.AskAsync("Delete " + path + "?")) return;
                File.Delete(path);
            }
        }
        """).WithOption("agentsafety.AGS007.approval_methods", "IHumans.AskAsync").RunAsync();

    [Fact]
    public Task Destructive_verbs_option_replaces_the_verbs() => Test("""
        using System.Threading.Tasks;
        using Microsoft.SemanticKernel;
        public interface IStore { Task ArchiveAsync(string id); Task RefundAsync(string id); }
        public class StorePlugin(IStore store)
        {
            [KernelFunction]
            public Task {|#0:Archive|}(string id) => store.ArchiveAsync(id);

            [KernelFunction]
            public Task Refund(string id) => store.RefundAsync(id);
        }
        """).WithOption("agentsafety.AGS007.destructive_verbs", "Archive, Delete").Expect(Unapproved(0, "Archive", "calls IStore.ArchiveAsync")).RunAsync();

    // ---------------------------------------------------------------- fixes

    [Fact]
    public Task Fix_wraps_the_created_function_in_ApprovalRequiredAIFunction() => Test("""
        using System.IO;
        using Microsoft.Extensions.AI;

        class Setup
        {
            AITool[] Build() =>
            [
                AIFunctionFactory.Create({|#0:(string path) => File.Delete(path)|}, "wipe"),
                AIFunctionFactory.Create({|#1:(string folder) => Directory.Delete(folder)|}, "remove_folder"),
            ];
        }
        """).Expect(Unapproved(0, "wipe", "calls File.Delete"), Unapproved(1, "remove_folder", "calls Directory.Delete"))
        .WithFix(UnapprovedDestructiveToolCodeFixProvider.RequireApprovalKey, """
        using System.IO;
        using Microsoft.Extensions.AI;

        class Setup
        {
            AITool[] Build() =>
            [
                new ApprovalRequiredAIFunction(AIFunctionFactory.Create((string path) => File.Delete(path), "wipe")),
                new ApprovalRequiredAIFunction(AIFunctionFactory.Create((string folder) => Directory.Delete(folder), "remove_folder")),
            ];
        }
        """).RunAsync();

    [Fact]
    public Task Fix_makes_an_async_mcp_tool_elicit_consent_first() => Test("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool(Name = "delete_file")]
            public async Task<string> {|#0:DeleteFile|}(string path, CancellationToken cancellationToken)
            {
                await Task.Yield();
                File.Delete(path);
                return "deleted";
            }
        }
        """).Expect(Unapproved(0, "DeleteFile", "calls File.Delete")).WithFix(UnapprovedDestructiveToolCodeFixProvider.ElicitApprovalKey, """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool(Name = "delete_file")]
            public async Task<string> DeleteFile(McpServer server, string path, CancellationToken cancellationToken)
            {
                var approval = await server.ElicitAsync(new ElicitRequestParams() { Message = "Allow 'DeleteFile' to run? It cannot be undone." }, cancellationToken);
                if (!approval.IsAccepted)
                {
                    return "Cancelled: the user did not approve 'DeleteFile'.";
                }

                await Task.Yield();
                File.Delete(path);
                return "deleted";
            }
        }
        """).RunAsync();

    [Fact]
    public Task Fix_makes_a_synchronous_tool_async_and_reuses_its_server() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool(Destructive = true)]
            public string {|#0:DeleteFile|}(McpServer mcp, string path) => $"deleted {path}";

            [McpServerTool]
            public void {|#1:Clear|}(string folder)
            {
                Directory.Delete(folder, true);
            }
        }
        """).Expect(Unapproved(0, "DeleteFile", "is marked Destructive = true"), Unapproved(1, "Clear", "calls Directory.Delete"))
        .WithFix(UnapprovedDestructiveToolCodeFixProvider.ElicitApprovalKey, """
        using System.IO;
        using System.Threading.Tasks;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class FileTools
        {
            [McpServerTool(Destructive = true)]
            public async Task<string> DeleteFile(McpServer mcp, string path)
            {
                var approval = await mcp.ElicitAsync(new ElicitRequestParams() { Message = "Allow 'DeleteFile' to run? It cannot be undone." });
                if (!approval.IsAccepted)
                {
                    return "Cancelled: the user did not approve 'DeleteFile'.";
                }

                return $"deleted {path}";
            }

            [McpServerTool]
            public async Task Clear(McpServer server, string folder)
            {
                var approval = await server.ElicitAsync(new ElicitRequestParams() { Message = "Allow 'Clear' to run? It cannot be undone." });
                if (!approval.IsAccepted)
                {
                    return;
                }

                Directory.Delete(folder, true);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Fix_removes_the_false_hint() => Test("""
        using System.IO;
        using System.Threading.Tasks;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            [McpServerTool(Name = "read_note", ReadOnly = true)]
            public string {|#0:ReadNote|}(string title)
            {
                File.AppendAllText("audit.log", title);
                return File.ReadAllText(title);
            }

            [McpServerTool(Destructive = false)]
            public async Task {|#1:Tidy|}(McpServer server, string folder)
            {
                if ((await server.ElicitAsync(new ElicitRequestParams { Message = "Tidy?" })).IsAccepted) Directory.Delete(folder);
            }
        }
        """).Expect(Hint(0, "ReadNote", "ReadOnly = true", "writes (File.AppendAllText)"), Hint(1, "Tidy", "Destructive = false", "destroys (Directory.Delete)"))
        .WithFix(UnapprovedDestructiveToolCodeFixProvider.RemoveFalseHintKey, """
        using System.IO;
        using System.Threading.Tasks;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class NoteTools
        {
            [McpServerTool(Name = "read_note")]
            public string ReadNote(string title)
            {
                File.AppendAllText("audit.log", title);
                return File.ReadAllText(title);
            }

            [McpServerTool]
            public async Task Tidy(McpServer server, string folder)
            {
                if ((await server.ElicitAsync(new ElicitRequestParams { Message = "Tidy?" })).IsAccepted) Directory.Delete(folder);
            }
        }
        """).RunAsync();

    [Fact]
    public Task No_fix_is_offered_for_a_kernel_function() => Test("""
        using System.IO;
        using Microsoft.SemanticKernel;

        public class FilesPlugin
        {
            [KernelFunction]
            public void {|#0:Delete|}(string path) => File.Delete(path);
        }
        """).Expect(Unapproved(0, "Delete", "calls File.Delete"))
        .WithoutFix(UnapprovedDestructiveToolCodeFixProvider.ElicitApprovalKey)
        .WithoutFix(UnapprovedDestructiveToolCodeFixProvider.RequireApprovalKey).RunAsync();
}
