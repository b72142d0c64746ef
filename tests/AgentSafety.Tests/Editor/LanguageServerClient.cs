using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentSafety.Tests.Editor;

/// <summary>
/// The part of an editor that talks to a language server: JSON-RPC over the server's stdin/stdout with LSP's
/// <c>Content-Length</c> framing, the <c>initialize</c> handshake, documents opened and changed as full text, the
/// server's <c>workspace/configuration</c> requests answered with the given settings, and every
/// <c>textDocument/publishDiagnostics</c> kept with the time it arrived.
/// </summary>
internal sealed class LanguageServerClient : IDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly object _writeLock = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly Dictionary<string, JsonObject> _configuration;
    private readonly List<Published> _published = new();
    private readonly StringBuilder _log = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _reader;
    private int _nextId;

    private LanguageServerClient(
        string executable, string workingDirectory, Dictionary<string, JsonObject> configuration, IReadOnlyDictionary<string, string>? environment)
    {
        _configuration = configuration;
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The server loads projects through MSBuild; like a build started by a test, it must not inherit the test
        // host's MSBuild variables.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_HOST_PATH").ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Log("stderr: " + e.Data); } };
        _process.Start();
        _process.BeginErrorReadLine();
        _input = _process.StandardInput.BaseStream;
        _reader = Task.Run(ReadLoop);
    }

    /// <summary>A diagnostics notification: the document, its diagnostics, and when it arrived (client clock).</summary>
    public sealed record Published(string Uri, JsonArray Diagnostics, TimeSpan At);

    /// <summary>What the server said (log messages, progress, stderr), for failure messages.</summary>
    public string Transcript
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>
    /// Starts <paramref name="executable"/> and runs the <c>initialize</c> handshake for one workspace folder, the way
    /// an editor opening <paramref name="folder"/> does. <paramref name="configuration"/> answers the server's
    /// <c>workspace/configuration</c> requests, by section; <paramref name="environment"/> is added to the server's
    /// (MSBuild reads environment variables as properties).
    /// </summary>
    public static async Task<LanguageServerClient> StartAsync(
        string executable,
        string folder,
        Dictionary<string, JsonObject> configuration,
        bool pullDiagnostics,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var client = new LanguageServerClient(executable, folder, configuration, environment);
        try
        {
            var folderUri = UriOf(folder);
            var textDocument = new JsonObject
            {
                ["synchronization"] = new JsonObject { ["didSave"] = true },
                ["publishDiagnostics"] = new JsonObject { ["codeDescriptionSupport"] = true },
                ["codeAction"] = new JsonObject
                {
                    ["codeActionLiteralSupport"] = new JsonObject
                    {
                        ["codeActionKind"] = new JsonObject { ["valueSet"] = new JsonArray("", "quickfix", "refactor", "source") },
                    },
                    ["resolveSupport"] = new JsonObject { ["properties"] = new JsonArray("edit") },
                },
            };
            if (pullDiagnostics)
            {
                textDocument["diagnostic"] = new JsonObject();
            }

            await client.RequestAsync("initialize", new JsonObject
            {
                ["processId"] = Environment.ProcessId,
                ["rootUri"] = folderUri,
                ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = folderUri, ["name"] = Path.GetFileName(folder) }),
                ["capabilities"] = new JsonObject
                {
                    ["workspace"] = new JsonObject { ["configuration"] = true, ["workspaceFolders"] = true },
                    ["textDocument"] = textDocument,
                    ["window"] = new JsonObject { ["workDoneProgress"] = true },
                },
            }, timeout).ConfigureAwait(false);
            client.Notify("initialized", new JsonObject());
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public static string UriOf(string path) => new Uri(Path.GetFullPath(path)).AbsoluteUri;

    public void Open(string path, string text)
        => Notify("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = UriOf(path), ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
        });

    /// <summary>The whole new text, as editors without incremental sync send it.</summary>
    public void Change(string path, int version, string text)
        => Notify("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = UriOf(path), ["version"] = version },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
        });

    /// <summary>
    /// The first diagnostics published for <paramref name="path"/> at or after <paramref name="since"/> that satisfy
    /// <paramref name="accept"/>; throws with the transcript when none arrives within <paramref name="timeout"/>.
    /// </summary>
    public async Task<Published> WaitForDiagnosticsAsync(string path, TimeSpan since, Func<JsonArray, bool> accept, TimeSpan timeout)
    {
        var uri = UriOf(path);
        var deadline = _clock.Elapsed + timeout;
        while (true)
        {
            lock (_published)
            {
                var match = _published.FirstOrDefault(p => p.Uri == uri && p.At >= since && accept(p.Diagnostics));
                if (match is not null)
                {
                    return match;
                }
            }

            if (_clock.Elapsed > deadline)
            {
                throw new TimeoutException($"no matching diagnostics for {uri} within {timeout}; published: {PublishedSummary()}\n{Transcript}");
            }

            if (_reader.IsCompleted)
            {
                throw new InvalidOperationException($"the language server stopped (exit code {(_process.HasExited ? _process.ExitCode : -1)}) before diagnostics for {uri} arrived\n{Transcript}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until no diagnostics for <paramref name="path"/> have arrived for <paramref name="quiet"/>.</summary>
    public async Task WaitForQuietAsync(string path, TimeSpan quiet, TimeSpan timeout)
    {
        var uri = UriOf(path);
        var deadline = _clock.Elapsed + timeout;
        while (_clock.Elapsed < deadline)
        {
            TimeSpan last;
            lock (_published)
            {
                last = _published.Where(p => p.Uri == uri).Select(p => p.At).DefaultIfEmpty(TimeSpan.Zero).Max();
            }

            if (_clock.Elapsed - last >= quiet)
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    public async Task<JsonNode?> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        var finished = await Task.WhenAny(answer.Task, Task.Delay(timeout)).ConfigureAwait(false);
        if (finished != answer.Task)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"{method} got no answer within {timeout}\n{Transcript}");
        }

        return await answer.Task.ConfigureAwait(false);
    }

    public void Notify(string method, JsonNode? parameters)
        => Send(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    /// <summary>LSP's orderly end (<c>shutdown</c>, <c>exit</c>); the process tree is killed if it lingers.</summary>
    public async Task ShutdownAsync(TimeSpan timeout)
    {
        try
        {
            await RequestAsync("shutdown", null, timeout).ConfigureAwait(false);
            Notify("exit", null);
            using var exited = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(exited.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // Dispose kills what is left.
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private string PublishedSummary()
    {
        lock (_published)
        {
            return string.Join("; ", _published.Select(p => $"{p.At.TotalSeconds:F1}s {p.Uri}: " + string.Join(",", p.Diagnostics.Select(d => d?["code"]?.ToString())) ));
        }
    }

    private void Log(string line)
    {
        lock (_log)
        {
            _log.Append(_clock.Elapsed.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)).Append("s ").AppendLine(line);
        }
    }

    private void Send(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        lock (_writeLock)
        {
            _input.Write(header);
            _input.Write(body);
            _input.Flush();
        }
    }

    private async Task ReadLoop()
    {
        var output = _process.StandardOutput.BaseStream;
        try
        {
            while (await ReadMessageAsync(output).ConfigureAwait(false) is { } message)
            {
                Dispatch(message);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or JsonException)
        {
            Log("reader stopped: " + e.Message);
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new IOException("the language server closed its output\n" + Transcript));
        }
    }

    private void Dispatch(JsonObject message)
    {
        var method = message["method"]?.GetValue<string>();
        var id = message["id"];
        if (method is not null && id is not null)
        {
            // A request from the server to the client.
            JsonNode? result = null;
            if (method == "workspace/configuration")
            {
                var items = message["params"]?["items"]?.AsArray() ?? new JsonArray();
                result = new JsonArray(items.Select(item =>
                    item?["section"]?.GetValue<string>() is { } section && _configuration.TryGetValue(section, out var settings)
                        ? settings.DeepClone()
                        : null).ToArray());
            }

            Log($"server request {method} {message["params"]?.ToJsonString()} -> {result?.ToJsonString() ?? "null"}");
            Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = result });
        }
        else if (method is not null)
        {
            switch (method)
            {
                case "textDocument/publishDiagnostics":
                    var published = new Published(
                        message["params"]!["uri"]!.GetValue<string>(),
                        message["params"]!["diagnostics"]!.AsArray(),
                        _clock.Elapsed);
                    lock (_published)
                    {
                        _published.Add(published);
                    }

                    Log($"publishDiagnostics {published.Uri}: {published.Diagnostics.Count}");
                    break;
                case "window/logMessage" or "window/showMessage":
                    Log(message["params"]?["message"]?.ToString() ?? string.Empty);
                    break;
                default:
                    Log(method + " " + message["params"]?.ToJsonString());
                    break;
            }
        }
        else if (id is not null && _pending.TryRemove(id.GetValue<int>(), out var answer))
        {
            if (message["error"] is { } error)
            {
                answer.TrySetException(new InvalidOperationException("language server error: " + error.ToJsonString()));
            }
            else
            {
                answer.TrySetResult(message["result"]);
            }
        }
    }

    private static async Task<JsonObject?> ReadMessageAsync(Stream stream)
    {
        var length = -1;
        while (true)
        {
            var line = await ReadHeaderLineAsync(stream).ConfigureAwait(false);
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body).ConfigureAwait(false);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<string?> ReadHeaderLineAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one).ConfigureAwait(false) == 0)
            {
                return null;
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }
    }
}
