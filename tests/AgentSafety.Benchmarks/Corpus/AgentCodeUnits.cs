using static AgentSafety.Benchmarks.Corpus.CatchSite;

namespace AgentSafety.Benchmarks.Corpus;

/// <summary>The agent-shaped parts of the corpus: every kind of code the AgentSafety rules look at.</summary>
internal static class AgentCodeUnits
{
    private const string Indent = "    ";
    private const string Indent2 = "        ";
    private const string Indent3 = "            ";
    private const string Indent4 = "                ";

    /// <summary>An MCP tool type: reads, searches, a traced or untraced update, a delete, maybe its compensation.</summary>
    public static void McpTools(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Tools");
        file.Use("System.ComponentModel", "System.Diagnostics", "System.Net.Http.Json", "Microsoft.Extensions.Logging", "ModelContextProtocol.Server");
        var site = new CatchSite("Get" + n.Pascal, "logger", "\"{\\\"status\\\":\\\"unavailable\\\"}\"", "\"I'm sorry, I couldn't look that up right now.\"")
        {
            HasFailureHelper = true, HasFailureCounter = true, HasCancellationToken = true,
        };
        var get = CatchShapes.TryCatch(file, Indent2, Block(Indent2,
            "return await http.GetStringAsync($\"{BaseUrl}/{Uri.EscapeDataString(id)}\", cancellationToken);"), site).TrimEnd('\n');
        var search = CatchShapes.TryCatch(file, Indent2, Block(Indent2,
            "using var response = await http.GetAsync(url, cancellationToken);",
            "response.EnsureSuccessStatusCode();",
            "return await response.Content.ReadAsStringAsync(cancellationToken);"), site with { Member = "Search" + n.PluralPascal }).TrimEnd('\n');
        var traced = file.Chance(60);
        var update = traced
            ? Block(Indent, $"using var activity = Source.StartActivity(\"update_{n.Snake}_status\");",
                $"activity?.SetTag(\"{n.Snake}.id\", id);",
                $"activity?.SetTag(\"{n.Snake}.status\", status);")
            : string.Empty;
        var logged = file.Chance(50)
            ? Block(Indent, $"logger.LogInformation(\"{n.Pascal} {{Id}} set to {{Status}}\", id, status);")
            : string.Empty;
        var compensation = file.Chance(40)
            ? $$"""

                  [McpServerTool(Name = "restore_{{n.Snake}}"), Description("Restores a cancelled {{n.Snake}}.")]
                  public async Task<string> CompensateCancel{{n.Pascal}}(string id, CancellationToken cancellationToken)
                  {
                      var response = await http.PostAsync($"{BaseUrl}/{id}/restore", content: null, cancellationToken);
                      return response.IsSuccessStatusCode ? "restored" : "could not restore";
                  }

              """
            : "\n";

        file.Add("Tools", $$"""
            [McpServerToolType]
            public sealed class {{type}}(HttpClient http, ILogger<{{type}}> logger)
            {
                private const string BaseUrl = "https://{{n.Snake}}.contoso.example/api/{{n.Plural}}";
                private static readonly ActivitySource Source = new("Contoso.{{type}}");
                private int _failures;

                [McpServerTool(Name = "get_{{n.Snake}}", ReadOnly = true), Description("Returns the {{n.Snake}} with the given id as JSON.")]
                public async Task<string> Get{{n.Pascal}}([Description("The {{n.Snake}} id.")] string id, CancellationToken cancellationToken)
                {
            {{get}}
                }

                [McpServerTool(Name = "search_{{n.Plural}}", ReadOnly = true, Idempotent = true), Description("Finds {{n.Plural}} that match a query.")]
                public async Task<string> Search{{n.PluralPascal}}(string query, int limit = 10, CancellationToken cancellationToken = default)
                {
                    if (string.IsNullOrWhiteSpace(query))
                    {
                        return "[]";
                    }

                    var url = $"{BaseUrl}?q={Uri.EscapeDataString(query)}&limit={Math.Clamp(limit, 1, 50)}";
            {{search}}
                }

                [McpServerTool(Name = "update_{{n.Snake}}_status"), Description("Changes the status of a {{n.Snake}}.")]
                public async Task<string> Update{{n.Pascal}}Status(string id, string status, CancellationToken cancellationToken)
                {
            {{update}}        var response = await http.PutAsJsonAsync($"{BaseUrl}/{id}/status", new { status }, cancellationToken);
                    response.EnsureSuccessStatusCode();
            {{logged}}        return $"{{n.Pascal}} {id} is now {status}.";
                }

                [McpServerTool(Name = "cancel_{{n.Snake}}", Destructive = true), Description("Cancels a {{n.Snake}}.")]
                public async Task<string> Cancel{{n.Pascal}}(string id, string reason, CancellationToken cancellationToken)
                {
                    var response = await http.DeleteAsync($"{BaseUrl}/{id}?reason={Uri.EscapeDataString(reason)}", cancellationToken);
                    return response.IsSuccessStatusCode ? "cancelled" : $"could not cancel: {(int)response.StatusCode}";
                }
            {{compensation}}    private void ReportFailure(string operation)
                {
                    _failures++;
                    logger.LogWarning("{Operation} failed ({Failures} failures so far)", operation, _failures);
                }
            }

            """);
    }

    /// <summary>M.E.AI function tools created from lambdas: a lookup with a catch, a pure function, a write.</summary>
    public static void FunctionCatalog(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "FunctionCatalog");
        file.Use("System.Net.Http.Json", "Microsoft.Extensions.AI", "Microsoft.Extensions.Logging");
        var lookup = CatchShapes.TryCatch(file, Indent4, Block(Indent4,
            $"return await http.GetStringAsync($\"https://{n.Snake}.contoso.example/api/{n.Plural}/{{id}}\", cancellationToken);"),
            new CatchSite("Create", "logger", "\"unknown\"", "\"The lookup is unavailable.\"") { HasCancellationToken = true }).TrimEnd('\n');
        file.Add("Functions", $$"""
            public static class {{type}}
            {
                public static IList<AITool> Create(HttpClient http, ILogger logger)
                {
                    var tools = new List<AITool>
                    {
                        AIFunctionFactory.Create(async (string id, CancellationToken cancellationToken) =>
                        {
            {{lookup}}
                        }, "lookup_{{n.Snake}}", "Looks up a {{n.Snake}} by id."),
                        AIFunctionFactory.Create((decimal unitPrice, int quantity) => Math.Round(unitPrice * quantity, 2), "price_{{n.Snake}}", "Computes a {{n.Snake}} price."),
                        AIFunctionFactory.Create(async (string id, string note) =>
                        {
                            var response = await http.PostAsJsonAsync($"https://{{n.Snake}}.contoso.example/api/{{n.Plural}}/{id}/notes", new { note });
                            response.EnsureSuccessStatusCode();
                            return "noted";
                        }, "annotate_{{n.Snake}}", "Adds a note to a {{n.Snake}}."),
                    };

                    return tools;
                }

                public static ChatOptions WithTools(IList<AITool> tools) => new() { Tools = tools, ToolMode = ChatToolMode.Auto };
            }

            """);
    }

    /// <summary>A Semantic Kernel plugin and a prompt runner.</summary>
    public static void KernelPlugin(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Plugin");
        file.Use("System.ComponentModel", "System.Net.Http.Json", "System.Text.Json", "Microsoft.Extensions.Logging", "Microsoft.SemanticKernel");
        var status = CatchShapes.TryCatch(file, Indent2, Block(Indent2,
            $"var json = await http.GetStringAsync($\"https://{n.Snake}.contoso.example/api/{n.Plural}/{{id}}/status\");",
            "using var document = JsonDocument.Parse(json);",
            "return document.RootElement.GetProperty(\"status\").GetString() ?? \"unknown\";"),
            new CatchSite("GetStatusAsync", "logger", "\"unknown\"", "\"I could not check the status.\"")).TrimEnd('\n');
        file.Add("Plugin", $$"""
            public sealed class {{type}}(HttpClient http, ILogger<{{type}}> logger, Kernel kernel)
            {
                [KernelFunction("get_{{n.Snake}}_status"), Description("Gets the current status of a {{n.Snake}}.")]
                public async Task<string> GetStatusAsync(string id)
                {
            {{status}}
                }

                [KernelFunction, Description("Books a {{n.Snake}} for a customer.")]
                public async Task<string> Book{{n.Pascal}}Async(string customer, DateTime when)
                {
                    var response = await http.PostAsJsonAsync("https://{{n.Snake}}.contoso.example/api/bookings", new { customer, when });
                    response.EnsureSuccessStatusCode();
                    logger.LogInformation("Booked {{n.Snake}} for {Customer} at {When}", customer, when);
                    return await response.Content.ReadAsStringAsync();
                }

                public async Task<string> SummarizeAsync(string id, CancellationToken cancellationToken)
                {
                    var arguments = new KernelArguments { ["id"] = id };
                    var result = await kernel.InvokePromptAsync($"Summarize {{n.Snake}} {id} in two sentences.", arguments, cancellationToken: cancellationToken);
                    return result.ToString();
                }
            }

            """);
    }

    /// <summary>An IChatClient assistant: a Polly v8 pipeline around one call, unprotected calls elsewhere, an unbounded and a bounded model loop, streaming.</summary>
    public static void ChatAssistant(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Assistant");
        file.Use("System.Runtime.CompilerServices", "Microsoft.Extensions.AI", "Microsoft.Extensions.Logging", "Polly", "Polly.Retry");
        var classify = CatchShapes.TryCatch(file, Indent2, Block(Indent2,
            "var response = await _chat.GetResponseAsync(messages, new ChatOptions { Temperature = 0 }, cancellationToken);",
            "return response.Text.Trim().ToLowerInvariant();"),
            new CatchSite("ClassifyAsync", "_logger", "\"normal\"", "\"normal\"") { HasCancellationToken = true }).TrimEnd('\n');
        file.Add("Assistant", $$"""
            public sealed class {{type}}
            {
                private readonly IChatClient _chat;
                private readonly ILogger<{{type}}> _logger;
                private readonly ResiliencePipeline _pipeline;

                public {{type}}(IChatClient chat, ILogger<{{type}}> logger)
                {
                    _chat = chat;
                    _logger = logger;
                    _pipeline = new ResiliencePipelineBuilder()
                        .AddRetry(new RetryStrategyOptions
                        {
                            MaxRetryAttempts = {{2 + file.Random.Next(4)}},
                            BackoffType = DelayBackoffType.Exponential,
                            UseJitter = true,
                            Delay = TimeSpan.FromMilliseconds({{100 * (1 + file.Random.Next(5))}}),
                        })
                        .AddTimeout(TimeSpan.FromSeconds({{10 * (1 + file.Random.Next(6))}}))
                        .Build();
                }

                public async Task<string> SummarizeAsync(string text, CancellationToken cancellationToken)
                {
                    var response = await _pipeline.ExecuteAsync(
                        async token => await _chat.GetResponseAsync($"Summarize this {{n.Snake}}:\n{text}", cancellationToken: token),
                        cancellationToken);
                    return response.Text;
                }

                public async Task<string> ClassifyAsync(string text, CancellationToken cancellationToken)
                {
                    var messages = new List<ChatMessage>
                    {
                        new(ChatRole.System, "Classify the {{n.Snake}} as urgent, normal or low. Answer with one word."),
                        new(ChatRole.User, text),
                    };
            {{classify}}
                }

                public async Task<string> DraftAsync(string instructions, CancellationToken cancellationToken)
                {
                    var response = await _chat.GetResponseAsync(instructions, new ChatOptions { MaxOutputTokens = 400 }, cancellationToken);
                    _logger.LogDebug("Draft used {Tokens} output tokens", response.Usage?.OutputTokenCount);
                    return response.Text;
                }

                public async Task<string> RefineAsync(string draft, CancellationToken cancellationToken)
                {
                    var history = new List<ChatMessage> { new(ChatRole.User, $"Improve this {{n.Snake}} draft:\n{draft}") };
                    while (true)
                    {
                        var response = await _chat.GetResponseAsync(history, cancellationToken: cancellationToken);
                        history.AddRange(response.Messages);
                        if (response.FinishReason == ChatFinishReason.Stop)
                        {
                            return response.Text;
                        }
                    }
                }

                public async Task<string> ReviseAsync(string draft, CancellationToken cancellationToken)
                {
                    var text = draft;
                    for (var round = 0; round < 3; round++)
                    {
                        text = (await _chat.GetResponseAsync($"Tighten this {{n.Snake}}: {text}", cancellationToken: cancellationToken)).Text;
                    }

                    return text;
                }

                public async IAsyncEnumerable<string> StreamAsync(string prompt, [EnumeratorCancellation] CancellationToken cancellationToken = default)
                {
                    await foreach (var update in _chat.GetStreamingResponseAsync(prompt, cancellationToken: cancellationToken))
                    {
                        yield return update.Text;
                    }
                }
            }

            """);
    }

    /// <summary>HTTP: a Polly v7 policy, a hand-written retry loop, an unprotected post, JSON reads.</summary>
    public static void HttpGateway(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Gateway");
        var summary = file.Unique(n.Pascal + "Summary");
        file.Use("System.Net.Http.Json", "Microsoft.Extensions.Logging", "Polly", "Polly.Retry");
        var notify = CatchShapes.TryCatch(file, Indent2, Block(Indent2,
            "using var response = await _http.PostAsync($\"{BaseUrl}/{id}/notify\", content: null, cancellationToken);",
            "return response.IsSuccessStatusCode;"),
            new CatchSite("NotifyAsync", "_logger", "false", "false") { HasCancellationToken = true, ReturnsText = false }).TrimEnd('\n');
        file.Add("Gateway", $$"""
            public sealed class {{type}}
            {
                private const string BaseUrl = "https://{{n.Snake}}.contoso.example/api/{{n.Plural}}";

                private static readonly AsyncRetryPolicy RetryPolicy = Policy
                    .Handle<HttpRequestException>()
                    .WaitAndRetryAsync({{2 + file.Random.Next(3)}}, attempt => TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt)));

                private readonly HttpClient _http;
                private readonly ILogger _logger;

                public {{type}}(HttpClient http, ILogger<{{type}}> logger)
                {
                    _http = http;
                    _logger = logger;
                }

                public Task<string> FetchAsync(string id) => RetryPolicy.ExecuteAsync(() => _http.GetStringAsync($"{BaseUrl}/{id}"));

                public async Task<string> FetchWithRetryLoopAsync(string id, CancellationToken cancellationToken)
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            return await _http.GetStringAsync($"{BaseUrl}/{id}", cancellationToken);
                        }
                        catch (HttpRequestException ex) when (attempt < 3)
                        {
                            _logger.LogWarning(ex, "Attempt {Attempt} to fetch {{n.Snake}} {Id} failed", attempt, id);
                            await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
                        }
                    }
                }

                public async Task<bool> NotifyAsync(string id, CancellationToken cancellationToken)
                {
            {{notify}}
                }

                public Task<{{summary}}?> GetSummaryAsync(string id, CancellationToken cancellationToken)
                    => _http.GetFromJsonAsync<{{summary}}>($"{BaseUrl}/{id}/summary", cancellationToken);

                public async Task<IReadOnlyList<{{summary}}>> GetManyAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
                {
                    var results = new List<{{summary}}>();
                    foreach (var id in ids.Distinct(StringComparer.OrdinalIgnoreCase))
                    {
                        if (await GetSummaryAsync(id, cancellationToken) is { } found)
                        {
                            results.Add(found);
                        }
                    }

                    return results;
                }
            }

            public sealed record {{summary}}(string Id, string Status, decimal Total)
            {
                public bool IsOpen => Status is "open" or "pending";
            }

            """);
    }

    /// <summary>An OpenAI chat client: the key from the environment, or (sometimes) hardcoded.</summary>
    public static void CompletionService(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Completion");
        file.Use("OpenAI.Chat");
        var key = file.Chance(25)
            ? $"\"sk-proj-{file.Key(48)}\""
            : "Environment.GetEnvironmentVariable(\"OPENAI_API_KEY\") ?? throw new InvalidOperationException(\"Set OPENAI_API_KEY.\")";
        file.Add("Completion", $$"""
            public sealed class {{type}}
            {
                private readonly ChatClient _client = new("gpt-4o-mini", {{key}});

                public async Task<string> DraftReplyAsync(string message, CancellationToken cancellationToken)
                {
                    var messages = new ChatMessage[]
                    {
                        new SystemChatMessage("You answer {{n.Snake}} questions politely and briefly."),
                        new UserChatMessage(message),
                    };
                    ChatCompletion completion = await _client.CompleteChatAsync(messages, cancellationToken: cancellationToken);
                    return completion.Content.Count > 0 ? completion.Content[0].Text : string.Empty;
                }

                public string Classify(string message)
                {
                    ChatCompletion completion = _client.CompleteChat(new UserChatMessage($"Is this {{n.Snake}} message a complaint? {message}"));
                    return completion.Content[0].Text;
                }
            }

            """);
    }

    /// <summary>EF-style writes (stubs): staged changes, SaveChanges, and an MCP tool in front of the repository.</summary>
    public static void Repository(CorpusWriter file)
    {
        var n = file.Names;
        var record = file.Unique(n.Pascal + "Record");
        var type = file.Unique(n.Pascal + "Repository");
        file.Use("System.ComponentModel", "Microsoft.EntityFrameworkCore", "Microsoft.Extensions.Logging", "ModelContextProtocol.Server", "Contoso.Data");
        var archive = CatchShapes.TryCatch(file, Indent2, Block(Indent2,
            "await db.SaveChangesAsync(cancellationToken);",
            "return true;"),
            new CatchSite("ArchiveAsync", "logger", "false", "false") { HasCancellationToken = true, ReturnsText = false }).TrimEnd('\n');
        var addLog = file.Chance(50) ? Block(Indent, $"logger.LogInformation(\"Added {n.Snake} {{Id}}\", record.Id);") : string.Empty;
        var tools = file.Chance(50)
            ? $$"""

              [McpServerToolType]
              public sealed class {{file.Unique(n.Pascal + "AdminTools")}}({{type}} repository)
              {
                  [McpServerTool(Name = "archive_{{n.Snake}}"), Description("Archives a {{n.Snake}}.")]
                  public async Task<string> Archive{{n.Pascal}}(string id, CancellationToken cancellationToken)
                      => Guid.TryParse(id, out var key) && await repository.ArchiveAsync(key, cancellationToken) ? "archived" : "not found";

                  [McpServerTool(Name = "add_{{n.Snake}}"), Description("Adds a {{n.Snake}}.")]
                  public async Task<string> Add{{n.Pascal}}(string name, decimal amount, CancellationToken cancellationToken)
                      => (await repository.AddAsync(name, amount, cancellationToken)).ToString();
              }

              """
            : string.Empty;
        file.Add("Repository", $$"""
            public sealed class {{record}}
            {
                public Guid Id { get; set; } = Guid.NewGuid();
                public string Name { get; set; } = string.Empty;
                public string Status { get; set; } = "new";
                public decimal Amount { get; set; }
                public DateTimeOffset UpdatedAt { get; set; }
            }

            public sealed class {{type}}(ContosoDbContext db, ILogger<{{type}}> logger)
            {
                private DbSet<{{record}}> Items => db.Set<{{record}}>();

                public async Task<Guid> AddAsync(string name, decimal amount, CancellationToken cancellationToken)
                {
                    var record = new {{record}} { Name = name, Amount = amount, UpdatedAt = DateTimeOffset.UtcNow };
                    Items.Add(record);
                    await db.SaveChangesAsync(cancellationToken);
            {{addLog}}        return record.Id;
                }

                public IReadOnlyList<{{record}}> FindByStatus(string status)
                    => Items.AsQueryable().Where(r => r.Status == status).OrderBy(r => r.UpdatedAt).Take(100).ToList();

                public decimal TotalFor(string status) => Items.AsQueryable().Where(r => r.Status == status).Sum(r => r.Amount);

                public async Task<bool> ArchiveAsync(Guid id, CancellationToken cancellationToken)
                {
                    var record = Items.AsQueryable().FirstOrDefault(r => r.Id == id);
                    if (record is null)
                    {
                        return false;
                    }

                    record.Status = "archived";
                    record.UpdatedAt = DateTimeOffset.UtcNow;
                    Items.Update(record);
            {{archive}}
                }

                public int Purge(DateTimeOffset before)
                {
                    var stale = Items.AsQueryable().Where(r => r.UpdatedAt < before).ToList();
                    foreach (var item in stale)
                    {
                        Items.Remove(item);
                    }

                    return db.SaveChanges();
                }
            }
            {{tools}}
            """);
    }

    /// <summary>File access from tools: an export, an append (a model-chosen name in the path), a guarded read, a delete.</summary>
    public static void FileExporter(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "ExportTools");
        file.Use("System.ComponentModel", "System.Globalization", "Microsoft.Extensions.Logging", "ModelContextProtocol.Server");
        var export = CatchShapes.TryCatch(file, Indent2, Block(Indent2,
            "await File.WriteAllLinesAsync(path, lines, cancellationToken);",
            "logger.LogInformation(\"Exported {Count} " + n.Plural + " to {Path}\", ids.Length, path);",
            "return path;"),
            new CatchSite("Export" + n.PluralPascal, "logger", "string.Empty", "\"The export failed.\"") { HasCancellationToken = true }).TrimEnd('\n');
        file.Add("ExportTools", $$"""
            [McpServerToolType]
            public sealed class {{type}}(ILogger<{{type}}> logger)
            {
                private static readonly string ExportFolder = Path.Combine(Path.GetTempPath(), "contoso-exports");

                [McpServerTool(Name = "export_{{n.Plural}}"), Description("Exports {{n.Plural}} to a CSV file and returns its path.")]
                public async Task<string> Export{{n.PluralPascal}}(string[] ids, CancellationToken cancellationToken)
                {
                    Directory.CreateDirectory(ExportFolder);
                    var path = Path.Combine(ExportFolder, $"{{n.Plural}}-{DateTime.UtcNow:yyyyMMddHHmmss}.csv");
                    var lines = ids.Select((id, index) => string.Join(',', index.ToString(CultureInfo.InvariantCulture), id));
            {{export}}
                }

                [McpServerTool(Name = "append_{{n.Snake}}_note"), Description("Appends a note to a {{n.Snake}}'s journal.")]
                public string AppendNote(string id, string note)
                {
                    using var writer = new StreamWriter(Path.Combine(ExportFolder, $"{id}.txt"), append: true);
                    writer.WriteLine($"{DateTimeOffset.UtcNow:O} {note}");
                    return "saved";
                }

                [McpServerTool(Name = "read_{{n.Snake}}_export", ReadOnly = true), Description("Reads an export file.")]
                public string ReadExport(string fileName)
                {
                    var fullPath = Path.GetFullPath(Path.Combine(ExportFolder, fileName));
                    if (!fullPath.StartsWith(ExportFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new ArgumentException("The file is outside the export folder.", nameof(fileName));
                    }

                    return File.ReadAllText(fullPath);
                }

                [McpServerTool(Name = "delete_{{n.Snake}}_export", Destructive = true), Description("Deletes an export file.")]
                public string DeleteExport(string fileName)
                {
                    File.Delete(Path.Combine(ExportFolder, Path.GetFileName(fileName)));
                    return "deleted";
                }
            }

            """);
    }

    /// <summary>An MCP client calling another server's tools.</summary>
    public static void RemoteTools(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "RemoteTools");
        file.Use("Microsoft.Extensions.Logging", "ModelContextProtocol.Client", "ModelContextProtocol.Protocol");
        var lookup = CatchShapes.TryCatch(file, Indent2, Block(Indent2,
            $"var result = await client.CallToolAsync(\"lookup_{n.Snake}\", new Dictionary<string, object?> {{ [\"id\"] = id }}, cancellationToken: cancellationToken);",
            "return string.Join(\"\\n\", result.Content.OfType<TextContentBlock>().Select(block => block.Text));"),
            new CatchSite("LookupAsync", "logger", "string.Empty", "\"The remote lookup is unavailable.\"") { HasCancellationToken = true }).TrimEnd('\n');
        file.Add("RemoteTools", $$"""
            public sealed class {{type}}(McpClient client, ILogger<{{type}}> logger)
            {
                public async Task<string> LookupAsync(string id, CancellationToken cancellationToken)
                {
            {{lookup}}
                }

                public async Task<IReadOnlyList<string>> ListToolNamesAsync(CancellationToken cancellationToken)
                {
                    var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
                    return tools.Select(tool => tool.Name).OrderBy(name => name, StringComparer.Ordinal).ToList();
                }
            }

            """);
    }

    /// <summary>Tracing: ActivitySource and OpenTelemetry spans.</summary>
    public static void Tracing(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Telemetry");
        file.Use("System.Diagnostics", "OpenTelemetry.Trace");
        file.Add("Telemetry", $$"""
            public sealed class {{type}}
            {
                private static readonly ActivitySource Source = new("Contoso.{{n.Pascal}}", "1.0.0");
                private static readonly Tracer Tracer = TracerProvider.Default.GetTracer("Contoso.{{n.Pascal}}");

                public void RecordProcessed(string id, int items)
                {
                    using var span = Tracer.StartActiveSpan("{{n.Snake}}.processed");
                    span.SetAttribute("{{n.Snake}}.id", id);
                    span.SetAttribute("{{n.Snake}}.items", items);
                }

                public async Task<T> TraceAsync<T>(string operation, Func<Task<T>> action)
                {
                    using var activity = Source.StartActivity(operation);
                    try
                    {
                        var result = await action();
                        activity?.SetStatus(ActivityStatusCode.Ok);
                        return result;
                    }
                    catch (Exception ex)
                    {
                        activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                        activity?.AddException(ex);
                        throw;
                    }
                }
            }

            """);
    }

    /// <summary>LoggerMessage.Define, a [LoggerMessage] method, and a processor that uses them.</summary>
    public static void LogMessages(CorpusWriter file)
    {
        var n = file.Names;
        var log = file.Unique(n.Pascal + "Log");
        var processor = file.Unique(n.Pascal + "Processor");
        file.Use("System.Diagnostics", "Microsoft.Extensions.Logging");
        var process = CatchShapes.TryCatch(file, Indent2, Block(Indent2,
            $"using var response = await http.PostAsync($\"https://{n.Snake}.contoso.example/api/{n.Plural}/{{id}}/process\", content: null, cancellationToken);",
            "response.EnsureSuccessStatusCode();"),
            new CatchSite("ProcessAsync", "logger", null, "null") { HasCancellationToken = true }).TrimEnd('\n');
        var eventId = 1000 + (n.Index % 8000);
        file.Add("Log", $$"""
            internal static partial class {{log}}
            {
                private static readonly Action<ILogger, string, Exception?> FailedMessage =
                    LoggerMessage.Define<string>(LogLevel.Error, new EventId({{eventId}}, "{{n.Pascal}}Failed"), "{{n.Pascal}} {Id} failed");

                public static void Failed(ILogger logger, string id, Exception exception) => FailedMessage(logger, id, exception);

                public static void ProcessedIn(ILogger logger, string id, TimeSpan elapsed) => Processed(logger, id, (long)elapsed.TotalMilliseconds);

                [LoggerMessage(EventId = {{eventId + 1}}, Level = LogLevel.Information, Message = "{{n.Pascal}} {Id} processed in {ElapsedMs} ms")]
                static partial void Processed(ILogger logger, string id, long elapsedMs);
            }

            public sealed class {{processor}}(ILogger<{{processor}}> logger, HttpClient http)
            {
                public async Task ProcessAsync(string id, CancellationToken cancellationToken)
                {
                    var stopwatch = Stopwatch.StartNew();
            {{process}}
                    {{log}}.ProcessedIn(logger, id, stopwatch.Elapsed);
                }

                public async Task ProcessAllAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
                {
                    foreach (var id in ids)
                    {
                        try
                        {
                            await ProcessAsync(id, cancellationToken);
                        }
                        catch (HttpRequestException ex)
                        {
                            {{log}}.Failed(logger, id, ex);
                        }
                    }
                }
            }

            """);
    }

    /// <summary>
    /// Secret-like literals beside names and placeholders that are not secrets; a startup check that reads the key and
    /// says it is set, and sometimes writes the key itself to a log, a trace, the console or an exception (AGS008).
    /// </summary>
    public static void Settings(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "Settings");
        file.Use("System.Net", "System.Diagnostics", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.Logging");
        var leaks = new List<string>();
        if (file.Chance(25))
        {
            leaks.Add($"        logger.LogDebug(\"{n.Pascal} key {{Key}}\", apiKey);");
        }

        if (file.Chance(15))
        {
            leaks.Add($"        Activity.Current?.SetTag(\"{n.Snake}.api_key\", apiKey);");
        }

        if (file.Chance(10))
        {
            leaks.Add($"        Console.WriteLine($\"{n.Pascal}: endpoint {{endpoint}}, key {{apiKey}}\");");
        }

        if (file.Chance(10))
        {
            leaks.Add($"        if (!apiKey.StartsWith(\"sk-\", StringComparison.Ordinal)) throw new InvalidOperationException(\"Unexpected {n.Snake} key \" + apiKey);");
        }

        var secrets = new List<string>();
        if (file.Chance(30))
        {
            secrets.Add($"    private const string PaymentsApiKey = \"sk_live_{file.Key(24)}\";");
        }

        if (file.Chance(20))
        {
            secrets.Add($"    internal const string DeployToken = \"ghp_{file.Key(36)}\";");
        }

        if (file.Chance(30))
        {
            secrets.Add($"    public static string ConnectionString => \"Server=tcp:{n.Snake}-db.contoso.example;Database={n.Plural};User Id=agent;Password={file.Key(16)};\";");
        }

        if (file.Chance(20))
        {
            secrets.Add($"    public static NetworkCredential SmtpCredential() => new(\"{n.Snake}-mailer\", \"{file.Key(14)}\");");
        }

        file.Add("Settings", $$"""
            internal static class {{type}}
            {
                public const string ApiKeyVariable = "{{n.Pascal.ToUpperInvariant()}}_API_KEY";
                public const string AuthorizationHeader = "Authorization";
                public const string ApiKeyHeader = "x-api-key";
                public const string ApiKeyPlaceholder = "<your-api-key>";
                public const string DocumentationSampleKey = "sk-...";
                public const string PasswordQuestion = "What was the name of your first school?";
                public const string PublishableKey = "pk_test_{{file.Key(24)}}";
                public static readonly TimeSpan Timeout = TimeSpan.FromSeconds({{5 * (1 + file.Random.Next(12))}});
            {{string.Join("\n", secrets)}}

                public static string ResolveApiKey()
                    => Environment.GetEnvironmentVariable(ApiKeyVariable) ?? throw new InvalidOperationException($"Set {ApiKeyVariable}.");

                public static void CheckConfiguration(IConfiguration configuration, ILogger logger)
                {
                    var endpoint = configuration["{{n.Pascal}}:Endpoint"] ?? "https://{{n.Snake}}.contoso.example";
                    var apiKey = configuration["{{n.Pascal}}:ApiKey"] ?? ResolveApiKey();
                    logger.LogInformation("{{n.Pascal}} endpoint {Endpoint}, key set: {KeySet} ({Length} chars, {Prefix}...)", endpoint, apiKey.Length > 0, apiKey.Length, apiKey[..Math.Min(4, apiKey.Length)]);
            {{string.Join("\n", leaks)}}
                }
            }

            """);
    }

    /// <summary>A generated OpenAPI-style client (<c>*.g.cs</c>): its catches are not the user's to fix.</summary>
    public static void GeneratedClient(CorpusWriter file)
    {
        var n = file.Names;
        var type = file.Unique(n.Pascal + "ApiClient");
        file.Add("ApiClient", $$"""
            [System.CodeDom.Compiler.GeneratedCode("NSwag", "14.0.0.0")]
            public partial class {{type}}
            {
                private readonly HttpClient _httpClient;

                public {{type}}(HttpClient httpClient) => _httpClient = httpClient;

                public virtual async Task<string> Get{{n.Pascal}}Async(string id, CancellationToken cancellationToken = default)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "api/{{n.Plural}}/" + Uri.EscapeDataString(id));
                    try
                    {
                        using var response = await _httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
                        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        return string.Empty;
                    }
                }

                public virtual async Task Delete{{n.Pascal}}Async(string id, CancellationToken cancellationToken = default)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Delete, "api/{{n.Plural}}/" + Uri.EscapeDataString(id));
                    try
                    {
                        using var response = await _httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                    }
                }

                public virtual async Task<string> Create{{n.Pascal}}Async(string body, CancellationToken cancellationToken = default)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "api/{{n.Plural}}") { Content = new StringContent(body) };
                    using var response = await _httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            """);
    }
}
