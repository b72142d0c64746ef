using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using static AgentSafety.Tests.Verification.ExpectedDiagnostic;

namespace AgentSafety.Tests.Rules;

/// <summary>AGS006 — model-controlled input reaching a command, SQL text, path or URL. Reads like docs/rules/AGS006.md.</summary>
public class ModelControlledInjectionTests
{
    private const string Id = "AGS006";

    private const string ContainPathKey = ModelControlledInjectionCodeFixProvider.ContainPathKey;
    private const string ParameterizeSqlKey = ModelControlledInjectionCodeFixProvider.ParameterizeSqlKey;

    private static RuleTest Test(string source)
        => RuleTest.For<ModelControlledInjectionAnalyzer, ModelControlledInjectionCodeFixProvider>().WithSource(source);

    private static ExpectedDiagnostic Finding(int location, string source, string kind, string sink)
        => Diagnostic(Id).At(location).WithArguments(source, kind, sink);

    // ---------------------------------------------------------------- positives: each sink kind, each source kind

    [Fact]
    public Task Path_built_from_an_mcp_tool_argument_is_reported_with_the_parameter_and_the_sink() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class NoteTools
        {
            private const string Root = "/srv/notes";

            [McpServerTool]
            public static string ReadNote(string name)
            {
                var path = Path.Combine(Root, name + ".md");
                return {|#0:File.ReadAllText(path)|};
            }

            [McpServerTool]
            public static void MoveNote(string from, string to) => {|#1:File.Move(Path.Combine(Root, from), Path.Combine(Root, to))|};
        }
        """).Expect(
            Finding(0, "parameter 'name' of tool 'ReadNote'", "file path", "File.ReadAllText").WithSeverity(DiagnosticSeverity.Warning),
            Finding(1, "parameter 'from' of tool 'MoveNote'", "file path", "File.Move")).RunAsync();

    [Fact]
    public Task Sql_text_built_from_a_kernel_function_argument_is_reported() => Test("""
        using Microsoft.Data.Sqlite;
        using Microsoft.SemanticKernel;

        public class CustomerPlugin(SqliteConnection connection)
        {
            [KernelFunction]
            public string FindCustomer(string name)
            {
                using var command = connection.CreateCommand();
                {|#0:command.CommandText = $"SELECT id FROM customers WHERE name = '{name}'"|};
                return command.ExecuteScalar()?.ToString() ?? "";
            }

            [KernelFunction]
            public int DeleteOrders(string status)
            {
                using var command = {|#1:new SqliteCommand("DELETE FROM orders WHERE status = '" + status.Trim().ToLowerInvariant() + "'", connection)|};
                return command.ExecuteNonQuery();
            }
        }
        """).Expect(
            Finding(0, "parameter 'name' of tool 'FindCustomer'", "SQL text", "SqliteCommand.CommandText"),
            Finding(1, "parameter 'status' of tool 'DeleteOrders'", "SQL text", "new SqliteCommand")).RunAsync();

    [Fact]
    public Task Dapper_and_entity_framework_raw_sql_are_reported() => Test("""
        using System.Collections.Generic;
        using System.Data;
        using System.Linq;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.EntityFrameworkCore;
        using ModelContextProtocol.Server;

        public class Order { public int Id { get; set; } public string Status { get; set; } = ""; }
        public class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }

        [McpServerToolType]
        public class OrderTools(IDbConnection connection, ShopContext db)
        {
            [McpServerTool]
            public Task<IEnumerable<Order>> Search(string filter)
                => {|#0:connection.QueryAsync<Order>("SELECT * FROM orders WHERE " + filter)|};

            [McpServerTool]
            public List<Order> ByStatus(string status)
                => {|#1:db.Orders.FromSqlRaw($"SELECT * FROM orders WHERE status = '{status}'")|}.ToList();

            [McpServerTool]
            public int Purge(string table) => {|#2:db.Database.ExecuteSqlRaw(string.Format("DELETE FROM {0}", table))|};
        }
        """).Expect(
            Finding(0, "parameter 'filter' of tool 'Search'", "SQL text", "SqlMapper.QueryAsync"),
            Finding(1, "parameter 'status' of tool 'ByStatus'", "SQL text", "RelationalQueryableExtensions.FromSqlRaw"),
            Finding(2, "parameter 'table' of tool 'Purge'", "SQL text", "RelationalDatabaseFacadeExtensions.ExecuteSqlRaw")).RunAsync();

    [Fact]
    public Task Command_from_a_lambda_tool_is_reported_with_its_registered_name() => Test("""
        using System.Diagnostics;
        using Microsoft.Extensions.AI;

        public static class GitTools
        {
            public static AIFunction Log() => AIFunctionFactory.Create(
                (string branch) => {|#0:Process.Start("git", $"log --oneline {branch}")|}!.Id, name: "git_log");

            public static AIFunction Run() => AIFunctionFactory.Create((string tool) =>
            {
                var info = {|#1:new ProcessStartInfo(tool)|};
                {|#2:info.Arguments = "--version " + tool|};
                return info.FileName;
            }, name: "run_tool");
        }
        """).Expect(
            Finding(0, "parameter 'branch' of tool 'git_log'", "command", "Process.Start"),
            Finding(1, "parameter 'tool' of tool 'run_tool'", "command", "new ProcessStartInfo"),
            Finding(2, "parameter 'tool' of tool 'run_tool'", "command", "ProcessStartInfo.Arguments")).RunAsync();

    [Fact]
    public Task Url_that_the_model_chooses_or_whose_host_it_chooses_is_reported() => Test("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class WebTools(HttpClient http)
        {
            [McpServerTool]
            public Task<string> Fetch(string url) => {|#0:http.GetStringAsync(url)|};

            [McpServerTool]
            public Task<HttpResponseMessage> Status(string host) => {|#1:http.GetAsync($"https://{host}/status")|};

            [McpServerTool]
            public async Task<string> Post(string endpoint)
            {
                var request = {|#2:new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.Trim()))|};
                var response = await http.SendAsync(request);
                return response.StatusCode.ToString();
            }
        }
        """).Expect(
            Finding(0, "parameter 'url' of tool 'Fetch'", "URL", "HttpClient.GetStringAsync"),
            Finding(1, "parameter 'host' of tool 'Status'", "URL", "HttpClient.GetAsync"),
            Finding(2, "parameter 'endpoint' of tool 'Post'", "URL", "new HttpRequestMessage")).RunAsync();

    [Fact]
    public Task Sink_in_a_same_type_helper_names_the_tool_that_passes_the_argument() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class ReportTools
        {
            [McpServerTool]
            public string Export(string fileName, string body)
            {
                Save(Path.Combine("reports", fileName), body);
                return "saved";
            }

            private static void Save(string target, string text) => {|#0:File.WriteAllText(target, text)|};
        }
        """).Expect(Finding(0, "parameter 'fileName' of tool 'Export'", "file path", "File.WriteAllText")).RunAsync();

    [Fact]
    public Task Model_output_reaching_a_sink_is_reported_outside_tools_too() => Test("""
        using System.Diagnostics;
        using System.IO;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        public class Planner(IChatClient chat)
        {
            public async Task Run()
            {
                var response = await chat.GetResponseAsync("Which file should I open?");
                var content = {|#0:File.ReadAllText(response.Text)|};
                var start = new ProcessStartInfo { FileName = "sh", {|#1:Arguments = response.Messages[0].Text|} };
            }
        }
        """).Expect(
            Finding(0, "model output 'ChatResponse.Text'", "file path", "File.ReadAllText"),
            Finding(1, "model output 'ChatMessage.Text'", "command", "ProcessStartInfo.Arguments")).RunAsync();

    [Fact]
    public Task Flows_through_string_builders_formats_collections_and_data_objects_are_followed() => Test("""
        using System.Collections.Generic;
        using System.IO;
        using System.Text;
        using ModelContextProtocol.Server;

        public record ReadRequest(string Folder, string File);

        [McpServerToolType]
        public static class FileTools
        {
            [McpServerTool]
            public static string Read(ReadRequest request) => {|#0:File.ReadAllText(request.Folder + "/" + request.File)|};

            [McpServerTool]
            public static void Touch(string[] names)
            {
                foreach (var name in names)
                {
                    var builder = new StringBuilder("/tmp/");
                    builder.Append(name);
                    {|#1:File.Create(builder.ToString())|};
                }
            }

            [McpServerTool]
            public static string[] List(Dictionary<string, string> options)
                => {|#2:Directory.GetFiles(string.Format("{0}/data", options["root"]))|};
        }
        """).Expect(
            Finding(0, "parameter 'request' of tool 'Read'", "file path", "File.ReadAllText"),
            Finding(1, "parameter 'names' of tool 'Touch'", "file path", "File.Create"),
            Finding(2, "parameter 'options' of tool 'List'", "file path", "Directory.GetFiles")).RunAsync();

    [Fact]
    public Task Null_empty_and_existence_checks_are_no_guard() => Test("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class FileTools
        {
            [McpServerTool]
            public static string Read(string path)
            {
                if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("Path is required");
                if (!File.Exists(path)) return "not found";
                if (path.Length > 260) return "too long";
                return {|#0:File.ReadAllText(path)|};
            }
        }
        """).Expect(Finding(0, "parameter 'path' of tool 'Read'", "file path", "File.ReadAllText")).RunAsync();

    [Fact]
    public Task Configured_tool_attributes_make_tools_too() => Test("""
        using System;
        using System.IO;

        [AttributeUsage(AttributeTargets.Method)]
        public sealed class AgentToolAttribute : Attribute { }

        public static class Tools
        {
            [AgentTool]
            public static void Remove(string path) => {|#0:File.Delete(path)|};
        }
        """).WithOption("agentsafety.tool_attributes", "AgentTool")
        .Expect(Finding(0, "parameter 'path' of tool 'Remove'", "file path", "File.Delete")).RunAsync();

    [Fact]
    public Task Shapes_seen_in_public_mcp_servers_are_reported() => Test("""
        using System;
        using System.Diagnostics;
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class DevTools(HttpClient http)
        {
            [McpServerTool]
            public Task<HttpResponseMessage> Get(string url, string query)
            {
                var builder = new UriBuilder(url) { Query = query };
                return http.SendAsync({|#0:new HttpRequestMessage(HttpMethod.Get, builder.Uri)|});
            }

            [McpServerTool]
            public void OpenInBrowser(string url) => Process.Start(new ProcessStartInfo { {|#1:FileName = url|}, UseShellExecute = true });

            [McpServerTool]
            public void Build(string projectPath, string framework = "")
            {
                var arguments = $"build \"{projectPath}\"";
                if (!string.IsNullOrEmpty(framework))
                {
                    arguments += $" --framework {framework}";
                }

                arguments += " -v:q";
                var info = new ProcessStartInfo { FileName = "dotnet", {|#2:Arguments = arguments|}, UseShellExecute = false };
                Process.Start(info);
            }

            [McpServerTool]
            public string Scaffold(string feature)
            {
                RunScript(System.IO.Path.Combine("/srv/projects", feature));
                return "created";
            }

            private static void RunScript(string folder)
            {
                var script = $"Set-Location '{folder.Replace("'", "''")}'; dotnet new console";
                Process.Start(new ProcessStartInfo { FileName = "pwsh", {|#3:Arguments = $"-NoProfile -Command \"{script}\""|} });
            }
        }
        """).Expect(
            Finding(0, "parameter 'url' of tool 'Get'", "URL", "new HttpRequestMessage"),
            Finding(1, "parameter 'url' of tool 'OpenInBrowser'", "command", "ProcessStartInfo.FileName"),
            Finding(2, "parameter 'framework' of tool 'Build'", "command", "ProcessStartInfo.Arguments"),
            Finding(3, "parameter 'feature' of tool 'Scaffold'", "command", "ProcessStartInfo.Arguments")).RunAsync();

    // ---------------------------------------------------------------- negatives

    [Fact]
    public Task Parameters_of_methods_that_are_not_tools_are_not_model_input() => Test("""
        using System.IO;

        public static class Files
        {
            public static string Read(string path) => File.ReadAllText(path);
        }
        """).RunAsync();

    [Fact]
    public Task Numbers_guids_enums_dates_and_parsed_values_carry_no_text() => Test("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        public enum Kind { Daily, Weekly }

        [McpServerToolType]
        public static class ReportTools
        {
            [McpServerTool]
            public static string Read(int id, Guid key, Kind kind, DateTime day, string page)
            {
                var number = int.Parse(page);
                return File.ReadAllText($"/reports/{id}/{key}/{kind}/{day:yyyy-MM-dd}/{number}.txt");
            }
        }
        """).RunAsync();

    [Fact]
    public Task File_name_only_is_no_path_injection() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class FileTools
        {
            [McpServerTool]
            public static string Read(string name) => File.ReadAllText(Path.Combine("/srv/files", Path.GetFileName(name)));

            [McpServerTool]
            public static string ReadAgain(string name)
            {
                name = Path.GetFileName(name);
                return File.ReadAllText(Path.Combine("/srv/files", name));
            }
        }
        """).RunAsync();

    [Fact]
    public Task Containment_guard_and_traversal_checks_guard_the_path() => Test("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class FileTools
        {
            private static readonly string Root = Path.GetFullPath("/srv/files") + Path.DirectorySeparatorChar;

            [McpServerTool]
            public static string Read(string name)
            {
                var full = Path.GetFullPath(Path.Combine(Root, name));
                if (!full.StartsWith(Root, StringComparison.Ordinal))
                {
                    throw new ArgumentException("Path is outside the allowed folder.", nameof(name));
                }

                return File.ReadAllText(full);
            }

            [McpServerTool]
            public static void Delete(string name)
            {
                if (name.Contains("..") || Path.IsPathRooted(name)) return;
                File.Delete(Path.Combine(Root, name));
            }

            [McpServerTool]
            public static string Open(string name)
                => name.EndsWith(".txt", StringComparison.Ordinal) ? File.ReadAllText(Path.Combine(Root, name)) : "";
        }
        """).RunAsync();

    [Fact]
    public Task Allowlisted_hosts_fixed_hosts_escaped_and_relative_urls_are_not_reported() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Threading.Tasks;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class WebTools(HttpClient http)
        {
            private static readonly HashSet<string> Allowed = new() { "docs.example.com" };
            private readonly Uri _baseAddress = new("https://api.example.com/");

            [McpServerTool]
            public async Task<string> Fetch(string url)
            {
                var host = new Uri(url).Host;
                if (!Allowed.Contains(host)) return "host not allowed";
                return await http.GetStringAsync(url);
            }

            [McpServerTool]
            public Task<string> Search(string query) => http.GetStringAsync($"https://api.example.com/search?q={query}");

            [McpServerTool]
            public Task<string> Escaped(string term) => http.GetStringAsync("https://" + Uri.EscapeDataString(term));

            [McpServerTool]
            public Task<string> Item(string id) => http.GetStringAsync($"/items/{id}");

            [McpServerTool]
            public Task<string> Relative(string path) => http.GetStringAsync(new Uri(_baseAddress, path));
        }
        """).RunAsync();

    [Fact]
    public Task Parameterized_sql_is_not_reported() => Test("""
        using System.Collections.Generic;
        using System.Data;
        using System.Linq;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.Data.Sqlite;
        using Microsoft.EntityFrameworkCore;
        using ModelContextProtocol.Server;

        public class Order { public int Id { get; set; } public string Status { get; set; } = ""; }
        public class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }

        [McpServerToolType]
        public class OrderTools(SqliteConnection connection, IDbConnection dapper, ShopContext db)
        {
            [McpServerTool]
            public object? Find(string name)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT id FROM customers WHERE name = @name";
                command.Parameters.AddWithValue("@name", name);
                return command.ExecuteScalar();
            }

            [McpServerTool]
            public Task<IEnumerable<Order>> Search(string status)
                => dapper.QueryAsync<Order>("SELECT * FROM orders WHERE status = @status", new { status });

            [McpServerTool]
            public List<Order> ByStatus(string status) => db.Orders.FromSql($"SELECT * FROM orders WHERE status = {status}").ToList();

            [McpServerTool]
            public List<Order> Interpolated(string status) => db.Orders.FromSqlInterpolated($"SELECT * FROM orders WHERE status = {status}").ToList();

            [McpServerTool]
            public int Purge(string status) => db.Database.ExecuteSql($"DELETE FROM orders WHERE status = {status}");

            [McpServerTool]
            public List<Order> Raw(string status) => db.Orders.FromSqlRaw("SELECT * FROM orders WHERE status = {0}", status).ToList();
        }
        """).RunAsync();

    [Fact]
    public Task Argument_lists_and_file_contents_are_not_sinks() => Test("""
        using System.Diagnostics;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class Tools
        {
            [McpServerTool]
            public static void Grep(string pattern)
            {
                var info = new ProcessStartInfo("grep");
                info.ArgumentList.Add("-e");
                info.ArgumentList.Add(pattern);
                Process.Start(info);
                Process.Start("grep", new[] { "-e", pattern });
            }

            [McpServerTool]
            public static void Note(string text) => File.AppendAllText("/var/notes.txt", text);
        }
        """).RunAsync();

    [Fact]
    public Task A_switch_on_the_value_or_a_throwing_same_type_check_guards_it() => Test("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class Tools
        {
            [McpServerTool]
            public static string Read(string name)
            {
                switch (name)
                {
                    case "readme":
                    case "license":
                        return File.ReadAllText(name + ".txt");
                    default:
                        return "unknown";
                }
            }

            [McpServerTool]
            public static string Load(string path)
            {
                EnsureInsideWorkspace(path);
                return File.ReadAllText(path);
            }

            private static void EnsureInsideWorkspace(string path)
            {
                if (!Path.GetFullPath(path).StartsWith("/workspace/", StringComparison.Ordinal))
                {
                    throw new UnauthorizedAccessException(path);
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_same_type_predicate_in_a_guard_that_throws_guards_the_path() => Test("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class FileSystemTools
        {
            private static readonly string BaseDirectory = Path.GetFullPath("workspace");

            private static bool IsValidPath(string path) => Path.GetFullPath(path).StartsWith(BaseDirectory, StringComparison.OrdinalIgnoreCase);

            [McpServerTool]
            public static string ReadFile(string filePath)
            {
                if (!IsValidPath(filePath))
                {
                    throw new ArgumentException("Invalid file path.");
                }

                return File.ReadAllText(filePath);
            }

            [McpServerTool]
            public static void WriteFile(string filePath, string content)
            {
                if (!IsValidPath(filePath)) throw new ArgumentException("Invalid file path.");
                Directory.CreateDirectory(Path.GetDirectoryName(filePath)!);
                File.WriteAllText(filePath, content);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Fields_and_configuration_are_not_model_input() => Test("""
        using System.IO;
        using Microsoft.Extensions.Configuration;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class Tools(IConfiguration configuration)
        {
            private readonly string _root = "/srv";

            [McpServerTool]
            public string Read(string topic)
            {
                var folder = configuration["DataFolder"];
                return File.ReadAllText(Path.Combine(_root, folder!, "index.txt")) + topic;
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_safe_helper_result_is_not_reported() => Test("""
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class Tools
        {
            private const string Root = "/srv/data/";

            [McpServerTool]
            public static string Read(string name) => File.ReadAllText(Resolve(name));

            private static string Resolve(string name)
            {
                var full = Path.GetFullPath(Path.Combine(Root, name));
                if (!full.StartsWith(Root, StringComparison.Ordinal)) throw new ArgumentException("outside", nameof(name));
                return full;
            }
        }
        """).RunAsync();

    private const string SanitizedSource = """
        using System.IO;
        using ModelContextProtocol.Server;

        namespace Safety
        {
            public static class PathGuard
            {
                public static void Check(string path) { }
            }
        }

        [McpServerToolType]
        public static class Tools
        {
            [McpServerTool]
            public static string Read(string path)
            {
                Safety.PathGuard.Check(path);
                return {|#0:File.ReadAllText(path)|};
            }

            [McpServerTool]
            public static string ReadResolved(string path) => {|#1:File.ReadAllText(Resolve(path))|};

            private static string Resolve(string path) => path.Trim();
        }
        """;

    [Fact]
    public Task Configured_sanitizers_guard_their_argument_and_clean_their_result() => Test(SanitizedSource.Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", ""))
        .WithOption("agentsafety.AGS006.sanitizers", "Safety.PathGuard.Check, M:Tools.Resolve(System.String)").RunAsync();

    [Fact]
    public Task Without_the_sanitizer_option_a_check_in_another_type_guards_nothing_and_helpers_are_followed() => Test(SanitizedSource)
        .Expect(
            Finding(0, "parameter 'path' of tool 'Read'", "file path", "File.ReadAllText"),
            Finding(1, "parameter 'path' of tool 'ReadResolved'", "file path", "File.ReadAllText")).RunAsync();

    [Fact]
    public Task Code_that_is_not_a_tool_and_reads_no_model_answer_is_not_reported() => Test("""
        using System.Diagnostics;
        using System.Net.Http;
        using System.Threading.Tasks;

        public class Deployer(HttpClient http)
        {
            public async Task Deploy(string environment, string url)
            {
                Process.Start("deploy.sh", environment);
                await http.GetStringAsync(url);
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- fixes

    [Fact]
    public Task Path_fix_guards_inside_an_expression_bodied_local_function_where_the_write_runs() => Test("""
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
        """).Expect(Finding(0, "parameter 'name' of tool 'Publish'", "file path", "File.WriteAllText"))
        .WithFix(ContainPathKey, """
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class ReportTools
        {
            private static readonly string AllowedRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "data")) + Path.DirectorySeparatorChar;

            [McpServerTool]
            public string Publish(string name)
            {
                Save();
                return name;

                void Save()
                {
                    var fullPath = Path.GetFullPath(Path.Combine(AllowedRoot, name + ".md"));
                    if (!fullPath.StartsWith(AllowedRoot, StringComparison.Ordinal))
                    {
                        throw new ArgumentException("The path is outside the allowed folder.");
                    }

                    File.WriteAllText(fullPath, "# " + name);
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Path_fix_adds_a_containment_guard_and_the_root_field_once() => Test("""
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class NoteTools
        {
            [McpServerTool]
            public static string ReadNote(string name)
            {
                var text = {|#0:File.ReadAllText(name)|};
                return text;
            }

            [McpServerTool]
            public static void DeleteNote(string name) => {|#1:File.Delete(Path.Combine("notes", name))|};
        }
        """).Expect(
            Finding(0, "parameter 'name' of tool 'ReadNote'", "file path", "File.ReadAllText"),
            Finding(1, "parameter 'name' of tool 'DeleteNote'", "file path", "File.Delete"))
        .WithFix(ContainPathKey, """
        using System;
        using System.IO;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class NoteTools
        {
            private static readonly string AllowedRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "data")) + Path.DirectorySeparatorChar;

            [McpServerTool]
            public static string ReadNote(string name)
            {
                var fullPath = Path.GetFullPath(Path.Combine(AllowedRoot, name));
                if (!fullPath.StartsWith(AllowedRoot, StringComparison.Ordinal))
                {
                    throw new ArgumentException("The path is outside the allowed folder.", nameof(name));
                }

                var text = File.ReadAllText(fullPath);
                return text;
            }

            [McpServerTool]
            public static void DeleteNote(string name)
            {
                var fullPath = Path.GetFullPath(Path.Combine(AllowedRoot, Path.Combine("notes", name)));
                if (!fullPath.StartsWith(AllowedRoot, StringComparison.Ordinal))
                {
                    throw new ArgumentException("The path is outside the allowed folder.");
                }

                File.Delete(fullPath);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Path_fix_imports_nothing_that_global_usings_already_import() => RuleTest.For<ModelControlledInjectionAnalyzer, ModelControlledInjectionCodeFixProvider>()
        .WithSource(GlobalUsings, "GlobalUsings.g.cs")
        .WithSource("""
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class NoteTools
        {
            [McpServerTool]
            public static void WriteNote(string name, string text) => [|File.WriteAllText(Path.Combine("notes", name), text)|];
        }
        """).WithFix(ContainPathKey, GlobalUsings, """
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public static class NoteTools
        {
            private static readonly string AllowedRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "data")) + Path.DirectorySeparatorChar;

            [McpServerTool]
            public static void WriteNote(string name, string text)
            {
                var fullPath = Path.GetFullPath(Path.Combine(AllowedRoot, Path.Combine("notes", name)));
                if (!fullPath.StartsWith(AllowedRoot, StringComparison.Ordinal))
                {
                    throw new ArgumentException("The path is outside the allowed folder.");
                }

                File.WriteAllText(fullPath, text);
            }
        }
        """).RunAsync();

    /// <summary>What the SDK generates for <c>ImplicitUsings</c> in a console project.</summary>
    private const string GlobalUsings = """
        global using System;
        global using System.IO;
        global using System.Linq;
        global using System.Threading.Tasks;

        """;

    [Fact]
    public Task Sql_fix_turns_interpolated_values_into_parameters() => Test("""
        using Microsoft.Data.Sqlite;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class CustomerTools(SqliteConnection connection)
        {
            [McpServerTool]
            public object? Find(string name, string city)
            {
                using var command = connection.CreateCommand();
                {|#0:command.CommandText = $"SELECT id FROM customers WHERE name = '{name}' AND city = {city}"|};
                return command.ExecuteScalar();
            }

            [McpServerTool]
            public int Close(string id)
            {
                using var command = {|#1:new SqliteCommand($"UPDATE accounts SET open = 0 WHERE id = '{id}'", connection)|};
                return command.ExecuteNonQuery();
            }
        }
        """).Expect(
            Finding(0, "parameter 'name' of tool 'Find'", "SQL text", "SqliteCommand.CommandText"),
            Finding(1, "parameter 'id' of tool 'Close'", "SQL text", "new SqliteCommand"))
        .WithFix(ParameterizeSqlKey, """
        using Microsoft.Data.Sqlite;
        using ModelContextProtocol.Server;

        [McpServerToolType]
        public class CustomerTools(SqliteConnection connection)
        {
            [McpServerTool]
            public object? Find(string name, string city)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT id FROM customers WHERE name = @p0 AND city = @p1";
                command.Parameters.AddWithValue("@p0", name);
                command.Parameters.AddWithValue("@p1", city);
                return command.ExecuteScalar();
            }

            [McpServerTool]
            public int Close(string id)
            {
                using var command = new SqliteCommand("UPDATE accounts SET open = 0 WHERE id = @p0", connection);
                command.Parameters.AddWithValue("@p0", id);
                return command.ExecuteNonQuery();
            }
        }
        """).RunAsync();

    [Fact]
    public Task Sql_fix_makes_entity_framework_raw_sql_interpolated() => Test("""
        using System.Collections.Generic;
        using System.Linq;
        using Microsoft.EntityFrameworkCore;
        using ModelContextProtocol.Server;

        public class Order { public int Id { get; set; } public string Status { get; set; } = ""; }
        public class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }

        [McpServerToolType]
        public class OrderTools(ShopContext db)
        {
            [McpServerTool]
            public List<Order> ByStatus(string status) => {|#0:db.Orders.FromSqlRaw($"SELECT * FROM orders WHERE status = {status}")|}.ToList();

            [McpServerTool]
            public int Purge(string status) => {|#1:db.Database.ExecuteSqlRaw($"DELETE FROM orders WHERE status = {status}")|};
        }
        """).Expect(
            Finding(0, "parameter 'status' of tool 'ByStatus'", "SQL text", "RelationalQueryableExtensions.FromSqlRaw"),
            Finding(1, "parameter 'status' of tool 'Purge'", "SQL text", "RelationalDatabaseFacadeExtensions.ExecuteSqlRaw"))
        .WithFix(ParameterizeSqlKey, """
        using System.Collections.Generic;
        using System.Linq;
        using Microsoft.EntityFrameworkCore;
        using ModelContextProtocol.Server;

        public class Order { public int Id { get; set; } public string Status { get; set; } = ""; }
        public class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }

        [McpServerToolType]
        public class OrderTools(ShopContext db)
        {
            [McpServerTool]
            public List<Order> ByStatus(string status) => db.Orders.FromSql($"SELECT * FROM orders WHERE status = {status}").ToList();

            [McpServerTool]
            public int Purge(string status) => db.Database.ExecuteSql($"DELETE FROM orders WHERE status = {status}");
        }
        """).RunAsync();

    [Fact]
    public Task Fixes_are_not_offered_where_they_cannot_be_written() => Test("""
        using System.Data;
        using System.IO;
        using Microsoft.Extensions.AI;

        public static class Tools
        {
            public static AIFunction Read() => AIFunctionFactory.Create((string path) => {|#0:File.ReadAllText(path)|}, name: "read");

            public static AIFunction Query(IDbCommand command) => AIFunctionFactory.Create((string filter) =>
            {
                {|#1:command.CommandText = "SELECT * FROM t WHERE " + filter|};
                return command.ExecuteScalar();
            }, name: "query");
        }
        """).Expect(
            Finding(0, "parameter 'path' of tool 'read'", "file path", "File.ReadAllText"),
            Finding(1, "parameter 'filter' of tool 'query'", "SQL text", "IDbCommand.CommandText"))
        .WithoutFix(ContainPathKey).WithoutFix(ParameterizeSqlKey).RunAsync();
}
