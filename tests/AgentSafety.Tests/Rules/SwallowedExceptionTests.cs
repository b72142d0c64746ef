using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using static AgentSafety.Tests.Verification.ExpectedDiagnostic;

namespace AgentSafety.Tests.Rules;

/// <summary>AGS003 — swallowed exceptions. Reads like docs/rules/AGS003.md: positives, negatives, fixes, options.</summary>
public class SwallowedExceptionTests
{
    private const string Id = "AGS003";

    private static RuleTest Test(string source)
        => RuleTest.For<SwallowedExceptionAnalyzer, SwallowedExceptionCodeFixProvider>().WithSource(source);

    // ---------------------------------------------------------------- positives

    [Fact]
    public Task Broad_catch_returning_a_canned_answer_is_reported_as_a_normal_looking_result() => Test("""
        using System;
        class Agent
        {
            string Answer(string question)
            {
                try { return Ask(question); }
                {|#0:catch (Exception)|} { return "I'm sorry, I couldn't complete that task."; }
            }
            string Ask(string q) => q;
        }
        """).Expect(Diagnostic(Id).At(0)
            .WithArguments("catch (Exception)", "Answer", "turns the failure into a normal-looking result")
            .WithSeverity(DiagnosticSeverity.Warning)).RunAsync();

    [Fact]
    public Task Broad_type_behind_a_using_alias_is_reported() => RuleTest.For<SwallowedExceptionAnalyzer, SwallowedExceptionCodeFixProvider>()
        .WithSource("""
            using Failure = System.Exception;
            class C
            {
                int M()
                {
                    try { return Work(); }
                    {|#0:catch (Failure)|} { return -1; }
                }
                int N()
                {
                    try { return Work(); }
                    {|#1:catch (Everything)|} { return -1; }
                }
                int Work() => 1;
            }
            """)
        .WithSource("global using Everything = System.SystemException;")
        .Expect(
            Diagnostic(Id).At(0).WithArguments("catch (Failure)", "M", "turns the failure into a normal-looking result"),
            Diagnostic(Id).At(1).WithArguments("catch (Everything)", "N", "turns the failure into a normal-looking result"))
        .RunAsync();

    [Fact]
    public Task Empty_catch_of_a_specific_type_is_reported() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        class Tool
        {
            async Task Notify(HttpClient http)
            {
                try { await http.PostAsync("https://example.test/hook", null); }
                {|#0:catch (HttpRequestException)|} { }
            }
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("catch (HttpRequestException)", "Notify", "is empty and hides the failure")).RunAsync();

    [Fact]
    public Task Empty_catch_all_is_reported() => Test("""
        class C
        {
            void M()
            {
                try { System.IO.File.Delete("x"); }
                {|#0:catch|} { }
            }
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("catch", "M", "is empty and hides the failure")).RunAsync();

    [Fact]
    public Task Broad_catch_that_only_sets_state_hides_the_failure() => Test("""
        using System;
        class C
        {
            bool _failed;
            void M()
            {
                try { Work(); }
                {|#0:catch (Exception ex)|} { _failed = true; }
            }
            void Work() { }
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("catch (Exception)", "M", "hides the failure")).RunAsync();

    [Fact]
    public Task Catch_all_with_statements_is_reported() => Test("""
        class C
        {
            int _errors;
            void M()
            {
                try { Work(); }
                [|catch|] { _errors++; }
            }
            void Work() { }
        }
        """).RunAsync();

    [Fact]
    public Task Aggregate_and_system_exception_are_broad_by_default() => Test("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            int M(Task<int> task)
            {
                try { return task.Result; }
                [|catch (AggregateException)|] { return -1; }
            }
            int N()
            {
                try { return 1; }
                [|catch (SystemException)|] { return 0; }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Catch_inside_a_lambda_tool_names_the_registering_member() => Test("""
        using System;
        using Microsoft.Extensions.AI;
        class Tools
        {
            AIFunction Create() => AIFunctionFactory.Create((string city) =>
            {
                try { return Lookup(city); }
                {|#0:catch (Exception)|} { return "unknown"; }
            });
            static string Lookup(string city) => city;
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("catch (Exception)", "Create", "turns the failure into a normal-looking result")).RunAsync();

    [Fact]
    public Task A_filter_that_does_not_read_the_exception_does_not_change_the_verdict() => Test("""
        using System;
        class C
        {
            bool _lenient = true;
            string M()
            {
                try { return Work(); }
                [|catch (Exception)|] when (_lenient) { return ""; }
            }
            string Work() => "";
        }
        """).RunAsync();

    [Fact]
    public Task Empty_catch_with_a_type_test_filter_is_still_empty() => Test("""
        using System;
        class C
        {
            void M()
            {
                try { Work(); }
                [|catch (Exception e)|] when (e is TimeoutException) { }
            }
            void Work() { }
        }
        """).RunAsync();

    [Fact]
    public Task A_filter_that_excludes_cancellation_does_not_narrow_to_it() => Test("""
        using System;
        class C
        {
            void M()
            {
                try { Work(); }
                [|catch (Exception e)|] when (e is not OperationCanceledException) { }
            }
            void Work() { }
        }
        """).RunAsync();

    [Fact]
    public Task BeginScope_alone_records_nothing() => Test("""
        using System;
        using Microsoft.Extensions.Logging;
        class C
        {
            private readonly ILogger _logger;
            C(ILogger logger) => _logger = logger;
            string M()
            {
                try { return Work(); }
                [|catch (Exception)|]
                {
                    using (_logger.BeginScope("tool"))
                    {
                        return "";
                    }
                }
            }
            string Work() => "";
        }
        """).RunAsync();

    [Fact]
    public Task A_throw_inside_a_lambda_is_not_a_rethrow() => Test("""
        using System;
        class C
        {
            Func<string>? _later;
            void M()
            {
                try { Work(); }
                [|catch (Exception)|] { _later = () => throw new InvalidOperationException("later"); }
            }
            void Work() { }
        }
        """).RunAsync();

    [Fact]
    public Task A_helper_of_another_type_that_logs_does_not_count() => Test("""
        using System;
        using Microsoft.Extensions.Logging;
        static class Report
        {
            public static void Failure(ILogger logger) => logger.LogError("failed");
        }
        class C
        {
            string M()
            {
                try { return Work(); }
                [|catch (Exception)|] { Report.Failure(null!); return ""; }
            }
            string Work() => "";
        }
        """).RunAsync();

    // ---------------------------------------------------------------- negatives

    [Fact]
    public Task Rethrow_is_not_reported() => Test("""
        using System;
        class C
        {
            void M()
            {
                try { Work(); }
                catch (Exception) { Cleanup(); throw; }
                try { Work(); }
                catch { throw; }
            }
            void Work() { }
            void Cleanup() { }
        }
        """).RunAsync();

    [Fact]
    public Task Wrapping_in_a_new_exception_is_a_rethrow() => Test("""
        using System;
        class C
        {
            string M() 
            {
                try { return Work(); }
                catch (Exception) { throw new InvalidOperationException("tool failed"); }
            }
            string N() 
            {
                try { return Work(); }
                catch (Exception) { return Work() ?? throw new InvalidOperationException(); }
            }
            string Work() => "";
        }
        """).RunAsync();

    [Fact]
    public Task Logging_through_ILogger_is_not_reported() => Test("""
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger<C> logger)
        {
            string M()
            {
                try { return Work(); }
                catch (Exception) { logger.LogWarning("Work failed, using the default"); return "default"; }
            }
            string N()
            {
                try { return Work(); }
                catch { logger.Log(LogLevel.Error, "Work failed"); return ""; }
            }
            string Work() => "";
        }
        """).RunAsync();

    [Fact]
    public Task LoggerMessage_methods_and_delegates_are_recording_calls() => Test("""
        using System;
        using Microsoft.Extensions.Logging;
        static partial class Log
        {
            [LoggerMessage(1, LogLevel.Error, "Tool failed")]
            public static partial void ToolFailed(ILogger logger);

            public static readonly Action<ILogger, string, Exception?> Failed =
                LoggerMessage.Define<string>(LogLevel.Error, new EventId(2), "Tool {Tool} failed");

            public static partial void ToolFailed(ILogger logger) { }
        }
        class C(ILogger logger)
        {
            void M()
            {
                try { Work(); }
                catch (Exception) { Log.ToolFailed(logger); }
                try { Work(); }
                catch (Exception) { Log.Failed(logger, "search", null); }
            }
            void Work() { }
        }
        """).RunAsync();

    [Fact]
    public Task Activity_and_OpenTelemetry_calls_record_the_failure() => Test("""
        using System;
        using System.Diagnostics;
        using OpenTelemetry.Trace;
        class C
        {
            void M(TelemetrySpan span)
            {
                try { Work(); }
                catch (Exception) { Activity.Current?.SetStatus(ActivityStatusCode.Error, "work failed"); }
                try { Work(); }
                catch (Exception) { Activity.Current?.AddEvent(new ActivityEvent("work failed")); }
                try { Work(); }
                catch (Exception) { span.SetStatus(Status.Error); }
                try { Work(); }
                catch (Exception) { Trace.TraceError("work failed"); }
            }
            void Work() { }
        }
        """).RunAsync();

    [Fact]
    public Task A_same_type_helper_that_logs_counts_two_levels_deep() => Test("""
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger logger)
        {
            string M()
            {
                try { return Work(); }
                catch (Exception) { ReportFailure(); return ""; }
            }
            string N()
            {
                try { return Work(); }
                catch (Exception) { Degrade(); return ""; }
            }
            void Degrade() => ReportFailure();
            void ReportFailure() => logger.LogError("Work failed");
            string Work() => "";
        }
        """).RunAsync();

    [Fact]
    public Task A_same_type_helper_in_another_partial_file_counts() => RuleTest.For<SwallowedExceptionAnalyzer, SwallowedExceptionCodeFixProvider>()
        .WithSource("""
            using System;
            partial class C
            {
                string M()
                {
                    try { return Work(); }
                    catch (Exception) { ReportFailure(); return ""; }
                }
                string Work() => "";
            }
            """)
        .WithSource("""
            using System.Diagnostics;
            partial class C
            {
                void ReportFailure() => Trace.TraceWarning("Work failed");
            }
            """).RunAsync();

    [Fact]
    public Task Reading_the_exception_observes_it() => Test("""
        using System;
        using System.Collections.Generic;
        class C
        {
            readonly List<Exception> _errors = new();
            string M()
            {
                try { return Work(); }
                catch (Exception ex) { return "Tool failed: " + ex.Message; }
            }
            void N()
            {
                try { Work(); }
                catch (Exception ex) { _errors.Add(ex); }
            }
            void O()
            {
                try { Work(); }
                catch (Exception ex) { Action report = () => Console.Error.WriteLine(ex); report(); }
            }
            string Work() => "";
        }
        """).RunAsync();

    [Fact]
    public Task Cancellation_is_normal_control_flow() => Test("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            async Task M(Task work)
            {
                try { await work; }
                catch (OperationCanceledException) { }
                try { await work; }
                catch (TaskCanceledException) { }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_filter_that_narrows_to_cancellation_is_not_reported() => Test("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task M(Task work, CancellationToken ct)
            {
                try { await work; }
                catch (Exception e) when (e is OperationCanceledException) { }
                try { await work; }
                catch (Exception e) when (e is TaskCanceledException or OperationCanceledException) { }
                try { await work; }
                catch (Exception) when (ct.IsCancellationRequested) { }
                try { await work; }
                catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException) { }
                try { await work; }
                catch (Exception e) when ((e is OperationCanceledException canceled) && canceled.CancellationToken == ct) { }
                try { await work; }
                catch (Exception e) when (e is OperationCanceledException { CancellationToken.IsCancellationRequested: true }) { }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_filter_that_tests_something_else_does_not_narrow_to_cancellation() => Test("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task M(Task work, CancellationToken ct)
            {
                try { await work; }
                [|catch (Exception e)|] when (e is { Message: "gone" }) { }
                try { await work; }
                [|catch (Exception e)|] when (e is OperationCanceledException || ct.CanBeCanceled) { }
                try { await work; }
                [|catch (Exception e)|] when (!(e is OperationCanceledException)) { }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_filter_that_reads_the_exception_outside_a_call_does_not_record_it() => Test("""
        using System;
        class C
        {
            void M()
            {
                try { Work(); }
                [|catch (Exception ex)|] when (ex.Message.Length > 0) { }
                try { Work(); }
                catch (Exception ex) when (Record(ex.InnerException ?? ex)) { }
            }
            static bool Record(Exception ex) { Console.Error.WriteLine(ex); return true; }
            void Work() { }
        }
        """).RunAsync();

    [Fact]
    public Task A_filter_that_hands_the_exception_to_a_call_observes_it() => Test("""
        using System;
        class C
        {
            void M()
            {
                try { Work(); }
                catch (Exception ex) when (Record(ex)) { }
            }
            static bool Record(Exception ex) { Console.Error.WriteLine(ex); return true; }
            void Work() { }
        }
        """).RunAsync();

    [Fact]
    public Task A_type_test_filter_on_a_broad_catch_reads_the_exception() => Test("""
        using System;
        using System.Net.Http;
        class C
        {
            string M()
            {
                try { return Work(); }
                catch (Exception ex) when (ex is HttpRequestException) { return "offline"; }
            }
            string Work() => "";
        }
        """).RunAsync();

    [Fact]
    public Task An_empty_block_with_a_comment_is_deliberate() => Test("""
        using System;
        using System.IO;
        class C
        {
            void M()
            {
                try { File.Delete("cache.tmp"); }
                catch (IOException) { /* the cache file may already be gone */ }
                try { File.Delete("cache.tmp"); }
                catch (Exception)
                {
                    // Best effort: a leftover temp file is harmless.
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_catch_holding_a_comment_is_deliberate_empty_or_not() => Test("""
        using System;
        using System.Diagnostics;
        class C
        {
            int? ExitCode(Process process)
            {
                try { return process.ExitCode; }
                catch (Exception)
                {
                    // The process has not exited yet: no code to read.
                    return null;
                }
            }

            void Stop(Process process)
            {
                try { process.Kill(); }
                catch { } // not a reason: outside the braces

                try { process.Kill(); }
                catch
                {
                    /* Process has already exited */
                }
            }
        }
        """.Replace("catch { } // not a reason", "[|catch|] { } // not a reason")).RunAsync();

    [Fact]
    public Task A_todo_comment_is_not_a_reason() => Test("""
        using System;
        class C
        {
            string Load(Func<string> read)
            {
                try { return read(); }
                [|catch (Exception)|]
                {
                    // TODO: log this
                    return "";
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task The_try_pattern_reports_failure_by_its_result() => Test("""
        using System;
        using System.Text.Json;
        using System.Threading.Tasks;
        class C
        {
            static bool TryParse(string text, out JsonDocument? document)
            {
                try
                {
                    document = JsonDocument.Parse(text);
                    return true;
                }
                catch (Exception)
                {
                    document = null;
                    return false;
                }
            }

            static async Task<JsonDocument?> TryReadAsync(Func<Task<string>> read)
            {
                try { return JsonDocument.Parse(await read()); }
                catch { }
                return null;
            }

            static T? TryDeserialize<T>(string json) where T : class
            {
                try { return JsonSerializer.Deserialize<T>(json); }
                catch (Exception) { return default; }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Outside_the_try_pattern_a_null_from_a_catch_is_still_reported() => Test("""
        using System;
        using System.Text.Json;
        class C
        {
            static JsonDocument? Parse(string text)
            {
                try { return JsonDocument.Parse(text); }
                [|catch (Exception)|] { return null; }
            }

            static bool Trying(string text)
            {
                try { JsonDocument.Parse(text); return true; }
                [|catch (Exception)|] { return false; }
            }

            static string TryDescribe(string text)
            {
                try { return JsonDocument.Parse(text).RootElement.ToString(); }
                [|catch (Exception)|] { return "{}"; }
            }

            static bool TryLoad(string text)
            {
                try { JsonDocument.Parse(text); return true; }
                [|catch (Exception)|] { return true; }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Moving_on_to_the_next_candidate_of_a_loop_that_throws_when_all_fail_is_not_swallowing() => Test("""
        using System;
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Threading.Tasks;
        class C
        {
            async Task<string> DiscoverAsync(HttpClient http, IEnumerable<Uri> candidates)
            {
                foreach (var candidate in candidates)
                {
                    try
                    {
                        return await http.GetStringAsync(candidate);
                    }
                    catch
                    {
                        continue;
                    }
                }

                throw new InvalidOperationException("No metadata endpoint answered.");
            }
        }
        """).RunAsync();

    [Fact]
    public Task Moving_on_silently_when_nothing_reports_the_end_is_still_reported() => Test("""
        using System;
        using System.Collections.Generic;
        using System.IO;
        class C
        {
            List<string> ReadAll(IEnumerable<string> paths)
            {
                var texts = new List<string>();
                foreach (var path in paths)
                {
                    try
                    {
                        texts.Add(File.ReadAllText(path));
                    }
                    [|catch|]
                    {
                        continue;
                    }
                }

                return texts;
            }
        }
        """).RunAsync();

    [Fact]
    public Task An_empty_catch_around_a_probe_for_a_value_is_not_reported() => Test("""
        using System;
        using System.Diagnostics;
        class C
        {
            private int _processId;

            C(Process process)
            {
                try { _processId = process.Id; } catch { }
            }

            static string Describe(Process process, string base64)
            {
                string? exitCode = null;
                try
                {
                    if (process.HasExited)
                    {
                        exitCode = $" (exit code: {process.ExitCode})";
                    }
                }
                catch { }

                try
                {
                    return $"{Convert.FromBase64String(base64).Length} bytes{exitCode}";
                }
                catch { }

                return "invalid base64";
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_constant_answer_for_a_property_the_object_can_no_longer_be_asked_is_not_reported() => Test("""
        using System.Diagnostics;
        using System.Net.Sockets;
        static class Probes
        {
            // As in the MCP SDK's StdioClientTransport: HasExited throws when no process is associated any more.
            internal static bool HasExited(Process process)
            {
                try
                {
                    return process.HasExited;
                }
                catch
                {
                    return true;
                }
            }

            internal static bool IsConnected(Socket socket)
            {
                try { return socket.Connected; } catch { return false; }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_constant_answer_for_a_call_a_value_or_a_computations_outcome_is_still_reported() => Test("""
        using System;
        using System.Diagnostics;
        using System.Text.Json;
        static class Probes
        {
            // As in the MCP SDK's McpSessionHandler: a malformed notification becomes null with no trace.
            static string? Parse(string json)
            {
                try { return JsonSerializer.Deserialize<string>(json); }
                [|catch|] { return null; }
            }

            static bool HasExited(Process process)
            {
                try { process.Refresh(); return process.HasExited; }
                [|catch|] { return true; }
            }

            static int ExitCode(Process process)
            {
                try { return process.ExitCode; }
                [|catch (Exception)|] { return -1; }
            }

            static bool Succeeded(System.Threading.Tasks.Task<bool> check)
            {
                try { return check.Result; }
                [|catch|] { return false; }
            }
        }
        """).RunAsync();

    [Fact]
    public Task An_empty_catch_around_an_action_is_still_reported() => Test("""
        using System;
        using System.Diagnostics;
        using System.IO;
        using System.Threading.Tasks;
        class C
        {
            async Task StopAsync(Process process, string path)
            {
                try { process.Kill(); } [|catch|] { }
                try { await File.WriteAllTextAsync(path, "stopped"); } [|catch|] { }
                try { var removed = File.ReadAllText(path); File.Delete(path); } [|catch|] { }
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_non_empty_catch_of_a_specific_type_is_deliberate_handling() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        class C
        {
            async Task<string> M(HttpClient http)
            {
                try { return await http.GetStringAsync("https://example.test"); }
                catch (HttpRequestException) { return "offline"; }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Generated_code_is_skipped() => Test("""
        // <auto-generated/>
        using System;
        class Generated
        {
            void M()
            {
                try { Work(); }
                catch (Exception) { }
            }
            void Work() { }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- options

    [Fact]
    public Task Configured_failure_recording_methods_count_as_recording() => Test("""
        using System;
        namespace MyCompany.Telemetry { static class ErrorReporter { public static void Report(string what) { } } }
        class C
        {
            string M()
            {
                try { return Work(); }
                catch (Exception) { MyCompany.Telemetry.ErrorReporter.Report("work"); return ""; }
            }
            string Work() => "";
        }
        """).WithOption("agentsafety.AGS003.failure_recording_methods", "MyCompany.Telemetry.ErrorReporter.Report").RunAsync();

    [Fact]
    public Task Failure_recording_methods_by_simple_name_and_unmatched_types() => Test("""
        using System;
        static class ErrorReporter { public static void Report(string what) { } }
        static class Metrics { public static void Count(string what) { } }
        class C
        {
            string M()
            {
                try { return Work(); }
                catch (Exception) { ErrorReporter.Report("work"); return ""; }
            }
            string N()
            {
                try { return Work(); }
                [|catch (Exception)|] { Metrics.Count("work"); return ""; }
            }
            string Work() => "";
        }
        """).WithOption("agentsafety.AGS003.failure_recording_methods", "Report, OtherNamespace.Metrics.Count").RunAsync();

    [Fact]
    public Task Without_the_option_a_custom_reporter_does_not_count() => Test("""
        using System;
        static class ErrorReporter { public static void Report(string what) { } }
        class C
        {
            string M()
            {
                try { return Work(); }
                [|catch (Exception)|] { ErrorReporter.Report("work"); return ""; }
            }
            string Work() => "";
        }
        """).RunAsync();

    [Fact]
    public Task Broad_exception_types_option_replaces_the_list() => Test("""
        using System;
        namespace MyApp { class AgentException : Exception { } }
        class C
        {
            int M()
            {
                try { return 1; }
                catch (AggregateException) { return -1; }
            }
            int N()
            {
                try { return 1; }
                [|catch (MyApp.AgentException)|] { return -1; }
            }
            int O()
            {
                try { return 1; }
                [|catch|] { return -1; }
            }
        }
        """).WithOption("agentsafety.AGS003.broad_exception_types", "System.Exception, MyApp.AgentException").RunAsync();

    [Fact]
    public Task Severity_comes_from_editorconfig() => Test("""
        class C
        {
            void M()
            {
                try { }
                {|#0:catch|} { }
            }
        }
        """).WithOption("dotnet_diagnostic.AGS003.severity", "error")
        .Expect(Diagnostic(Id).At(0).WithSeverity(DiagnosticSeverity.Error)).RunAsync();

    [Fact]
    public Task Severity_none_silences_the_rule() => Test("""
        class C
        {
            void M()
            {
                try { }
                catch { }
            }
        }
        """).WithOption("dotnet_diagnostic.AGS003.severity", "none").RunAsync();

    // ---------------------------------------------------------------- fixes

    [Fact]
    public Task Rethrow_appends_throw_and_fixes_all() => Test("""
        using System;
        class C
        {
            void M()
            {
                try { Work(); }
                [|catch (Exception)|] { Cleanup(); }
                try { Work(); }
                [|catch|]
                {
                }
            }
            void Work() { }
            void Cleanup() { }
        }
        """).WithFix(SwallowedExceptionCodeFixProvider.RethrowKey, """
        using System;
        class C
        {
            void M()
            {
                try { Work(); }
                catch (Exception) { Cleanup(); throw; }
                try { Work(); }
                catch
                {
                    throw;
                }
            }
            void Work() { }
            void Cleanup() { }
        }
        """).RunAsync();

    [Fact]
    public Task Rethrow_is_not_offered_when_the_block_ends_with_a_return() => Test("""
        using System;
        class C
        {
            string M()
            {
                try { return Work(); }
                [|catch (Exception)|] { return ""; }
            }
            string Work() => "";
        }
        """).WithoutFix(SwallowedExceptionCodeFixProvider.RethrowKey).RunAsync();

    [Fact]
    public Task Log_names_the_exception_and_logs_it_first_keeping_the_fallback() => Test("""
        using System;
        using Microsoft.Extensions.Logging;
        class WeatherTool
        {
            private readonly ILogger<WeatherTool> _logger;
            public WeatherTool(ILogger<WeatherTool> logger) => _logger = logger;

            public string GetForecast(string city)
            {
                try
                {
                    return Fetch(city);
                }
                [|catch|]
                {
                    return "Sorry, no forecast right now.";
                }
            }

            private string Fetch(string city) => city;
        }
        """).WithFix(SwallowedExceptionCodeFixProvider.LogKey, """
        using System;
        using Microsoft.Extensions.Logging;
        class WeatherTool
        {
            private readonly ILogger<WeatherTool> _logger;
            public WeatherTool(ILogger<WeatherTool> logger) => _logger = logger;

            public string GetForecast(string city)
            {
                try
                {
                    return Fetch(city);
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "GetForecast failed");
                    return "Sorry, no forecast right now.";
                }
            }

            private string Fetch(string city) => city;
        }
        """).RunAsync();

    [Fact]
    public Task Log_uses_a_primary_constructor_logger_names_a_typed_catch_and_adds_the_using() => Test("""
        using System.Net.Http;
        using System.Threading.Tasks;
        class Notifier(Microsoft.Extensions.Logging.ILogger logger, HttpClient http)
        {
            public async Task Notify()
            {
                try
                {
                    await http.PostAsync("https://example.test/hook", null);
                }
                [|catch (HttpRequestException)|]
                {
                }
            }
        }
        """).WithFix(SwallowedExceptionCodeFixProvider.LogKey, """
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;
        class Notifier(Microsoft.Extensions.Logging.ILogger logger, HttpClient http)
        {
            public async Task Notify()
            {
                try
                {
                    await http.PostAsync("https://example.test/hook", null);
                }
                catch (HttpRequestException ex)
                {
                    logger.LogError(ex, "Notify failed");
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Log_prefers_a_parameter_and_avoids_a_name_already_in_scope() => Test("""
        using System;
        using Microsoft.Extensions.Logging;
        class C
        {
            string M(ILogger log, string ex)
            {
                try
                {
                    return ex.Trim();
                }
                [|catch|]
                {
                    return "";
                }
            }
        }
        """).WithFix(SwallowedExceptionCodeFixProvider.LogKey, """
        using System;
        using Microsoft.Extensions.Logging;
        class C
        {
            string M(ILogger log, string ex)
            {
                try
                {
                    return ex.Trim();
                }
                catch (Exception exception)
                {
                    log.LogError(exception, "M failed");
                    return "";
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Log_fixes_all_across_documents() => RuleTest.For<SwallowedExceptionAnalyzer, SwallowedExceptionCodeFixProvider>()
        .WithSource("""
            using System;
            using Microsoft.Extensions.Logging;
            class A(ILogger logger)
            {
                void M()
                {
                    try { }
                    [|catch (Exception e)|] { Console.WriteLine("failed"); }
                }
            }
            """)
        .WithSource("""
            using System;
            using Microsoft.Extensions.Logging;
            class B(ILogger logger)
            {
                void N()
                {
                    try { }
                    [|catch|] { }
                }
            }
            """)
        .WithFix(SwallowedExceptionCodeFixProvider.LogKey, """
            using System;
            using Microsoft.Extensions.Logging;
            class A(ILogger logger)
            {
                void M()
                {
                    try { }
                    catch (Exception e) { logger.LogError(e, "M failed"); Console.WriteLine("failed"); }
                }
            }
            """, """
            using System;
            using Microsoft.Extensions.Logging;
            class B(ILogger logger)
            {
                void N()
                {
                    try { }
                    catch (Exception ex) { logger.LogError(ex, "N failed"); }
                }
            }
            """).RunAsync();

    [Fact]
    public Task Log_gives_nested_catches_distinct_names_in_one_pass() => Test("""
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger logger)
        {
            void M()
            {
                try
                {
                    Work();
                }
                [|catch|]
                {
                    try
                    {
                        Work();
                    }
                    [|catch|]
                    {
                    }
                }
            }
            void Work() { }
        }
        """).WithFix(SwallowedExceptionCodeFixProvider.LogKey, """
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger logger)
        {
            void M()
            {
                try
                {
                    Work();
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "M failed");
                    try
                    {
                        Work();
                    }
                    catch (Exception exception)
                    {
                        logger.LogError(exception, "M failed");
                    }
                }
            }
            void Work() { }
        }
        """).RunAsync();

    [Fact]
    public Task Record_on_trace_when_no_logger_is_in_scope_adds_the_using() => Test("""
        using System;

        namespace Agents;

        class Planner
        {
            string Plan(string goal)
            {
                try
                {
                    return Decompose(goal);
                }
                [|catch (Exception)|]
                {
                    return goal;
                }
            }

            string Decompose(string goal) => goal;
        }
        """).WithFix(SwallowedExceptionCodeFixProvider.RecordOnTraceKey, """
        using System;
        using System.Diagnostics;

        namespace Agents;

        class Planner
        {
            string Plan(string goal)
            {
                try
                {
                    return Decompose(goal);
                }
                catch (Exception ex)
                {
                    Activity.Current?.AddException(ex);
                    return goal;
                }
            }

            string Decompose(string goal) => goal;
        }
        """).WithoutFix(SwallowedExceptionCodeFixProvider.LogKey).RunAsync();

    [Fact]
    public Task An_instance_logger_is_not_used_from_a_static_method() => Test("""
        using System;
        using System.Diagnostics;
        using Microsoft.Extensions.Logging;
        class C(ILogger logger)
        {
            static void M()
            {
                try { }
                [|catch|] { }
            }
        }
        """).WithoutFix(SwallowedExceptionCodeFixProvider.LogKey)
        .WithFix(SwallowedExceptionCodeFixProvider.RecordOnTraceKey, """
        using System;
        using System.Diagnostics;
        using Microsoft.Extensions.Logging;
        class C(ILogger logger)
        {
            static void M()
            {
                try { }
                catch (Exception ex) { Activity.Current?.AddException(ex); }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Record_on_trace_is_not_offered_when_a_logger_is_in_scope() => Test("""
        using System;
        using Microsoft.Extensions.Logging;
        class C(ILogger logger)
        {
            void M()
            {
                try { }
                [|catch|] { }
            }
        }
        """).WithoutFix(SwallowedExceptionCodeFixProvider.RecordOnTraceKey).RunAsync();
}
