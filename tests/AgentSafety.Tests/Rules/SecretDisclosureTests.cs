using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using static AgentSafety.Tests.Verification.ExpectedDiagnostic;

namespace AgentSafety.Tests.Rules;

/// <summary>AGS008 — a secret written to a log, trace, console, exception or prompt. Reads like docs/rules/AGS008.md.</summary>
public class SecretDisclosureTests
{
    private const string Id = "AGS008";

    private const string RedactKey = SecretDisclosureCodeFixProvider.RedactKey;

    private static RuleTest Test(string source)
        => RuleTest.For<SecretDisclosureAnalyzer, SecretDisclosureCodeFixProvider>().WithSource(source);

    private static ExpectedDiagnostic Finding(int location, string secret, string sink)
        => Diagnostic(Id).At(location).WithArguments(secret, sink);

    // ---------------------------------------------------------------- positives: each sink

    [Fact]
    public Task Logger_arguments_and_interpolated_messages_are_reported_on_the_secret() => Test("""
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Logging;

        public class Startup(ILogger<Startup> logger, IConfiguration configuration)
        {
            public void Check()
            {
                var apiKey = configuration["OpenAI:ApiKey"];
                logger.LogInformation("Using OpenAI key {Key}", {|#0:apiKey|});
                logger.LogDebug($"Config loaded, key={{|#1:apiKey|}}");
                logger.Log(LogLevel.Warning, "Key: " + {|#2:configuration["OpenAI:ApiKey"]|});
            }
        }
        """).Expect(
            Finding(0, "OpenAI:ApiKey", "a log ('LoggerExtensions.LogInformation')").WithSeverity(DiagnosticSeverity.Warning),
            Finding(1, "OpenAI:ApiKey", "a log ('LoggerExtensions.LogDebug')"),
            Finding(2, "OpenAI:ApiKey", "a log ('LoggerExtensions.Log')")).RunAsync();

    [Fact]
    public Task LoggerMessage_methods_and_delegates_are_reported() => Test("""
        using System;
        using Microsoft.Extensions.Logging;

        public partial class Connector(ILogger<Connector> logger)
        {
            private static readonly Action<ILogger, string, Exception?> Connecting =
                LoggerMessage.Define<string>(LogLevel.Information, new EventId(2), "Connecting with {Token}");

            [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Password is {Password}")]
            static partial void LogPassword(ILogger logger, string password);

            public void Connect(string password, string accessToken)
            {
                LogPassword(logger, {|#0:password|});
                Connecting(logger, {|#1:accessToken|}, null);
            }
        }
        """).Expect(
            Finding(0, "password", "a log ('LogPassword')"),
            Finding(1, "accessToken", "a log ('LoggerMessage.Define')")).RunAsync();

    [Fact]
    public Task Console_debug_and_trace_output_is_reported() => Test("""
        using System;
        using System.Diagnostics;

        public static class Program
        {
            public static void Main()
            {
                var key = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
                Console.WriteLine($"OPENAI_API_KEY={{|#0:key|}}");
                Console.Error.WriteLine({|#1:key|});
                Debug.WriteLine("key " + {|#2:key|});
                Trace.TraceInformation("key {0}", {|#3:key|});
            }
        }
        """).Expect(
            Finding(0, "OPENAI_API_KEY", "the console ('Console.WriteLine')"),
            Finding(1, "OPENAI_API_KEY", "the console ('Console.Error.WriteLine')"),
            Finding(2, "OPENAI_API_KEY", "a trace ('Debug.WriteLine')"),
            Finding(3, "OPENAI_API_KEY", "a trace ('Trace.TraceInformation')")).RunAsync();

    [Fact]
    public Task Activity_tags_baggage_events_and_span_attributes_are_reported() => Test("""
        using System.Diagnostics;
        using OpenTelemetry.Trace;

        public class Client(string apiKey)
        {
            private static readonly ActivitySource Source = new("Client");

            public void Call(TelemetrySpan span)
            {
                using var activity = Source.StartActivity("call");
                activity?.SetTag("api.key", {|#0:apiKey|});
                activity?.SetBaggage("key", {|#1:apiKey|});
                activity?.AddEvent(new ActivityEvent($"auth with {{|#2:apiKey|}}"));
                span.SetAttribute("api.key", {|#3:apiKey|});
            }
        }
        """).Expect(
            Finding(0, "apiKey", "a trace ('Activity.SetTag')"),
            Finding(1, "apiKey", "a trace ('Activity.SetBaggage')"),
            Finding(2, "apiKey", "a trace ('Activity.AddEvent')"),
            Finding(3, "apiKey", "a trace ('TelemetrySpan.SetAttribute')")).RunAsync();

    [Fact]
    public Task A_thrown_exceptions_message_is_reported() => Test("""
        using System;
        using Microsoft.Extensions.Configuration;

        public class Mailer(IConfiguration configuration)
        {
            public void Send()
            {
                var password = configuration.GetValue<string>("Smtp:Password");
                if (password is null || !password.StartsWith("smtp-"))
                {
                    throw new InvalidOperationException($"Bad SMTP password '{{|#0:password|}}'");
                }

                var secret = configuration.GetSection("Db")["ClientSecret"];
                _ = secret ?? throw new ArgumentException("Client secret " + {|#1:secret|}, nameof(secret));
            }
        }
        """).Expect(
            Finding(0, "Smtp:Password", "an exception message ('new InvalidOperationException')"),
            Finding(1, "ClientSecret", "an exception message ('new ArgumentException')")).RunAsync();

    [Fact]
    public Task Prompts_to_chat_clients_agents_and_openai_are_reported() => Test("""
        using System.Threading.Tasks;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        using OpenAI.Chat;
        using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

        public class Assistant(IChatClient chat, AIAgent agent, ChatClient openAi)
        {
            private readonly string _githubToken = System.Environment.GetEnvironmentVariable("GITHUB_TOKEN") ?? "";

            public async Task Run()
            {
                await chat.GetResponseAsync($"Use this token to call GitHub: {{|#0:_githubToken|}}");
                await chat.GetResponseAsync([new ChatMessage(ChatRole.System, "Token: " + {|#1:_githubToken|})]);
                await agent.RunAsync({|#2:_githubToken|});
                openAi.CompleteChat(new UserChatMessage($"token {{|#3:_githubToken|}}"));
                openAi.CompleteChat($"token {{|#4:_githubToken|}}");
            }

            public void Remember(Microsoft.SemanticKernel.ChatCompletion.ChatHistory history)
                => history.AddSystemMessage("Use the token " + {|#5:_githubToken|});
        }
        """).Expect(
            Finding(0, "_githubToken", "a prompt ('IChatClient.GetResponseAsync')"),
            Finding(1, "_githubToken", "a prompt ('new ChatMessage')"),
            Finding(2, "_githubToken", "a prompt ('AIAgent.RunAsync')"),
            Finding(3, "_githubToken", "a prompt ('new UserChatMessage')"),
            Finding(4, "_githubToken", "a prompt ('ChatClient.CompleteChat')"),
            Finding(5, "_githubToken", "a prompt ('ChatHistory.AddSystemMessage')")).RunAsync();

    // ---------------------------------------------------------------- positives: each source

    [Fact]
    public Task Secret_named_members_vault_secrets_and_network_passwords_are_sources() => Test("""
        using System.Net;
        using Azure.Security.KeyVault.Secrets;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Logging;

        public class OpenAIOptions { public string ApiKey { get; set; } = ""; public string Endpoint { get; set; } = ""; }

        public class Diagnostics(ILogger<Diagnostics> logger, IConfiguration configuration, OpenAIOptions options)
        {
            public void Dump(KeyVaultSecret stored, NetworkCredential credential)
            {
                logger.LogInformation("Options {Endpoint} {Key}", options.Endpoint, {|#0:options.ApiKey|});
                logger.LogInformation("Vault {Value}", {|#1:stored.Value|});
                logger.LogInformation("Smtp {Password}", {|#2:credential.Password|});
                logger.LogInformation("Section {Key}", {|#3:configuration.GetSection("OpenAI:ApiKey").Value|});
            }
        }
        """).Expect(
            Finding(0, "ApiKey", "a log ('LoggerExtensions.LogInformation')"),
            Finding(1, "KeyVaultSecret.Value", "a log ('LoggerExtensions.LogInformation')"),
            Finding(2, "Password", "a log ('LoggerExtensions.LogInformation')"),
            Finding(3, "OpenAI:ApiKey", "a log ('LoggerExtensions.LogInformation')")).RunAsync();

    [Fact]
    public Task A_secret_is_followed_through_locals_format_and_string_methods_and_a_check_does_not_clean_it() => Test("""
        using System;
        using Microsoft.Extensions.Logging;

        public class Auth(ILogger<Auth> logger)
        {
            public void Use(string clientSecret)
            {
                var header = string.Format("Basic {0}", clientSecret.Trim());
                var line = "Authorization: " + header;
                if (clientSecret.StartsWith("cs_", StringComparison.Ordinal))
                {
                    logger.LogTrace({|#0:line|});
                }

                var builder = new System.Text.StringBuilder("client=");
                builder.Append(clientSecret);
                logger.LogDebug({|#1:builder.ToString()|});
            }
        }
        """).Expect(
            Finding(0, "clientSecret", "a log ('LoggerExtensions.LogTrace')"),
            Finding(1, "clientSecret", "a log ('LoggerExtensions.LogDebug')"))
        .WithoutFix(RedactKey).RunAsync();

    // ---------------------------------------------------------------- not reported

    [Fact]
    public Task Length_null_and_emptiness_checks_are_not_reported() => Test("""
        using System;
        using Microsoft.Extensions.Logging;

        public class Startup(ILogger<Startup> logger)
        {
            public void Check(string apiKey)
            {
                logger.LogInformation("Key length {Length}", apiKey.Length);
                logger.LogInformation("Key set: {Set}", apiKey is null ? "no" : "yes");
                logger.LogInformation("Key missing: {Missing}", string.IsNullOrEmpty(apiKey));
                Console.WriteLine($"Key configured: {apiKey is not null}, {apiKey?.Length ?? 0} chars");
            }
        }
        """).RunAsync();

    [Fact]
    public Task A_prefix_or_suffix_of_the_secret_is_not_reported() => Test("""
        using Microsoft.Extensions.Logging;

        public class Startup(ILogger<Startup> logger)
        {
            public void Check(string apiKey)
            {
                logger.LogInformation("Key {Prefix}...", apiKey.Substring(0, 6));
                logger.LogInformation("Key ...{Suffix}", apiKey.Substring(apiKey.Length - 4));
                logger.LogInformation($"Key {apiKey[..4]}*** ...{apiKey[^4..]}");
                var shortKey = apiKey.Remove(4);
                logger.LogInformation("Key {Short}", shortKey);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Masked_redacted_hashed_fingerprinted_and_truncated_values_are_not_reported() => Test("""
        using System;
        using System.Security.Cryptography;
        using System.Text;
        using Microsoft.Extensions.Logging;

        public class Startup(ILogger<Startup> logger)
        {
            public void Check(string apiKey, string password)
            {
                logger.LogInformation("Key {Key}", Mask(apiKey));
                logger.LogInformation("Key {Key}", RedactSecret(apiKey));
                logger.LogInformation("Hash {Hash}", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(password))));
                logger.LogInformation("Fingerprint {Fp}", KeyFingerprint(apiKey));
                var maskedApiKey = Truncate(apiKey, 4);
                Console.WriteLine(maskedApiKey);
                var redactedPassword = Mask(password);
                Console.WriteLine($"Password: {redactedPassword}");
            }

            private static string Mask(string value) => value.Length > 4 ? value[..4] + "****" : "****";
            private static string RedactSecret(string value) => "[redacted]";
            private static string KeyFingerprint(string value) => value.GetHashCode().ToString("x8");
            private static string Truncate(string value, int length) => value[..length];
        }
        """).RunAsync();

    [Fact]
    public Task The_secrets_name_as_a_literal_is_not_reported() => Test("""
        using System;
        using Microsoft.Extensions.Logging;

        public class Startup(ILogger<Startup> logger)
        {
            public void Check()
            {
                var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
                if (string.IsNullOrEmpty(apiKey))
                {
                    logger.LogError("Set OPENAI_API_KEY to run the sample");
                    Console.WriteLine("Missing " + nameof(apiKey) + " (OPENAI_API_KEY)");
                    throw new InvalidOperationException("The OPENAI_API_KEY environment variable is not set.");
                }

                ArgumentException.ThrowIfNullOrEmpty(apiKey);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Names_that_describe_a_secret_are_not_secrets() => Test("""
        using Microsoft.Extensions.Logging;

        public class ApiKeyOptions { public string ApiKeyHeaderName { get; set; } = "X-Api-Key"; public string SecretName { get; set; } = ""; }

        public class Usage
        {
            public int TokenCount { get; set; }
            public int InputTokens { get; set; }
        }

        public class Reporter(ILogger<Reporter> logger, ApiKeyOptions options)
        {
            public void Report(Usage usage, string secretName, string apiKeyHeader, int tokenCount, string passwordHint, string continuationToken, string nextPageToken)
            {
                logger.LogInformation("Header {Header} secret {Name}", options.ApiKeyHeaderName, options.SecretName);
                logger.LogInformation("Tokens {Count} {Input}", usage.TokenCount, usage.InputTokens);
                logger.LogInformation($"{secretName} {apiKeyHeader} {tokenCount} {passwordHint}");
                logger.LogInformation("Next page {Token} {Next}", continuationToken, nextPageToken);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Secrets_used_for_what_they_are_for_are_not_reported() => Test("""
        using System;
        using System.ClientModel;
        using System.Net.Http;
        using System.Net.Http.Headers;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Logging;
        using OpenAI;

        public class Factory(ILogger<Factory> logger, IConfiguration configuration, HttpClient http)
        {
            public OpenAIClient Create()
            {
                var apiKey = configuration["OpenAI:ApiKey"] ?? throw new InvalidOperationException("OpenAI:ApiKey is not configured");
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
                var credential = new ApiKeyCredential(apiKey);
                logger.LogInformation("Credential {Credential} for {Endpoint}", credential, configuration["OpenAI:Endpoint"]);
                Console.WriteLine(Environment.GetEnvironmentVariable("OPENAI_BASE_URL"));
                return new OpenAIClient(credential);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Locals_whose_definition_holds_no_secret_and_loop_items_are_not_reported() => Test("""
        using System;

        public class Tokenizer
        {
            public void Print(string text, bool hasKey)
            {
                foreach (var token in text.Split(' '))
                {
                    Console.WriteLine(token);
                }

                var apiKey = hasKey ? "(set)" : "(missing)";
                Console.WriteLine($"API key: {apiKey}");
                var password = "";
                Console.WriteLine(password);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Streamed_model_tokens_named_token_are_not_secrets_unless_read_from_one() => Test("""
        using System;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.Configuration;

        public class Chat(IChatClient chat, IConfiguration configuration)
        {
            public async Task Stream(string question, Action<string> onToken)
            {
                await foreach (var update in chat.GetStreamingResponseAsync(question))
                {
                    var token = update.Text;
                    Console.Write(token);
                    onToken(token);
                }
            }

            public void Print(Action<Action<string>> subscribe) => subscribe(token => Console.Write(token));

            public void Show()
            {
                var token = configuration["GitHub:Token"];
                Console.WriteLine($"GitHub token {{|#0:token|}}");
            }
        }
        """).Expect(Finding(0, "GitHub:Token", "the console ('Console.WriteLine')")).RunAsync();

    [Fact]
    public Task A_secret_passed_to_a_helper_is_judged_where_the_helper_writes_it() => Test("""
        using Microsoft.Extensions.Logging;

        public class Startup(ILogger<Startup> logger)
        {
            public void Check(string apiKey) => Show("configured", apiKey.Length);

            private void Show(string state, int length) => logger.LogInformation("Key {State} ({Length})", state, length);

            public void Leak(string apiKey) => Write(apiKey);

            private void Write(string value) => logger.LogInformation("Value {Value}", value);
        }
        """).RunAsync();

    [Fact]
    public Task Writes_that_reach_no_reader_are_not_reported() => Test("""
        using System.IO;
        using System.Text;

        public class Store
        {
            public void Save(string apiKey, StringBuilder builder, TextWriter writer)
            {
                builder.AppendLine(apiKey);
                File.WriteAllText("key.txt", apiKey);
                writer.WriteLine(apiKey);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Code_that_reads_no_secret_is_not_reported() => Test("""
        using System;
        using Microsoft.Extensions.Logging;

        public class Weather(ILogger<Weather> logger)
        {
            public string Forecast(string city, int days)
            {
                logger.LogInformation("Forecast for {City} over {Days} days", city, days);
                Console.WriteLine($"{city}: sunny");
                return city.ToUpperInvariant();
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- shapes seen in public agent and API code

    [Fact]
    public Task Startup_dumps_of_keys_and_secrets_are_reported() => Test("""
        using System;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Logging;

        public class MediaService
        {
            public MediaService(IConfiguration config)
            {
                var cloudName = config["Media:CloudName"];
                var apiKey = config["Media:ApiKey"];
                var apiSecret = config["Media:ApiSecret"];
                Console.WriteLine($"CloudName: {cloudName}");
                Console.WriteLine($"ApiKey: {{|#0:apiKey|}}");
                Console.WriteLine($"ApiSecret: {{|#1:apiSecret|}}");
            }
        }

        public class Program(ILogger<Program> logger)
        {
            private readonly string _apiKey = Environment.GetEnvironmentVariable("TRADING_API_KEY") ?? "";
            private readonly string _apiSecret = Environment.GetEnvironmentVariable("TRADING_API_SECRET") ?? "";

            public void Start() => logger.LogInformation($"API key: {{|#2:_apiKey|}}, API secret: {{|#3:_apiSecret|}}");
        }

        public class FoodOptions { public string FdcApiKey { get; set; } = ""; }

        public class FoodService
        {
            public FoodService(ILogger<FoodService> logger, FoodOptions apiKeys) => logger.LogInformation($"API Key: {{|#4:apiKeys.FdcApiKey|}}");
        }
        """).Expect(
            Finding(0, "Media:ApiKey", "the console ('Console.WriteLine')"),
            Finding(1, "Media:ApiSecret", "the console ('Console.WriteLine')"),
            Finding(2, "_apiKey", "a log ('LoggerExtensions.LogInformation')"),
            Finding(3, "_apiSecret", "a log ('LoggerExtensions.LogInformation')"),
            Finding(4, "FdcApiKey", "a log ('LoggerExtensions.LogInformation')"))
        .WithFix(RedactKey, """
        using System;
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.Logging;

        public class MediaService
        {
            public MediaService(IConfiguration config)
            {
                var cloudName = config["Media:CloudName"];
                var apiKey = config["Media:ApiKey"];
                var apiSecret = config["Media:ApiSecret"];
                Console.WriteLine($"CloudName: {cloudName}");
                Console.WriteLine($"ApiKey: [redacted]");
                Console.WriteLine($"ApiSecret: [redacted]");
            }
        }

        public class Program(ILogger<Program> logger)
        {
            private readonly string _apiKey = Environment.GetEnvironmentVariable("TRADING_API_KEY") ?? "";
            private readonly string _apiSecret = Environment.GetEnvironmentVariable("TRADING_API_SECRET") ?? "";

            public void Start() => logger.LogInformation($"API key: [redacted], API secret: [redacted]");
        }

        public class FoodOptions { public string FdcApiKey { get; set; } = ""; }

        public class FoodService
        {
            public FoodService(ILogger<FoodService> logger, FoodOptions apiKeys) => logger.LogInformation($"API Key: [redacted]");
        }
        """).RunAsync();

    [Fact]
    public Task Startup_checks_that_say_whether_a_key_is_set_or_show_a_piece_of_it_are_not_reported() => Test("""
        using System;
        using Microsoft.Extensions.Logging;

        public class Company { public string WaApiKey { get; set; } = ""; public string WaPhoneNoId { get; set; } = ""; }

        public class Settings
        {
            public string ApiKey { get; set; } = "";
            public string DatabasePassword { get; set; } = "";
            public int DatabasePort { get; set; }
        }

        public class Checks(ILogger<Checks> logger, Settings settings, string privateKey)
        {
            public void Run(Company company, string apiKey, string endpoint)
            {
                logger.LogInformation($"API Key: {(string.IsNullOrEmpty(company.WaApiKey) ? "empty" : "set")}");
                logger.LogInformation($"Phone No ID: {company.WaPhoneNoId}");
                Console.WriteLine($"Endpoint: {endpoint}");
                Console.WriteLine($"ApiKey: {(string.IsNullOrEmpty(apiKey) ? "not set" : "***")}");
                Console.WriteLine($"ApiKey: {MaskSecret(settings.ApiKey)}");
                Console.WriteLine($"Database:Password: {MaskSecret(settings.DatabasePassword)}");
                Console.WriteLine($"Database:Port: {settings.DatabasePort}");
                logger.LogInformation($"Private Key (first 20 chars): {privateKey.Substring(0, Math.Min(20, privateKey.Length))}");
                logger.LogInformation($"API Key: {apiKey?.Substring(0, 3)}...{(apiKey?.Length > 5 ? apiKey.Substring(apiKey.Length - 3) : "")}");
            }

            private static string MaskSecret(string value) => string.IsNullOrEmpty(value) ? "(not set)" : new string('*', value.Length);
        }
        """).RunAsync();

    [Fact]
    public Task Protocol_settings_named_after_a_token_endpoint_are_not_secrets() => Test("""
        using System;

        public class GrantOptions
        {
            public string? TokenEndpointAuthMethod { get; set; }
            public string? PasswordGrantType { get; set; }
            public string? ClientSecret { get; set; }
        }

        public class Grant
        {
            public Grant(GrantOptions options)
            {
                if (options.TokenEndpointAuthMethod is not ("client_secret_basic" or "none"))
                {
                    throw new ArgumentException($"{nameof(options.TokenEndpointAuthMethod)} must be 'client_secret_basic'; got '{options.TokenEndpointAuthMethod}', grant {options.PasswordGrantType}.");
                }

                if (string.IsNullOrEmpty(options.ClientSecret))
                {
                    throw new ArgumentException($"{nameof(options.ClientSecret)} is required.");
                }
            }
        }
        """).RunAsync();

    [Fact]
    public Task Events_about_token_acquisition_and_constant_tags_are_not_reported() => Test("""
        using System.Diagnostics;
        using Microsoft.Extensions.Logging;

        internal static class AccessTokenLogging
        {
            public static void BearerTokenAcquisitionStarted(this ILogger logger, string resource, string user, string issuer)
                => logger.LogInformation("Started bearer token acquisition for {Resource}, issuer {Issuer}, user {User}", resource, issuer, user);
        }

        public class Harness
        {
            private static readonly ActivitySource Source = new("Harness");

            public void Record(ILogger logger, string resource, string user)
            {
                logger.BearerTokenAcquisitionStarted(resource, user, "https://login.example");
                using var span = Source.StartActivity("initial", ActivityKind.Client);
                span?.SetTag("gen_ai.operation.name", "chat");
                span?.SetTag("api_key", "secret");
            }
        }
        """).RunAsync();

    // ---------------------------------------------------------------- options

    private const string RedactorSource = """
        using System;

        public static class Display
        {
            public static string Obscure(string value) => new string('*', value.Length);
        }

        public class Startup
        {
            public void Check(string apiKey)
            {
                var apiKeyShown = Display.Obscure(apiKey);
                Console.WriteLine({|#0:apiKeyShown|});
            }
        }
        """;

    [Fact]
    public Task Configured_redactors_clean_the_value_they_return() => Test(RedactorSource.Replace("{|#0:", "").Replace("|}", ""))
        .WithOption("agentsafety.AGS008.redactors", "Display.Obscure").RunAsync();

    [Fact]
    public Task Without_the_redactor_option_a_secret_named_local_from_an_unknown_call_is_a_secret() => Test(RedactorSource)
        .Expect(Finding(0, "apiKeyShown", "the console ('Console.WriteLine')")).RunAsync();

    private const string SinkSource = """
        public static class Audit
        {
            public static void Record(string action, string detail) { }
        }

        public class Startup
        {
            public void Rotate(string newPassword) => Audit.Record("rotate", {|#0:newPassword|});
        }
        """;

    [Fact]
    public Task Configured_sink_methods_are_logs() => Test(SinkSource)
        .WithOption("agentsafety.AGS008.sink_methods", "Audit.Record")
        .Expect(Finding(0, "newPassword", "a log ('Record')")).RunAsync();

    [Fact]
    public Task Without_the_sink_option_an_unknown_method_is_no_sink() => Test(SinkSource.Replace("{|#0:", "").Replace("|}", "")).RunAsync();

    // ---------------------------------------------------------------- fixes

    [Fact]
    public Task Fix_replaces_holes_and_arguments_with_redacted_text() => Test("""
        using System;
        using Microsoft.Extensions.Logging;

        public class Startup(ILogger<Startup> logger)
        {
            public void Check(string apiKey, string password)
            {
                logger.LogInformation("Key {Key} for {User}", {|#0:apiKey|}, "admin");
                Console.WriteLine($"key={{|#1:apiKey|}}, password={({|#2:password|})}");
                throw new InvalidOperationException("Bad password " + {|#3:password.Trim()|});
            }
        }
        """).Expect(
            Finding(0, "apiKey", "a log ('LoggerExtensions.LogInformation')"),
            Finding(1, "apiKey", "the console ('Console.WriteLine')"),
            Finding(2, "password", "the console ('Console.WriteLine')"),
            Finding(3, "password", "an exception message ('new InvalidOperationException')"))
        .WithFix(RedactKey, """
        using System;
        using Microsoft.Extensions.Logging;

        public class Startup(ILogger<Startup> logger)
        {
            public void Check(string apiKey, string password)
            {
                logger.LogInformation("Key {Key} for {User}", "[redacted]", "admin");
                Console.WriteLine($"key=[redacted], password=[redacted]");
                throw new InvalidOperationException("Bad password " + "[redacted]");
            }
        }
        """).RunAsync();

    [Fact]
    public Task Fix_redacts_a_prompts_hole_and_leaves_the_secrets_other_uses() => Test(""""
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        public class Assistant(IChatClient chat)
        {
            public Task<ChatResponse> Ask(string question, string githubToken)
                => chat.GetResponseAsync($"""
                    Answer with the GitHub API. Token: {{|#0:githubToken|}}
                    Question: {question}
                    """);
        }
        """").Expect(Finding(0, "githubToken", "a prompt ('IChatClient.GetResponseAsync')"))
        .WithFix(RedactKey, """"
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        public class Assistant(IChatClient chat)
        {
            public Task<ChatResponse> Ask(string question, string githubToken)
                => chat.GetResponseAsync($"""
                    Answer with the GitHub API. Token: [redacted]
                    Question: {question}
                    """);
        }
        """").RunAsync();
}
