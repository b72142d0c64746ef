using AgentSafety.Analyzers.AgentModel;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using static AgentSafety.Tests.Verification.ExpectedDiagnostic;

namespace AgentSafety.Tests.Rules;

/// <summary>AGS004 — write tools with no compensation. Reads like docs/rules/AGS004.md: positives, negatives, fixes, options.</summary>
public class UncompensatedWriteToolTests
{
    private const string Id = "AGS004";
    private const string FixKey = UncompensatedWriteToolCodeFixProvider.AddCompensationKey;

    private const string AutoGen = """
        namespace AutoGen.Core
        {
            [System.AttributeUsage(System.AttributeTargets.Method)]
            public class FunctionAttribute : System.Attribute
            {
                public FunctionAttribute(string? functionName = null, string? description = null) { }
            }
        }
        """;

    private const string MassTransit = """
        using System.Threading.Tasks;
        namespace MassTransit
        {
            public interface CompensateContext<TLog> where TLog : class { TLog Log { get; } }
            public interface ICompensateActivity<TLog> where TLog : class
            {
                Task Compensate(CompensateContext<TLog> context);
            }
        }
        """;

    private static RuleTest Test(string source, params string[] stubs)
    {
        var test = RuleTest.For<UncompensatedWriteToolAnalyzer, UncompensatedWriteToolCodeFixProvider>().WithSource(source);
        for (var i = 0; i < stubs.Length; i++)
        {
            test = test.WithSource(stubs[i], $"Stubs{i}.cs");
        }

        return test;
    }

    private static ExpectedDiagnostic Tool(int location, string tool, string writes)
        => Diagnostic(Id).At(location).WithArguments(tool, writes);

    private static ExpectedDiagnostic Stub(int location, string compensation, string tool)
        => Diagnostic(Id).At(location).WithMessage($"Compensation '{compensation}' for tool '{tool}' is not implemented");

    // ---------------------------------------------------------------- tool kinds

    [Fact]
    public Task Mcp_tool_that_posts_is_reported_on_its_name() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class TicketTools(HttpClient http)
        {
            [McpServerTool(Name = "create_ticket")]
            public async Task<string> {|#0:CreateTicket|}(string title)
            {
                var response = await http.PostAsync("https://tickets.example/api", new StringContent(title));
                return await response.Content.ReadAsStringAsync();
            }
        }
        """).Expect(Tool(0, "CreateTicket", "HttpClient.PostAsync").WithSeverity(DiagnosticSeverity.Warning)).RunAsync();

    [Fact]
    public Task Kernel_function_that_writes_a_file_is_reported() => Test("""
        using System.IO;
        using Microsoft.SemanticKernel;
        public class NotesPlugin
        {
            [KernelFunction("save_note")]
            public void {|#0:SaveNote|}(string name, string text) => File.WriteAllText(name + ".md", text);
        }
        """).Expect(Tool(0, "SaveNote", "File.WriteAllText")).RunAsync();

    [Fact]
    public Task AutoGen_function_that_executes_a_command_is_reported() => Test("""
        using System.Data.Common;
        using System.Threading.Tasks;
        using AutoGen.Core;
        public class CustomerFunctions(DbConnection connection)
        {
            [Function]
            public async Task<string> {|#0:DeactivateCustomer|}(int id)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "UPDATE customers SET active = 0 WHERE id = @id";
                await command.ExecuteNonQueryAsync();
                return "done";
            }
        }
        """, AutoGen).Expect(Tool(0, "DeactivateCustomer", "DbCommand.ExecuteNonQueryAsync")).RunAsync();

    [Fact]
    public Task Method_group_given_to_AIFunctionFactory_that_sends_mail_is_reported() => Test("""
        using System.Net.Mail;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        public class MailTools(SmtpClient smtp)
        {
            public Task {|#0:EmailCustomer|}(string to, string body) => smtp.SendMailAsync(new MailMessage("agent@example.test", to, "Update", body));

            public AIFunction[] All() => new[] { AIFunctionFactory.Create(EmailCustomer) };
        }
        """).Expect(Tool(0, "EmailCustomer", "SmtpClient.SendMailAsync")).RunAsync();

    [Fact]
    public Task Lambda_given_to_AIFunctionFactory_is_reported_on_the_lambda_with_its_registered_name() => Test("""
        using System.Diagnostics;
        using Microsoft.Extensions.AI;
        public class DeployTools
        {
            public AIFunction Restart() => AIFunctionFactory.Create({|#0:(string service) => Process.Start("systemctl", "restart " + service)?.Id ?? 0|}, name: "restart_service");
        }
        """).Expect(Tool(0, "restart_service", "Process.Start")).RunAsync();

    [Fact]
    public Task Lambda_given_to_McpServerTool_Create_that_saves_changes_is_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;
        using ModelContextProtocol.Server;
        public class Order { public int Id { get; set; } }
        public class ShopTools(DbContext db, DbSet<Order> orders)
        {
            public McpServerTool PlaceOrder() => McpServerTool.Create({|#0:async (int id) =>
            {
                orders.Add(new Order { Id = id });
                await db.SaveChangesAsync();
                return id;
            }|});
        }
        """).Expect(Tool(0, "PlaceOrder", "DbContext.SaveChangesAsync")).RunAsync();

    [Fact]
    public Task Kernel_function_factory_lambda_is_a_tool() => Test("""
        using System.IO;
        using Microsoft.SemanticKernel;
        public class Plugins
        {
            public object Build() => KernelFunctionFactory.CreateFromMethod({|#0:(string path) => File.AppendAllText(path, "done")|});
        }
        """).Expect(Tool(0, "Build", "File.AppendAllText")).RunAsync();

    [Fact]
    public Task Configured_tool_attribute_marks_a_tool() => Test("""
        using System.Threading.Tasks;
        namespace Shop
        {
            public sealed class AgentToolAttribute : System.Attribute { }
            public interface IOrdersApi { Task<string> CreateOrderAsync(string sku); }
            public class OrderTools(IOrdersApi api)
            {
                [AgentTool] public Task<string> {|#0:Order|}(string sku) => api.CreateOrderAsync(sku);
            }
        }
        """).WithOption("agentsafety.tool_attributes", "AgentTool")
        .Expect(Tool(0, "Order", "IOrdersApi.CreateOrderAsync")).RunAsync();

    [Fact]
    public Task Without_the_configured_attribute_the_method_is_not_a_tool() => Test("""
        using System.Threading.Tasks;
        namespace Shop
        {
            public sealed class AgentToolAttribute : System.Attribute { }
            public interface IOrdersApi { Task<string> CreateOrderAsync(string sku); }
            public class OrderTools(IOrdersApi api)
            {
                [AgentTool] public Task<string> Order(string sku) => api.CreateOrderAsync(sku);
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- write kinds

    [Fact]
    public Task Writes_in_same_type_helpers_count_three_calls_deep() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public class CleanupTools
        {
            [McpServerTool] public string {|#0:Cleanup|}(string folder) { Prepare(folder); return "ok"; }
            private void Prepare(string folder) => Scan(folder);
            private void Scan(string folder) { foreach (var file in Directory.GetFiles(folder)) Purge(file); }
            private static void Purge(string file) => File.Delete(file);
        }
        """).Expect(Tool(0, "Cleanup", "File.Delete")).RunAsync();

    [Fact]
    public Task A_write_four_calls_deep_is_beyond_tool_code() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public class CleanupTools
        {
            [McpServerTool] public string Cleanup(string folder) { One(folder); return "ok"; }
            private void One(string folder) => Two(folder);
            private void Two(string folder) => Three(folder);
            private void Three(string folder) => Four(folder);
            private void Four(string folder) => File.Delete(folder);
        }
        """).RunAsync();

    [Fact]
    public Task Http_send_of_a_visible_delete_is_a_write_but_a_get_is_not() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public class RepoTools(HttpClient http)
        {
            [McpServerTool]
            public Task<HttpResponseMessage> {|#0:DeleteBranch|}(string name) => http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "https://git.example/branches/" + name));

            [McpServerTool]
            public Task<HttpResponseMessage> GetBranch(string name) => http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://git.example/branches/" + name));
        }
        """).Expect(Tool(0, "DeleteBranch", "HttpClient.SendAsync")).RunAsync();

    [Fact]
    public Task Directory_FileInfo_and_StreamWriter_writes_are_listed_up_to_three() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public class WorkspaceTools
        {
            [McpServerTool]
            public void {|#0:ResetWorkspace|}(string path)
            {
                new FileInfo(path + "/old.txt").Delete();
                Directory.CreateDirectory(path);
                using (var writer = new StreamWriter(path + "/README.md")) { writer.WriteLine("reset"); }
                File.Copy(path + "/a", path + "/b");
            }
        }
        """).Expect(Tool(0, "ResetWorkspace", "FileInfo.Delete, Directory.CreateDirectory, new StreamWriter, ...")).RunAsync();

    [Fact]
    public Task Entity_framework_bulk_delete_and_Dapper_execute_are_writes() => Test("""
        using System.Data;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.EntityFrameworkCore;
        using ModelContextProtocol.Server;
        public class Session { public int Id { get; set; } }
        public class AdminTools(DbSet<Session> sessions, IDbConnection connection)
        {
            [McpServerTool] public Task<int> {|#0:PurgeSessions|}() => sessions.ExecuteDeleteAsync();
            [McpServerTool] public Task<int> {|#1:ArchiveLogs|}() => connection.ExecuteAsync("DELETE FROM logs");
        }
        """).Expect(
            Tool(0, "PurgeSessions", "EntityFrameworkQueryableExtensions.ExecuteDeleteAsync"),
            Tool(1, "ArchiveLogs", "SqlMapper.ExecuteAsync")).RunAsync();

    [Fact]
    public Task Configured_write_verbs_replace_the_defaults() => Test("""
        using ModelContextProtocol.Server;
        namespace Space
        {
            public interface ILaunchControl { void LaunchRocket(string id); void DeleteLog(string id); }
            public class MissionTools(ILaunchControl control)
            {
                [McpServerTool] public void {|#0:Launch|}(string id) => control.LaunchRocket(id);
                [McpServerTool] public void ClearLog(string id) => control.DeleteLog(id);
            }
        }
        """).WithOption("agentsafety.write_verbs", "Launch")
        .Expect(Tool(0, "Launch", "ILaunchControl.LaunchRocket")).RunAsync();

    // ---------------------------------------------------------------- MCP hints

    [Fact]
    public Task Destructive_true_without_a_visible_write_is_reported() => Test("""
        using ModelContextProtocol.Server;
        public interface IClusterClient { string Run(string command); }
        public class ClusterTools(IClusterClient cluster)
        {
            [McpServerTool(Destructive = true)]
            public string {|#0:RunKubectl|}(string command) => cluster.Run(command);
        }
        """).Expect(Tool(0, "RunKubectl", "Destructive = true")).RunAsync();

    [Fact]
    public Task Destructive_true_in_create_options_is_reported() => Test("""
        using ModelContextProtocol.Server;
        public interface IClusterClient { string Run(string command); }
        public class ClusterTools(IClusterClient cluster)
        {
            public McpServerTool Kubectl() => McpServerTool.Create(
                {|#0:(string command) => cluster.Run(command)|},
                new McpServerToolCreateOptions { Name = "kubectl", Destructive = true });
        }
        """).Expect(Tool(0, "kubectl", "Destructive = true")).RunAsync();

    [Fact]
    public Task ReadOnly_true_is_the_authors_word_even_with_a_write() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public class CacheTools
        {
            [McpServerTool(ReadOnly = true)]
            public string GetReport(string id)
            {
                File.WriteAllText("/tmp/last-report", id);
                return id;
            }
        }
        """).RunAsync();

    [Fact]
    public Task ReadOnly_true_in_create_options_silences_lambdas_and_method_groups() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public class CacheTools
        {
            public static string Snapshot(string id) { File.WriteAllText("/tmp/" + id, id); return id; }

            public McpServerTool[] All()
            {
                var readOnly = new McpServerToolCreateOptions { ReadOnly = true };
                return new[]
                {
                    McpServerTool.Create((string id) => { File.WriteAllText("/tmp/last", id); return id; }, new() { ReadOnly = true }),
                    McpServerTool.Create(Snapshot, readOnly),
                };
            }
        }
        """).RunAsync();

    [Fact]
    public Task Destructive_false_lets_the_body_decide() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public class NoteTools
        {
            [McpServerTool(Destructive = false)]
            public void {|#0:AppendNote|}(string text) => File.AppendAllText("notes.md", text);

            [McpServerTool(Destructive = false)]
            public string CountNotes() => File.ReadAllText("notes.md").Length.ToString();
        }
        """).Expect(Tool(0, "AppendNote", "File.AppendAllText")).RunAsync();

    [Fact]
    public Task Unwritten_hints_are_not_statements_by_the_author() => Test("""
        using ModelContextProtocol.Server;
        public class InfoTools
        {
            [McpServerTool(Name = "get_time", Idempotent = true)]
            public string GetTime() => System.DateTime.UtcNow.ToString("O");
        }
        """).RunAsync();

    // ---------------------------------------------------------------- compensation forms

    [Fact]
    public Task Compensation_by_name_with_each_prefix_and_Async_on_either_side() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public class BookingTools(HttpClient http)
        {
            [McpServerTool] public Task BookRoom(string id) => http.PostAsync("https://hotel.example/book/" + id, null);
            public Task CompensateBookRoomAsync(string id) => http.DeleteAsync("https://hotel.example/book/" + id);

            [McpServerTool] public Task BookFlightAsync(string id) => http.PostAsync("https://air.example/book/" + id, null);
            public Task UndoBookFlight(string id) => http.DeleteAsync("https://air.example/book/" + id);

            [McpServerTool] public Task BookCar(string id) => http.PostAsync("https://car.example/book/" + id, null);
            public Task revertbookcar(string id) => http.DeleteAsync("https://car.example/book/" + id);

            [McpServerTool] public Task BookTable(string id) => http.PostAsync("https://food.example/book/" + id, null);
            public Task RollbackBookTableAsync(string id) => http.DeleteAsync("https://food.example/book/" + id);
        }
        """).RunAsync();

    [Fact]
    public Task Compensation_inherited_from_a_base_type_counts() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public abstract class FileToolsBase
        {
            public void UndoWriteReport(string name) => File.Delete(name);
        }
        public class ReportTools : FileToolsBase
        {
            [McpServerTool] public void WriteReport(string name) => File.WriteAllText(name, "report");
        }
        """).RunAsync();

    [Fact]
    public Task A_compensation_for_another_tool_does_not_count() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public class ReportTools
        {
            [McpServerTool] public void {|#0:WriteReport|}(string name) => File.WriteAllText(name, "report");
            [McpServerTool] public void WriteSummary(string name) => File.WriteAllText(name, "summary");
            public void UndoWriteSummary(string name) => File.Delete(name);
        }
        """).Expect(Tool(0, "WriteReport", "File.WriteAllText")).RunAsync();

    [Fact]
    public Task CompensatedBy_attribute_names_the_compensation_by_nameof_or_string() => Test("""
        using System;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        namespace MyApp.Sagas
        {
            [AttributeUsage(AttributeTargets.Method)]
            public sealed class CompensatedByAttribute(string method) : Attribute { public string Method { get; } = method; }
        }
        namespace MyApp
        {
            using MyApp.Sagas;
            public interface IPayments { Task ChargeAsync(string order); Task RefundAsync(string order); Task TransferAsync(string to); Task ReverseTransferAsync(string to); }
            public class PaymentTools(IPayments payments)
            {
                [McpServerTool, CompensatedBy(nameof(IssueRefund))]
                public Task ChargeCard(string order) => payments.ChargeAsync(order);
                public Task IssueRefund(string order) => payments.RefundAsync(order);

                [McpServerTool, CompensatedBy("ReverseTransfer")]
                public Task SendMoney(string to) => payments.TransferAsync(to);
                public Task ReverseTransfer(string to) => payments.ReverseTransferAsync(to);
            }
        }
        """).RunAsync();

    [Fact]
    public Task CompensatedBy_naming_a_missing_method_does_not_compensate() => Test("""
        using System;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        [AttributeUsage(AttributeTargets.Method)]
        public sealed class CompensatedBy(string method) : Attribute { }
        public interface IPayments { Task ChargeAsync(string order); }
        public class PaymentTools(IPayments payments)
        {
            [McpServerTool, CompensatedBy("IssueRefund")]
            public Task {|#0:ChargeCard|}(string order) => payments.ChargeAsync(order);
        }
        """).Expect(Tool(0, "ChargeCard", "IPayments.ChargeAsync")).RunAsync();

    [Fact]
    public Task Compensates_attribute_on_the_undo_method_names_the_tool() => Test("""
        using System;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        namespace Sagas { public sealed class CompensatesAttribute(string tool) : Attribute { } }
        public interface IInventory { Task ReserveAsync(string sku); Task ReleaseAsync(string sku); }
        public class StockTools(IInventory inventory)
        {
            [McpServerTool] public Task HoldStock(string sku) => inventory.ReserveAsync(sku);

            [Sagas.Compensates(nameof(HoldStock))]
            public Task ReleaseStock(string sku) => inventory.ReleaseAsync(sku);
        }
        """).RunAsync();

    [Fact]
    public Task A_committed_database_transaction_around_the_writes_compensates() => Test("""
        using System.Data.Common;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public class LedgerTools(DbConnection connection)
        {
            [McpServerTool]
            public async Task MoveFunds(int from, int to, decimal amount)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                using var debit = connection.CreateCommand();
                debit.Transaction = transaction;
                debit.CommandText = "UPDATE accounts SET balance = balance - @a WHERE id = @from";
                await debit.ExecuteNonQueryAsync();
                using var credit = connection.CreateCommand();
                credit.Transaction = transaction;
                credit.CommandText = "UPDATE accounts SET balance = balance + @a WHERE id = @to";
                await credit.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }
        }
        """).RunAsync();

    [Fact]
    public Task An_Entity_Framework_transaction_covers_SaveChanges_and_repository_writes() => Test("""
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;
        using ModelContextProtocol.Server;
        public interface IOrderRepository { void AddOrder(string sku); }
        public class OrderTools(DbContext db, IOrderRepository orders)
        {
            [McpServerTool]
            public async Task CreateOrder(string sku)
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                orders.AddOrder(sku);
                await Persist();
                await transaction.CommitAsync();
            }

            private Task<int> Persist() => db.SaveChangesAsync();
        }
        """).RunAsync();

    [Fact]
    public Task A_completed_TransactionScope_compensates() => Test("""
        using System.Data;
        using System.Transactions;
        using ModelContextProtocol.Server;
        public class AccountTools(IDbCommand command)
        {
            [McpServerTool]
            public int CloseAccount(int id)
            {
                using var scope = new TransactionScope();
                command.CommandText = "DELETE FROM accounts WHERE id = " + id;
                var rows = command.ExecuteNonQuery();
                scope.Complete();
                return rows;
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_transaction_does_not_take_back_an_http_call() => Test("""
        using System.Data.Common;
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public class OrderTools(DbConnection connection, HttpClient http)
        {
            [McpServerTool]
            public async Task {|#0:ShipOrder|}(int id)
            {
                using var transaction = connection.BeginTransaction();
                using var command = connection.CreateCommand();
                command.CommandText = "UPDATE orders SET shipped = 1";
                await command.ExecuteNonQueryAsync();
                await http.PostAsync("https://courier.example/pickups", null);
                transaction.Commit();
            }
        }
        """).Expect(Tool(0, "ShipOrder", "HttpClient.PostAsync")).RunAsync();

    [Fact]
    public Task A_transaction_that_never_commits_compensates_nothing() => Test("""
        using System.Data.Common;
        using ModelContextProtocol.Server;
        public class OrderTools(DbConnection connection)
        {
            [McpServerTool]
            public int {|#0:CancelOrders|}()
            {
                using var transaction = connection.BeginTransaction();
                using var command = connection.CreateCommand();
                command.CommandText = "UPDATE orders SET cancelled = 1";
                return command.ExecuteNonQuery();
            }
        }
        """).Expect(Tool(0, "CancelOrders", "DbCommand.ExecuteNonQuery")).RunAsync();

    [Fact]
    public Task An_inline_saga_catch_that_undoes_and_rethrows_compensates() => Test("""
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public interface IPayments { Task<string> ChargeAsync(string order); Task RefundAsync(string charge); }
        public interface IShipping { Task ScheduleAsync(string order); }
        public class CheckoutTools(IPayments payments, IShipping shipping)
        {
            [McpServerTool]
            public async Task Checkout(string order)
            {
                var charge = await payments.ChargeAsync(order);
                try
                {
                    await shipping.ScheduleAsync(order);
                }
                catch
                {
                    await payments.RefundAsync(charge);
                    throw;
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task An_inline_saga_that_runs_a_list_of_undo_steps_compensates() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public interface ICloud { Task CreateVmAsync(string name); Task DeleteVmAsync(string name); Task CreateDnsAsync(string name); }
        public class InfraTools(ICloud cloud)
        {
            [McpServerTool]
            public async Task ProvisionHost(string name)
            {
                var compensations = new List<Func<Task>>();
                try
                {
                    await cloud.CreateVmAsync(name);
                    compensations.Add(() => cloud.DeleteVmAsync(name));
                    await cloud.CreateDnsAsync(name);
                }
                catch (Exception ex)
                {
                    foreach (var compensation in Enumerable.Reverse(compensations)) await compensation();
                    throw new InvalidOperationException("Provisioning failed and was rolled back", ex);
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_catch_that_undoes_without_rethrowing_is_not_a_saga() => Test("""
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public interface IPayments { Task<string> ChargeAsync(string order); Task RefundAsync(string charge); }
        public class CheckoutTools(IPayments payments)
        {
            [McpServerTool]
            public async Task<string> {|#0:Checkout|}(string order)
            {
                try
                {
                    return await payments.ChargeAsync(order);
                }
                catch
                {
                    await payments.RefundAsync(order);
                    return "failed";
                }
            }
        }
        """).Expect(Tool(0, "Checkout", "IPayments.ChargeAsync, IPayments.RefundAsync")).RunAsync();

    [Fact]
    public Task A_MassTransit_compensate_activity_compensates_its_tools() => Test("""
        using System.Threading.Tasks;
        using MassTransit;
        using ModelContextProtocol.Server;
        public interface IHotels { Task ReserveAsync(string hotel); Task CancelAsync(string hotel); }
        public class RoomLog { public string Hotel { get; set; } = ""; }
        public class ReserveRoomActivity(IHotels hotels) : ICompensateActivity<RoomLog>
        {
            [McpServerTool] public Task ReserveRoom(string hotel) => hotels.ReserveAsync(hotel);
            public Task Compensate(CompensateContext<RoomLog> context) => hotels.CancelAsync(context.Log.Hotel);
        }
        """, MassTransit).RunAsync();

    [Fact]
    public Task A_compensation_that_is_itself_a_tool_is_not_reported() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public class TicketTools(HttpClient http)
        {
            [McpServerTool] public Task CreateTicket(string title) => http.PostAsync("https://tickets.example", new StringContent(title));
            [McpServerTool] public Task UndoCreateTicket(string title) => http.DeleteAsync("https://tickets.example/" + title);
        }
        """).RunAsync();

    // ---------------------------------------------------------------- not implemented

    [Fact]
    public Task A_compensation_that_only_throws_NotImplementedException_is_reported_instead_of_the_tool() => Test("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public class TicketTools(HttpClient http)
        {
            [McpServerTool] public Task CreateTicket(string title) => http.PostAsync("https://tickets.example", new StringContent(title));

            public Task {|#0:CompensateCreateTicketAsync|}(string title)
            {
                throw new NotImplementedException();
            }
        }
        """).Expect(Stub(0, "CompensateCreateTicketAsync", "CreateTicket")).WithoutFix(FixKey).RunAsync();

    [Fact]
    public Task Expression_bodied_stubs_named_by_attributes_are_reported() => Test("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;
        public sealed class CompensatedByAttribute(string method) : Attribute { }
        public sealed class CompensatesAttribute(string tool) : Attribute { }
        public class FileTools
        {
            [McpServerTool, CompensatedBy(nameof(Restore))] public void Wipe(string path) => File.Delete(path);
            public void {|#0:Restore|}(string path) => throw new NotImplementedException("later");

            [McpServerTool] public void Stamp(string path) => File.AppendAllText(path, "stamp");
            [Compensates(nameof(Stamp))] public bool {|#1:Unstamp|}(string path) => throw new NotImplementedException();
        }
        """).Expect(Stub(0, "Restore", "Wipe"), Stub(1, "Unstamp", "Stamp")).RunAsync();

    [Fact]
    public Task A_courier_compensate_stub_is_reported() => Test("""
        using System;
        using System.Threading.Tasks;
        using MassTransit;
        using ModelContextProtocol.Server;
        public interface IHotels { Task ReserveAsync(string hotel); }
        public class RoomLog { }
        public class ReserveRoomActivity(IHotels hotels) : ICompensateActivity<RoomLog>
        {
            [McpServerTool] public Task ReserveRoom(string hotel) => hotels.ReserveAsync(hotel);
            public Task {|#0:Compensate|}(CompensateContext<RoomLog> context) => throw new NotImplementedException();
        }
        """, MassTransit).Expect(Stub(0, "Compensate", "ReserveRoom")).RunAsync();

    [Fact]
    public Task An_implemented_compensation_wins_over_a_stub() => Test("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;
        public class FileTools
        {
            [McpServerTool] public void WriteConfig(string path) => File.WriteAllText(path, "{}");
            public void CompensateWriteConfig(string path) => throw new NotImplementedException();
            public void UndoWriteConfig(string path) => File.Delete(path);
        }
        """).RunAsync();

    [Fact]
    public Task A_stub_for_a_tool_that_does_not_write_is_not_reported() => Test("""
        using System;
        using ModelContextProtocol.Server;
        public class WeatherTools
        {
            [McpServerTool] public string GetWeather(string city) => "sunny in " + city;
            public void UndoGetWeather(string city) => throw new NotImplementedException();
        }
        """).RunAsync();

    [Fact]
    public Task A_compensation_that_throws_something_else_is_a_deliberate_answer() => Test("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;
        public class FileTools
        {
            [McpServerTool] public void Shred(string path) => File.Delete(path);
            public void UndoShred(string path) => throw new NotSupportedException("Shredded files cannot come back.");
        }
        """).RunAsync();

    // ---------------------------------------------------------------- not writes, not tools

    [Fact]
    public Task Pure_tools_are_silent() => Test("""
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class ResearchTools(HttpClient http, IChatClient chat)
        {
            [McpServerTool] public Task<string> GetWeather(string city) => http.GetStringAsync($"https://weather.example/{city}");
            [McpServerTool] public Task<string[]?> Search(string query) => http.GetFromJsonAsync<string[]>($"https://search.example/?q={query}");
            [McpServerTool] public async Task<string> Summarize(string text) => (await chat.GetResponseAsync($"Summarize: {text}")).Text;
        }
        """).RunAsync();

    [Fact]
    public Task Code_that_is_not_a_tool_may_write_freely() => Test("""
        using System.IO;
        using System.Net.Http;
        using System.Threading.Tasks;
        public class Exporter(HttpClient http)
        {
            public async Task Export(string path)
            {
                File.WriteAllText(path, "data");
                await http.PostAsync("https://sink.example", null);
            }
        }
        """).RunAsync();

    [Fact]
    public Task In_memory_collections_caches_builders_and_chat_histories_never_write() => Test("""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Text;
        using Microsoft.Extensions.Caching.Memory;
        using Microsoft.SemanticKernel;
        using Microsoft.SemanticKernel.ChatCompletion;
        using Polly;
        public class MemoryPlugin(IMemoryCache cache, ChatHistory history)
        {
            private readonly List<string> _notes = new();
            private readonly ConcurrentDictionary<string, string> _index = new();

            [KernelFunction]
            public string Remember(string note)
            {
                _notes.Add(note);
                _index.TryAdd(note, note);
                _index.TryRemove(note, out _);
                cache.Remove(note);
                history.AddUserMessage(note);
                new ResiliencePipelineBuilder().AddTimeout(System.TimeSpan.FromSeconds(1));
                return new StringBuilder().Append(note).Insert(0, "> ").ToString();
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_tool_writing_to_the_test_output_writes_nothing_external() => Test("""
        using Microsoft.SemanticKernel;
        using Xunit.Abstractions;
        // As in Semantic Kernel's samples, written as xunit tests: the plugin prints what the model asked for.
        public class MoviePlugin(ITestOutputHelper output)
        {
            [KernelFunction]
            public string GetMovieTitles()
            {
                output.WriteLine("GetMovieTitles called");
                return "Inception, Up";
            }
        }
        """).WithTestFrameworkReference().RunAsync();

    [Fact]
    public Task A_tool_writing_to_the_test_output_and_to_a_file_is_still_reported() => Test("""
        using System.IO;
        using Microsoft.SemanticKernel;
        using Xunit.Abstractions;
        public class NotesPlugin(ITestOutputHelper output)
        {
            [KernelFunction]
            public string {|#0:SaveNote|}(string note)
            {
                output.WriteLine("SaveNote called");
                File.AppendAllText("notes.txt", note);
                return "saved";
            }
        }
        """).WithTestFrameworkReference().Expect(Tool(0, "SaveNote", "File.AppendAllText")).RunAsync();

    [Fact]
    public Task Entity_framework_staging_without_SaveChanges_is_not_a_write() => Test("""
        using Microsoft.EntityFrameworkCore;
        using ModelContextProtocol.Server;
        public class Draft { public string Text { get; set; } = ""; }
        public class DraftTools(DbSet<Draft> drafts)
        {
            [McpServerTool]
            public string StageDraft(string text)
            {
                var draft = new Draft { Text = text };
                drafts.Add(draft);
                drafts.Update(draft);
                drafts.Remove(draft);
                return text;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Model_clients_are_outbound_calls_not_writes() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using ModelContextProtocol.Server;
        using Anthropic.Models.Messages;
        public class AskTools(IChatClient chat, Anthropic.AnthropicClient claude)
        {
            [McpServerTool] public async Task<string> AskGpt(string question) => (await chat.GetResponseAsync(question)).Text;
            [McpServerTool] public async Task<string> AskClaude(MessageCreateParams question) => (await claude.Messages.Create(question)).ToString();
            [McpServerTool] public AIFunction CreateHelper() => AIFunctionFactory.Create(() => "help");
        }
        """).RunAsync();

    [Fact]
    public Task Reading_files_and_opening_streams_to_read_are_not_writes() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public class FileTools
        {
            [McpServerTool]
            public string ReadLog(string path)
            {
                using var stream = new FileStream(path, FileMode.Open);
                using var reader = new StreamReader(stream);
                return File.Exists(path) ? reader.ReadToEnd() + File.ReadAllText(path) : "";
            }
        }
        """).RunAsync();

    [Fact]
    public Task Same_type_helpers_named_with_a_verb_are_followed_not_counted() => Test("""
        using ModelContextProtocol.Server;
        public class ReportTools
        {
            [McpServerTool] public string Report(string topic) => CreateSummary(topic) + AddFooter();
            private string CreateSummary(string topic) => "About " + topic;
            private static string AddFooter() => "--";
        }
        """).RunAsync();

    [Fact]
    public Task A_method_of_a_tool_type_that_no_tool_reaches_is_not_tool_code() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        [McpServerToolType]
        public class NoteTools
        {
            [McpServerTool] public string ReadNote(string path) => File.ReadAllText(path);
            public void Migrate(string path) => File.Move(path, path + ".v2");
        }
        """).RunAsync();

    [Fact]
    public Task Sending_a_request_whose_method_is_not_visible_is_not_counted() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public class ProxyTools(HttpClient http)
        {
            [McpServerTool] public Task<HttpResponseMessage> Forward(HttpRequestMessage request) => http.SendAsync(request);
        }
        """).RunAsync();

    [Fact]
    public Task Tool_methods_without_a_body_are_skipped() => Test("""
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public abstract class ToolsBase
        {
            [McpServerTool(Destructive = true)] public abstract Task DeleteEverything();
        }
        """).RunAsync();

    [Fact]
    public Task Generated_code_is_skipped() => Test("""
        // <auto-generated/>
        using System.IO;
        using ModelContextProtocol.Server;
        public class GeneratedTools
        {
            [McpServerTool] public void DeleteFile(string path) => File.Delete(path);
        }
        """).RunAsync();

    [Fact]
    public Task A_lambda_that_is_not_registered_as_a_tool_is_silent() => Test("""
        using System;
        using System.IO;
        using System.Linq;
        public class Cleaner
        {
            public Action<string> Deleter() => path => File.Delete(path);
            public int Purge(string[] paths) => paths.Count(p => { File.Delete(p); return true; });
        }
        """).RunAsync();

    // ---------------------------------------------------------------- fixes

    [Fact]
    public Task Fix_adds_a_compensation_stub_after_a_sync_tool() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public class NoteTools
        {
            [McpServerTool]
            public string {|#0:DeleteNote|}(string path)
            {
                File.Delete(path);
                return "deleted";
            }

            [McpServerTool]
            public string ReadNote(string path) => File.ReadAllText(path);
        }
        """).Expect(Tool(0, "DeleteNote", "File.Delete")).WithFix(FixKey, """
        using System;
        using System.IO;
        using ModelContextProtocol.Server;
        public class NoteTools
        {
            [McpServerTool]
            public string DeleteNote(string path)
            {
                File.Delete(path);
                return "deleted";
            }

            /// <summary>Undoes the effects of <see cref="DeleteNote"/>.</summary>
            public void [|CompensateDeleteNote|](string path)
            {
                throw new NotImplementedException();
            }

            [McpServerTool]
            public string ReadNote(string path) => File.ReadAllText(path);
        }
        """).RunAsync();

    [Fact]
    public Task Fix_takes_the_id_and_the_state_the_tool_kept_before_overwriting_not_the_new_content() => Test("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        public sealed class ReportTools(HttpClient http)
        {
            [McpServerTool(Name = "update_report")]
            public async Task<string> [|UpdateReport|](string id, string reportText, CancellationToken cancellationToken)
            {
                var previousText = await http.GetStringAsync("https://reports.example/" + id, cancellationToken);
                using var response = await http.PutAsync("https://reports.example/" + id, new StringContent(reportText), cancellationToken);
                return previousText;
            }
        }
        """).WithFix(FixKey, """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        public sealed class ReportTools(HttpClient http)
        {
            [McpServerTool(Name = "update_report")]
            public async Task<string> UpdateReport(string id, string reportText, CancellationToken cancellationToken)
            {
                var previousText = await http.GetStringAsync("https://reports.example/" + id, cancellationToken);
                using var response = await http.PutAsync("https://reports.example/" + id, new StringContent(reportText), cancellationToken);
                return previousText;
            }

            /// <summary>Undoes the effects of <see cref="UpdateReport"/>.</summary>
            /// <remarks><paramref name="result"/> is what the tool returned, such as the id of what it created.</remarks>
            public Task [|CompensateUpdateReportAsync|](string result, string id, string previousText, CancellationToken cancellationToken)
            {
                throw new NotImplementedException();
            }
        }
        """).RunAsync();

    [Fact]
    public Task Fix_for_an_async_tool_returns_Task_adds_Async_and_takes_the_created_id_not_the_free_text_it_was_given() => Test("""
        using System;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        namespace Support;

        [McpServerToolType]
        public sealed class TicketTools(HttpClient http)
        {
            [McpServerTool(Name = "create_ticket")]
            public async Task<string> {|#0:CreateTicket|}(string title, string? body, CancellationToken cancellationToken)
            {
                var response = await http.PostAsJsonAsync("https://tickets.example/api", new { title, body }, cancellationToken);
                return await response.Content.ReadAsStringAsync(cancellationToken);
            }
        }
        """).Expect(Tool(0, "CreateTicket", "HttpClient.PostAsJsonAsync")).WithFix(FixKey, """
        using System;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        namespace Support;

        [McpServerToolType]
        public sealed class TicketTools(HttpClient http)
        {
            [McpServerTool(Name = "create_ticket")]
            public async Task<string> CreateTicket(string title, string? body, CancellationToken cancellationToken)
            {
                var response = await http.PostAsJsonAsync("https://tickets.example/api", new { title, body }, cancellationToken);
                return await response.Content.ReadAsStringAsync(cancellationToken);
            }

            /// <summary>Undoes the effects of <see cref="CreateTicket"/>.</summary>
            /// <remarks><paramref name="result"/> is what the tool returned, such as the id of what it created.</remarks>
            public Task [|CompensateCreateTicketAsync|](string result, string title, CancellationToken cancellationToken)
            {
                throw new NotImplementedException();
            }
        }
        """).RunAsync();

    [Fact]
    public Task Fix_all_adds_one_stub_after_each_tool_and_each_using_once() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;
        public static class FileTools
        {
            [McpServerTool]
            public static void {|#0:WriteFile|}(string path, string text) => File.WriteAllText(path, text);

            [McpServerTool]
            public static string ReadFile(string path) => File.ReadAllText(path);

            [McpServerTool]
            internal static async System.Threading.Tasks.Task {|#1:MoveFile|}(string from, string to)
            {
                await System.Threading.Tasks.Task.Yield();
                File.Move(from, to);
            }

            [McpServerTool]
            public static void {|#2:DeleteFile|}(string path) => File.Delete(path);
        }
        """).Expect(Tool(0, "WriteFile", "File.WriteAllText"), Tool(1, "MoveFile", "File.Move"), Tool(2, "DeleteFile", "File.Delete"))
        .WithFix(FixKey, """
        using System;
        using System.IO;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;
        public static class FileTools
        {
            [McpServerTool]
            public static void WriteFile(string path, string text) => File.WriteAllText(path, text);

            /// <summary>Undoes the effects of <see cref="WriteFile"/>.</summary>
            public static void [|CompensateWriteFile|](string path)
            {
                throw new NotImplementedException();
            }

            [McpServerTool]
            public static string ReadFile(string path) => File.ReadAllText(path);

            [McpServerTool]
            internal static async System.Threading.Tasks.Task MoveFile(string from, string to)
            {
                await System.Threading.Tasks.Task.Yield();
                File.Move(from, to);
            }

            /// <summary>Undoes the effects of <see cref="MoveFile"/>.</summary>
            internal static Task [|CompensateMoveFileAsync|](string from, string to)
            {
                throw new NotImplementedException();
            }

            [McpServerTool]
            public static void DeleteFile(string path) => File.Delete(path);

            /// <summary>Undoes the effects of <see cref="DeleteFile"/>.</summary>
            public static void [|CompensateDeleteFile|](string path)
            {
                throw new NotImplementedException();
            }
        }
        """).RunAsync();

    [Fact]
    public Task Fix_for_a_lambda_tool_goes_after_the_registering_member() => Test("""
        using System;
        using System.Diagnostics;
        using Microsoft.Extensions.AI;
        public class OpsTools
        {
            public AIFunction Restart() => AIFunctionFactory.Create({|#0:(string service) => Process.Start("systemctl", "restart " + service)|}, name: "restart_service");

            public string Status() => "ok";
        }
        """).Expect(Tool(0, "restart_service", "Process.Start")).WithFix(FixKey, """
        using System;
        using System.Diagnostics;
        using Microsoft.Extensions.AI;
        public class OpsTools
        {
            public AIFunction Restart() => AIFunctionFactory.Create((string service) => Process.Start("systemctl", "restart " + service), name: "restart_service");

            /// <summary>Undoes the effects of the <c>restart_service</c> tool.</summary>
            /// <remarks><paramref name="result"/> is what the tool returned, such as the id of what it created.</remarks>
            public void [|CompensateRestartService|](Process result, string service)
            {
                throw new NotImplementedException();
            }

            public string Status() => "ok";
        }
        """).RunAsync();

    [Fact]
    public Task Fix_refers_to_an_overloaded_tool_with_its_parameters() => Test("""
        using System;
        using System.IO;
        using Microsoft.SemanticKernel;
        public class NotesPlugin
        {
            [KernelFunction]
            public void {|#0:SaveNote|}(string name, int version) => File.WriteAllText(name + version, "");

            public void SaveNote(string name) => SaveNote(name, 1);
        }
        """).Expect(Tool(0, "SaveNote", "File.WriteAllText")).WithFix(FixKey, """
        using System;
        using System.IO;
        using Microsoft.SemanticKernel;
        public class NotesPlugin
        {
            [KernelFunction]
            public void SaveNote(string name, int version) => File.WriteAllText(name + version, "");

            /// <summary>Undoes the effects of <see cref="SaveNote(string, int)"/>.</summary>
            public void [|CompensateSaveNote|](string name, int version)
            {
                throw new NotImplementedException();
            }

            public void SaveNote(string name) => SaveNote(name, 1);
        }
        """).RunAsync();

    // ---------------------------------------------------------------- options

    [Fact]
    public Task Configured_compensation_prefixes_replace_the_defaults_and_name_the_fix() => Test("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;
        public class FileTools
        {
            [McpServerTool] public void Archive(string path) => File.Move(path, path + ".bak");
            public void ReverseArchive(string path) => File.Move(path + ".bak", path);

            [McpServerTool] public void {|#0:Purge|}(string path) => File.Delete(path);
            public void UndoPurge(string path) => File.WriteAllText(path, "");
        }
        """).WithOption("agentsafety.AGS004.compensation_prefixes", "Reverse, Restore")
        .Expect(Tool(0, "Purge", "File.Delete")).WithFix(FixKey, """
        using System;
        using System.IO;
        using ModelContextProtocol.Server;
        public class FileTools
        {
            [McpServerTool] public void Archive(string path) => File.Move(path, path + ".bak");
            public void ReverseArchive(string path) => File.Move(path + ".bak", path);

            [McpServerTool] public void Purge(string path) => File.Delete(path);

            /// <summary>Undoes the effects of <see cref="Purge"/>.</summary>
            public void [|ReversePurge|](string path)
            {
                throw new NotImplementedException();
            }

            public void UndoPurge(string path) => File.WriteAllText(path, "");
        }
        """).RunAsync();
}
