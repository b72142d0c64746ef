namespace AgentSafety.Tests.Robustness;

/// <summary>
/// Sources that put agent code (tools, HTTP calls, writes, secrets, catches) inside every shape of C# the rules
/// must survive: top-level statements, records, primary constructors, local functions, expression-bodied and
/// partial members, accessors, iterators, error types, missing references and generated code. The fuzzer mutates
/// them; unmutated, they are the fuzzer's controls.
/// </summary>
internal static class LanguageConstructs
{
    public static IReadOnlyList<(string Name, string Text)> All { get; } = new[]
    {
        ("TopLevelProgram.cs", """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            var http = new HttpClient();
            var apiKey = "sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4";
            http.DefaultRequestHeaders.Add("Authorization", $"Bearer {apiKey}");
            try
            {
                Console.WriteLine(await Fetch("orders"));
            }
            catch (Exception)
            {
            }

            async Task<string> Fetch(string what)
            {
                try { return await http.GetStringAsync($"https://api.example.test/{what}"); }
                catch (HttpRequestException) { return "offline"; }
                catch { return ""; }
            }

            static int Twice(int x) => x * 2;
            Console.WriteLine(Twice(21));
            """),
        ("Records.cs", """
            using System;
            using System.Collections.Generic;
            using System.IO;

            public record Order(Guid Id, string Customer, decimal Total)
            {
                public string Save(string folder)
                {
                    try { File.WriteAllText(Path.Combine(folder, Id + ".json"), Customer); return "saved"; }
                    catch (Exception) { return "not saved"; }
                }
            }

            public readonly record struct Money(decimal Amount, string Currency)
            {
                public static Money Parse(string text)
                {
                    try { return new Money(decimal.Parse(text[..^3]), text[^3..]); }
                    catch (FormatException) { }
                    catch { throw; }
                    return default;
                }
            }

            public abstract record Shape;
            public sealed record Circle(double Radius) : Shape;
            public record class Customer(string Name, IReadOnlyList<Order> Orders) { public required string Email { get; init; } }
            """),
        ("PrimaryConstructors.cs", """
            using System;
            using System.ComponentModel;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.Logging;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public sealed class WeatherTools(HttpClient http, ILogger<WeatherTools> logger)
            {
                private readonly string _base = "https://weather.example.test";

                [McpServerTool(Name = "forecast"), Description("Forecast")]
                public async Task<string> Forecast(string city, CancellationToken ct)
                {
                    try { return await http.GetStringAsync($"{_base}/{city}", ct); }
                    catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "failed"); return "unknown"; }
                }

                [McpServerTool(Destructive = true)]
                public async Task<string> DeleteCity(string city) => (await http.DeleteAsync($"{_base}/{city}")).IsSuccessStatusCode ? "ok" : "no";

                public string Safe(Func<string> f) { try { return f(); } catch (Exception) { return "n/a"; } }
            }

            public class Derived(int value) : Base(value)
            {
                public int Value => value;
            }

            public class Base(int seed) { protected int Seed { get; } = seed; }
            """),
        ("LocalFunctions.cs", """
            using System;
            using System.Linq;
            using System.Net.Http;
            using System.Threading.Tasks;

            public static class Pipeline
            {
                public static async Task<int> Run(HttpClient http, string[] urls)
                {
                    var ok = 0;
                    foreach (var url in urls)
                    {
                        if (await TryGet(url)) ok++;
                    }

                    return ok + Fib(10);

                    async Task<bool> TryGet(string url)
                    {
                        try { await http.GetAsync(url); return true; }
                        catch (HttpRequestException) { return false; }
                        catch (Exception) { return false; }
                    }

                    static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);

                    void Ignore()
                    {
                        try { Console.WriteLine(urls.First()); } catch { }
                    }
                }
            }
            """),
        ("ExpressionBodied.cs", """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Catalog
            {
                private readonly Dictionary<string, string> _items = new();
                public string this[string key] { get => _items.TryGetValue(key, out var v) ? v : ""; set => _items[key] = value; }
                public int Count => _items.Count;
                public event EventHandler? Changed;
                public static Catalog operator +(Catalog c, (string, string) item) { c[item.Item1] = item.Item2; return c; }
                public override string ToString() => string.Join(",", _items.Keys);
                public AIFunction Tool() => AIFunctionFactory.Create((string key) =>
                {
                    try { return this[key]; }
                    catch (Exception) { return "missing"; }
                }, "lookup");
                public Func<Task<string>> Lazy => async () => { try { await Task.Yield(); return "x"; } catch { return ""; } };
                ~Catalog() { try { Changed?.Invoke(this, EventArgs.Empty); } catch (Exception) { } }
            }
            """),
        ("PartialClass.cs", """
            using System;
            using System.Diagnostics;
            using Microsoft.Extensions.Logging;

            public partial class Worker
            {
                private readonly ILogger _logger;
                public Worker(ILogger logger) => _logger = logger;

                public void Run()
                {
                    try { Step(); }
                    catch (Exception) { ReportFailure(); }
                    try { Step(); }
                    catch (Exception) { Silently(); }
                }

                partial void Step();
                private partial void Silently();
            }

            public partial class Worker
            {
                private void ReportFailure() => _logger.LogError("Run failed");
                private partial void Silently() { Debug.WriteLine("quiet"); }
                public partial string Describe();
                public partial string Describe() => nameof(Worker);
            }
            """),
        ("ErrorTypes.cs", """
            using System;
            using Missing.Namespace;
            using ModelContextProtocol.Server;

            [McpServerToolType]
            public class Broken : UnknownBase, IUnknown
            {
                [McpServerTool, UnknownAttribute]
                public UnknownResult Call(UnknownArg arg)
                {
                    try { return Service.Do(arg); }
                    catch (UnknownException) { }
                    catch (Exception e) when (e is UnknownException) { Logger.LogError(e); }
                    catch (Exception) { return UnknownResult.Empty; }
                    return default;
                }

                public void Generic<T>() where T : UnknownConstraint
                {
                    try { new T(); } catch (T) { }
                }
            }
            """),
        ("MissingReferences.cs", """
            using System;
            using System.Net.Http;
            using Microsoft.Extensions.Logging;
            using Polly;
            using OpenTelemetry.Trace;

            public class NoLibraries
            {
                private readonly ILogger _logger = null!;
                public string Run(HttpClient http)
                {
                    try { return http.GetStringAsync("https://x.test").Result; }
                    catch (AggregateException) { return ""; }
                    catch (Exception ex) { _logger.LogError(ex, "failed"); return ""; }
                }

                public void Trace(Tracer tracer)
                {
                    try { using var span = tracer.StartActiveSpan("x"); }
                    catch (Exception ex) { System.Diagnostics.Activity.Current?.AddException(ex); }
                }
            }
            """),
        ("GeneratedHeader.g.cs", """
            // <auto-generated>
            //     This code was generated by a tool.
            // </auto-generated>
            #nullable enable
            using System;
            using System.Net.Http;

            namespace Generated
            {
                public partial class ApiClient
                {
                    private readonly HttpClient _http = new();
                    private const string Key = "sk_live_0123456789abcdefABCDEF01";
                    public string Get(string id)
                    {
                        try { return _http.GetStringAsync("api/" + id).Result; }
                        catch (Exception) { return string.Empty; }
                    }
                }
            }
            """),
        ("GeneratedAttribute.cs", """
            using System;
            using System.CodeDom.Compiler;

            [GeneratedCode("tool", "1.0")]
            public class Designer
            {
                public void InitializeComponent()
                {
                    try { Load(); } catch { }
                }

                private void Load() { }
            }

            public class HandWritten
            {
                [GeneratedCode("tool", "1.0")]
                public void Generated() { try { } catch { } }

                public void Written() { try { } catch (Exception) { } }
            }
            """),
        ("IteratorsAndAccessors.cs", """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            public class Streams
            {
                private int _value;
                public int Value
                {
                    get { try { return checked(_value * 2); } catch (OverflowException) { return int.MaxValue; } }
                    set { try { _value = value; } catch { } }
                }

                public IEnumerable<int> Numbers()
                {
                    try { yield return 1; }
                    finally { _value = 0; }
                }

                public async IAsyncEnumerable<string> Lines([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
                {
                    for (var i = 0; i < 3; i++)
                    {
                        string line;
                        try { await Task.Delay(1, ct); line = i.ToString(); }
                        catch (TaskCanceledException) { yield break; }
                        catch (Exception) { line = "?"; }
                        yield return line;
                    }
                }
            }
            """),
        ("FiltersAndNesting.cs", """
            using System;
            using System.Net;
            using System.Net.Http;
            using System.Threading;

            public static class Filters
            {
                public static string Run(Func<string> work, CancellationToken ct)
                {
                    try { return work(); }
                    catch (HttpRequestException { StatusCode: HttpStatusCode.NotFound }) { return "missing"; }
                    catch (Exception e) when (e is OperationCanceledException or TimeoutException && ct.IsCancellationRequested) { return "cancelled"; }
                    catch (Exception e) when (Log(e)) { throw; }
                    catch (Exception outer)
                    {
                        try { return outer.Message; }
                        catch { return ""; }
                        finally
                        {
                            try { work(); } catch (Exception) { }
                        }
                    }
                }

                private static bool Log(Exception e) { Console.Error.WriteLine(e); return false; }
            }
            """),
        ("ModernSyntax.cs", """"
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.SemanticKernel;

            file sealed class Helper
            {
                public static int[] Values => [1, 2, 3];
            }

            public interface IPlugin
            {
                static abstract string Name { get; }
                string Describe() { try { return "plugin"; } catch { return ""; } }
            }

            public ref struct Span2
            {
                public Span<byte> Bytes;
                public Span2(Span<byte> bytes) => Bytes = bytes;
            }

            public sealed class Plugin : IPlugin
            {
                public static string Name => "p";
                private static readonly string Json = """
                    { "password": "hunter2", "api_key": "sk-abcdefghijklmnopqrstuvwxyz012345" }
                    """;

                [KernelFunction]
                public string Run(string input)
                {
                    var utf8 = "password"u8;
                    var parts = input.Split(',') switch
                    {
                        [var first, ..] => first,
                        _ => "",
                    };
                    var lambda = static (int x = 1) => x + 1;
                    try { return parts + lambda() + Helper.Values.Sum() + utf8.Length + Json.Length; }
                    catch (Exception) { return "error"; }
                }
            }
            """"),
    };
}
