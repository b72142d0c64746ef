using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using static AgentSafety.Tests.Verification.ExpectedDiagnostic;

namespace AgentSafety.Tests.Rules;

/// <summary>
/// AGS001 — hardcoded secrets. Reads like docs/rules/AGS001.md: key formats (each with a near miss), credential sinks,
/// secret names and their false-positive traps, config files, fixes, options, and the message never holding the secret.
/// Every key below is synthetic: built here from a prefix and an artificial body of the right alphabet and length.
/// </summary>
public class HardcodedSecretTests
{
    private const string Id = "AGS001";
    private const string Env = HardcodedSecretCodeFixProvider.EnvironmentKey;
    private const string Config = HardcodedSecretCodeFixProvider.ConfigurationKey;

    /// <summary>AWS SDK types (no AWS package is referenced by the tests), with their real namespace and names.</summary>
    private const string Stubs = """
        namespace Amazon.Runtime
        {
            public sealed class BasicAWSCredentials { public BasicAWSCredentials(string accessKey, string secretKey) { } }
        }
        """;

    private static readonly string OpenAIKey = "sk-proj-" + Synthetic.Body(156, Synthetic.Base64Url);
    private static readonly string GitHubKey = "ghp_" + Synthetic.Body(36);
    private static readonly string AzureKey = Synthetic.Body(32, Synthetic.Hex);

    private static RuleTest Test(string source)
        => RuleTest.For<HardcodedSecretAnalyzer, HardcodedSecretCodeFixProvider>().WithSource(source);

    private static RuleTest TestWithStubs(string source) => Test(source).WithSource(Stubs, "Stubs.cs");

    /// <summary>A C# string literal holding <paramref name="value"/>.</summary>
    private static string Lit(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    private static string Redacted(string secret, int visible)
        => secret.Substring(0, visible) + "\u2026(" + secret.Length.ToString(CultureInfo.InvariantCulture) + " chars)";

    // ---------------------------------------------------------------- known formats, wherever they appear

    public static TheoryData<string, string, string, string> KnownFormats()
    {
        var data = new TheoryData<string, string, string, string>();
        void Add(string label, string value, string kind, int visible) => data.Add(label, value, kind, Redacted(value, visible));

        Add("OpenAI project key", OpenAIKey, "OpenAI API key", 4);
        Add("OpenAI service-account key", "sk-svcacct-" + Synthetic.Body(156, Synthetic.Base64Url), "OpenAI API key", 4);
        Add("OpenAI admin key", "sk-admin-" + Synthetic.Body(120, Synthetic.Base64Url), "OpenAI admin key", 4);
        Add("OpenAI legacy key", "sk-" + Synthetic.Body(20) + "T3BlbkFJ" + Synthetic.Body(20, stride: 11), "OpenAI API key", 4);
        Add("Anthropic API key", "sk-ant-api03-" + Synthetic.Body(93, Synthetic.Base64Url) + "AA", "Anthropic API key", 4);
        Add("Anthropic admin key", "sk-ant-admin01-" + Synthetic.Body(93, Synthetic.Base64Url) + "AA", "Anthropic admin key", 4);
        Add("AWS access key id", "AKIA" + Synthetic.Body(16, Synthetic.Base32), "AWS access key id", 4);
        Add("AWS temporary access key id", "ASIA" + Synthetic.Body(16, Synthetic.Base32), "AWS access key id", 4);
        Add("GitHub personal access token", GitHubKey, "GitHub token", 4);
        Add("GitHub app token", "ghs_" + Synthetic.Body(36), "GitHub token", 4);
        Add("GitHub fine-grained token", "github_pat_" + Synthetic.Body(82, Synthetic.Alphanumeric + "_"), "GitHub token", 4);
        Add("GitLab personal access token", "glpat-" + Synthetic.Body(20, Synthetic.Base64Url), "GitLab token", 4);
        Add("GitLab deploy token", "gldt-" + Synthetic.Body(20, Synthetic.Base64Url), "GitLab token", 4);
        Add("Slack bot token", "xoxb-1234567890123-2345678901234-" + Synthetic.Body(24), "Slack token", 4);
        Add("Slack user token", "xoxp-1234567890-2345678901-3456789012-" + Synthetic.Body(32, Synthetic.Hex), "Slack token", 4);
        Add("Slack webhook URL", "https://hooks.slack.com/services/T" + Synthetic.Body(8, Synthetic.Base32) + "/B" + Synthetic.Body(10, Synthetic.Base32) + "/" + Synthetic.Body(24), "Slack webhook URL", 4);
        Add("Stripe live secret key", "sk_live_" + Synthetic.Body(24), "Stripe secret key", 4);
        Add("Stripe test secret key (a format wins over the word test)", "sk_test_" + Synthetic.Body(24), "Stripe secret key", 4);
        Add("Stripe restricted key", "rk_live_" + Synthetic.Body(24), "Stripe restricted key", 4);
        Add("Google API key", "AIza" + Synthetic.Body(35, Synthetic.Base64Url), "Google API key", 4);
        Add("Google OAuth client secret", "GOCSPX-" + Synthetic.Body(28, Synthetic.Base64Url), "Google OAuth client secret", 4);
        Add("Hugging Face token", "hf_" + Synthetic.Body(34, Synthetic.Letters), "Hugging Face token", 3);
        Add("Hugging Face organization token", "api_org_" + Synthetic.Body(34, Synthetic.Letters), "Hugging Face token", 3);
        Add("Azure AD client secret", "aB3" + "8Q~" + Synthetic.Body(34, Synthetic.Alphanumeric + "_~.-"), "Azure AD client secret", 0);
        Add("SendGrid API key", "SG." + Synthetic.Body(22, Synthetic.Base64Url) + "." + Synthetic.Body(43, Synthetic.Base64Url, stride: 11), "SendGrid API key", 3);
        Add("Twilio API key", "SK" + Synthetic.Body(32, Synthetic.Hex), "Twilio API key", 2);
        Add("npm token", "npm_" + Synthetic.Body(36), "npm token", 4);
        Add("NuGet API key", "oy2" + Synthetic.Body(43, Synthetic.LowerAlphanumeric), "NuGet API key", 3);
        Add("Groq API key", "gsk_" + Synthetic.Body(48), "Groq API key", 4);
        Add("Databricks token", "dapi" + Synthetic.Body(32, "abcdefgh0123456789"), "Databricks token", 4);
        Add("DigitalOcean token", "dop_v1_" + Synthetic.Body(64, Synthetic.Hex), "DigitalOcean token", 4);
        Add("JSON Web Token", Synthetic.Jwt(), "JSON Web Token", 3);
        Add("PEM private key", Synthetic.Pem("RSA PRIVATE KEY"), "Private key", 4);
        return data;
    }

    [Theory]
    [MemberData(nameof(KnownFormats))]
    public Task Known_format_is_reported_whatever_the_name(string label, string value, string kind, string redacted)
    {
        Assert.NotEmpty(label);
        return Test($$"""
            class Settings
            {
                string Value() => {|#0:{{Lit(value)}}|};
            }
            """).Expect(Diagnostic(Id).At(0).WithArguments(kind, redacted)).RunAsync();
    }

    public static TheoryData<string, string> NearMisses()
    {
        var data = new TheoryData<string, string>
        {
            { "OpenAI project key too short", "sk-proj-" + Synthetic.Body(30, Synthetic.Base64Url) },
            { "sk- key without the OpenAI marker (other vendors use sk- too)", "sk-" + Synthetic.Body(48) },
            { "Anthropic key too short", "sk-ant-api03-" + Synthetic.Body(80, Synthetic.Base64Url) + "AA" },
            { "Anthropic key with the wrong suffix", "sk-ant-api03-" + Synthetic.Body(93, Synthetic.Base64Url) + "BB" },
            { "AWS key id of x's", "AKIAXXXXXXXXXXXXXXXX" },
            { "AWS documentation key id", "AKIAIOSFODNN7EXAMPLE" },
            { "AWS key id one character short", "AKIA" + Synthetic.Body(15, Synthetic.Base32) },
            { "AWS key id inside a longer word", "X" + "AKIA" + Synthetic.Body(16, Synthetic.Base32) },
            { "GitHub token one character short", "ghp_" + Synthetic.Body(35) },
            { "GitHub token one character long", "ghp_" + Synthetic.Body(37) },
            { "GitLab token mask", "glpat-xxxxxxxxxxxxxxxxxxxx" },
            { "GitLab token too short", "glpat-" + Synthetic.Body(12) },
            { "Slack token mask", "xoxb-xxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx" },
            { "Slack token too short", "xoxb-12345-abcd234" },
            { "Stripe publishable key (public by design)", "pk_live_" + Synthetic.Body(24) },
            { "Stripe key too short", "sk_live_" + Synthetic.Body(8) },
            { "Google API key too short", "AIza" + Synthetic.Body(34, Synthetic.Base64Url) },
            { "Google API key without entropy", "AIza" + new string('a', 35) },
            { "Google OAuth secret too short", "GOCSPX-" + Synthetic.Body(20, Synthetic.Base64Url) },
            { "Hugging Face token of x's", "hf_" + new string('x', 34) },
            { "Hugging Face token with digits", "hf_" + Synthetic.Body(34) },
            { "Azure AD client secret too short", "aB38Q~" + Synthetic.Body(20) },
            { "SendGrid key with a short second part", "SG." + Synthetic.Body(22, Synthetic.Base64Url) + "." + Synthetic.Body(40, Synthetic.Base64Url) },
            { "Twilio key in upper-case hex", "SK" + Synthetic.Body(32, Synthetic.Hex).ToUpperInvariant() },
            { "npm token too short", "npm_" + Synthetic.Body(30) },
            { "NuGet key in upper case", "oy2" + Synthetic.Body(43, Synthetic.LowerAlphanumeric).ToUpperInvariant() },
            { "Groq key of x's", "gsk_" + new string('x', 48) },
            { "Databricks token beyond a-h", "dapi" + Synthetic.Body(32, "ijklmnopqrstuvwxyz") },
            { "DigitalOcean token one character short", "dop_v1_" + Synthetic.Body(63, Synthetic.Hex) },
            { "JWT header alone", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" },
            { "PEM private key placeholder", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----" },
            { "PEM public key", Synthetic.Pem("PUBLIC KEY") },
            { "SAS-like query without a service version", "https://example.blob.core.windows.net/c?sig=" + Synthetic.Body(44, Synthetic.Base64) },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Near_miss_of_a_format_is_not_reported(string label, string value)
    {
        Assert.NotEmpty(label);
        return Test($$"""
            class Settings
            {
                string Value() => {{Lit(value)}};
            }
            """).RunAsync();
    }

    [Fact]
    public Task Format_inside_longer_text_is_reported_and_only_the_key_is_counted() => Test($$"""
        class Prompt
        {
            string Text() => {|#0:{{Lit("Call the API with " + GitHubKey + " please")}}|};
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("GitHub token", Redacted(GitHubKey, 4))).RunAsync();

    [Fact]
    public Task Verbatim_raw_and_utf8_literals_are_checked() => Test($$""""
        class Keys
        {
            string Verbatim() => {|#0:@"{{GitHubKey}}"|};
            string Raw() => {|#1:"""{{GitHubKey}}"""|};
            System.ReadOnlySpan<byte> Utf8() => {|#2:"{{GitHubKey}}"u8|};
        }
        """").Expect(
            Diagnostic(Id).At(0).WithArguments("GitHub token", Redacted(GitHubKey, 4)),
            Diagnostic(Id).At(1).WithArguments("GitHub token", Redacted(GitHubKey, 4)),
            Diagnostic(Id).At(2).WithArguments("GitHub token", Redacted(GitHubKey, 4))).RunAsync();

    [Fact]
    public Task Interpolated_string_parts_are_checked_alone() => Test($$"""
        class Client
        {
            string Url(string user) => $"https://api.example.test/{user}{|#0:?key={{GitHubKey}}|}";
            string Header(string token) => $"Bearer {token}";
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("GitHub token", Redacted(GitHubKey, 4))).RunAsync();

    [Fact]
    public Task Azure_storage_account_key_in_a_connection_string_is_reported()
    {
        var key = Synthetic.Body(86, Synthetic.Base64) + "==";
        return Test($$"""
            class Storage
            {
                string ConnectionString() => {|#0:{{Lit("DefaultEndpointsProtocol=https;AccountName=agentdata;AccountKey=" + key + ";EndpointSuffix=core.windows.net")}}|};
            }
            """).Expect(Diagnostic(Id).At(0).WithArguments("Azure storage account key", Redacted(key, 0))).RunAsync();
    }

    [Fact]
    public Task Azure_shared_access_key_and_signature_are_reported()
    {
        var key = Synthetic.Body(43, Synthetic.Base64) + "=";
        var signature = Synthetic.Body(40, Synthetic.Base64) + "%3D";
        return Test($$"""
            class Bus
            {
                string ServiceBus() => {|#0:{{Lit("Endpoint=sb://agent.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=" + key)}}|};
                string Blob() => {|#1:{{Lit("BlobEndpoint=https://agentdata.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&srt=co&sp=r&sig=" + signature)}}|};
            }
            """).Expect(
                Diagnostic(Id).At(0).WithArguments("Azure shared access key", Redacted(key, 0)),
                Diagnostic(Id).At(1).WithArguments("Azure shared access signature", Redacted(signature, 0))).RunAsync();
    }

    [Fact]
    public Task Password_in_a_url_is_reported_and_a_url_without_one_is_not() => Test("""
        class Db
        {
            string Redis() => {|#0:"redis://agent:Tr0ub4dor3@cache.internal:6379"|};
            string Api() => "https://api.example.test/v1/items?page=2";
            string Placeholder() => "postgres://agent:${DB_PASSWORD}@db.internal/agents";
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("Password in URL", "\u2026(10 chars)")).RunAsync();

    [Fact]
    public Task Connection_string_password_is_reported_even_when_weak() => Test("""
        class Db
        {
            string Sql() => {|#0:"Server=db.internal;Database=Agents;User Id=agent;Password=changeme;"|};
            string Odbc() => {|#1:"Driver={ODBC Driver 18};Server=db;Uid=agent;Pwd='s3cr3t;value'"|};
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Connection string password", "\u2026(8 chars)"),
            Diagnostic(Id).At(1).WithArguments("Connection string password", "\u2026(12 chars)")).RunAsync();

    [Fact]
    public Task Connection_string_without_a_literal_password_is_not_reported() => Test("""
        class Db
        {
            string Format() => "Server=db;User Id=agent;Password={0};";
            string Integrated() => "Server=db;Database=Agents;Integrated Security=true;";
            string Empty() => "Server=db;User Id=agent;Password=;";
            string Hole(string password) => $"Server=db;User Id=agent;Password={password};";
            string Variable() => "Server=db;User Id=agent;Password=$(DbPassword);";
        }
        """).RunAsync();

    // ---------------------------------------------------------------- credential sinks: any real-looking value

    [Fact]
    public Task ApiKeyCredential_and_OpenAI_clients_take_keys() => Test($$"""
        using System.ClientModel;
        using OpenAI;
        using OpenAI.Chat;
        class Agent
        {
            ApiKeyCredential Credential() => new ApiKeyCredential({|#0:"{{AzureKey}}"|});
            OpenAIClient Client() => new OpenAIClient({|#1:"{{AzureKey}}"|});
            ChatClient Chat() => new ChatClient("gpt-4o", {|#2:"{{AzureKey}}"|});
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(1).WithArguments("OpenAI API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(2).WithArguments("OpenAI API key", "\u2026(32 chars)")).RunAsync();

    [Fact]
    public Task Azure_credentials_take_keys_and_name_the_Azure_OpenAI_key() => TestWithStubs($$"""
        using System;
        using System.ClientModel;
        using Azure;
        using Azure.AI.OpenAI;
        class Agent
        {
            AzureOpenAIClient Client() => new AzureOpenAIClient(new Uri("https://agent.openai.azure.com"), new ApiKeyCredential({|#0:"{{AzureKey}}"|}));
            AzureKeyCredential Key() => new AzureKeyCredential({|#1:"{{AzureKey}}"|});
            AzureNamedKeyCredential Named() => new AzureNamedKeyCredential("agentdata", {|#2:"{{AzureKey}}"|});
            AzureSasCredential Sas() => new AzureSasCredential({|#3:"sv=2022-11-02&sig={{Synthetic.Body(20)}}"|});
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Azure OpenAI API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(1).WithArguments("API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(2).WithArguments("API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(3).WithArguments("Azure shared access signature", "\u2026(38 chars)")).RunAsync();

    [Fact]
    public Task NetworkCredential_password_counts_even_when_weak() => Test("""
        using System.Net;
        class Mail
        {
            NetworkCredential Credential() => new NetworkCredential("agent", {|#0:"changeme"|});
            NetworkCredential Admin() => new NetworkCredential(userName: "admin", password: {|#1:"admin"|});
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Password", "\u2026(8 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(5 chars)")).RunAsync();

    [Fact]
    public Task Sink_arguments_count_through_parentheses_casts_and_branches_but_params_elements_and_lambdas_do_not() => Test("""
        using System;
        using System.Net;
        class Mail
        {
            NetworkCredential Pick(bool test) => new NetworkCredential("agent", test ? {|#0:"changeme"|} : ((string){|#1:"letmein1"|}));
            string Join() => string.Join(",", "agent", "changeme");
            NetworkCredential Later(Func<string, string> f) => new NetworkCredential("agent", f("changeme"));
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Password", "\u2026(8 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(8 chars)")).RunAsync();

    [Fact]
    public async Task Call_arguments_are_judged_in_every_kind_of_call()
    {
        // Named by the parameter when bound (a constructor initializer too); by the argument's own name in a dynamic or
        // unbound call and for the elements of a params array (one or many); a key format counts in any of them.
        var source = $$"""
            class Vault
            {
                static void Open(string password) { }
                static void OpenAll(params string[] password) { }
                Vault(string password) { }
                Vault() : this("swordfish1") { }
                void M(dynamic d)
                {
                    Open("hunter22");
                    Open(password: "letmein77");
                    OpenAll("trustno1x");
                    OpenAll("correcthorse", "batterystaple");
                    OpenAll(password: new[] { "notjudged1" });
                    d.Open(password: "opensesame1");
                    d.Open("dynamicquiet1");
                    Undefined(password: "abracadabra1");
                    Undefined("unboundquiet1", "{{OpenAIKey}}");
                }
            }
            """;
        var diagnostics = await AnalyzeAsync(source, compiles: false);
        var reported = diagnostics.Select(d => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan).Trim('"')).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "abracadabra1", "hunter22", "letmein77", OpenAIKey, "opensesame1", "swordfish1" }.Order(StringComparer.Ordinal), reported);
    }

    [Fact]
    public Task AuthenticationHeaderValue_with_Bearer_or_Basic_takes_a_credential() => Test($$"""
        using System.Net.Http.Headers;
        class Api
        {
            AuthenticationHeaderValue Bearer() => new AuthenticationHeaderValue("Bearer", {|#0:"{{AzureKey}}"|});
            AuthenticationHeaderValue Basic() => new AuthenticationHeaderValue("Basic", {|#1:"YWdlbnQ6czNjcjN0"|});
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Bearer token", "\u2026(32 chars)"),
            Diagnostic(Id).At(1).WithArguments("Basic authentication credentials", "\u2026(16 chars)")).RunAsync();

    [Fact]
    public Task Credential_headers_take_credentials() => Test($$"""
        using System.Net.Http;
        class Api
        {
            void Configure(HttpClient http)
            {
                http.DefaultRequestHeaders.Add("Authorization", {|#0:"Bearer {{AzureKey}}"|});
                http.DefaultRequestHeaders.Add("x-api-key", {|#1:"{{AzureKey}}"|});
                http.DefaultRequestHeaders.TryAddWithoutValidation("api-key", {|#2:"{{AzureKey}}"|});
                http.DefaultRequestHeaders.Add("Ocp-Apim-Subscription-Key", {|#3:"{{AzureKey}}"|});
                http.DefaultRequestHeaders.Add("User-Agent", "agent/{{AzureKey}}");
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Bearer token", "\u2026(32 chars)"),
            Diagnostic(Id).At(1).WithArguments("API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(2).WithArguments("API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(3).WithArguments("API key", "\u2026(32 chars)")).RunAsync();

    [Fact]
    public Task Credential_members_set_in_an_object_initializer_are_sinks() => TestWithStubs($$"""
        using Anthropic;
        class Options
        {
            public string? ApiKey { get; set; }
            public string? Password { get; set; }
            public string? ClientSecret { get; set; }
        }
        class Agent
        {
            AnthropicClient Claude() => new AnthropicClient { ApiKey = {|#0:"{{AzureKey}}"|}, AuthToken = {|#1:"{{AzureKey}}"|} };
            Options Smtp() => new Options { Password = {|#2:"hunter2!"|}, ClientSecret = {|#3:"{{AzureKey}}"|} };
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Anthropic API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(1).WithArguments("Anthropic OAuth token", "\u2026(32 chars)"),
            Diagnostic(Id).At(2).WithArguments("Password", "\u2026(8 chars)"),
            Diagnostic(Id).At(3).WithArguments("API key", "\u2026(32 chars)")).RunAsync();

    [Fact]
    public Task Semantic_Kernel_connectors_take_keys() => TestWithStubs($$"""
        using Microsoft.SemanticKernel;
        class Setup
        {
            IKernelBuilder OpenAI(IKernelBuilder kernel) => kernel.AddOpenAIChatCompletion("gpt-4o", {|#0:"{{AzureKey}}"|});
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("OpenAI API key", "\u2026(32 chars)")).RunAsync();

    [Fact]
    public Task AWS_secret_access_key_next_to_an_access_key_id_is_reported()
    {
        var accessKeyId = "AKIA" + Synthetic.Body(16, Synthetic.Base32);
        var secret = Synthetic.Body(40, Synthetic.Base64);
        return TestWithStubs($$"""
            using Amazon.Runtime;
            class Storage
            {
                BasicAWSCredentials Credentials() => new BasicAWSCredentials({|#0:"{{accessKeyId}}"|}, {|#1:"{{secret}}"|});
                const string AwsSecretAccessKey = {|#2:"{{Synthetic.Body(40, Synthetic.Base64, stride: 11)}}"|};
            }
            """).Expect(
                Diagnostic(Id).At(0).WithArguments("AWS access key id", Redacted(accessKeyId, 4)),
                Diagnostic(Id).At(1).WithArguments("AWS secret access key", "\u2026(40 chars)"),
                Diagnostic(Id).At(2).WithArguments("AWS secret access key", "\u2026(40 chars)")).RunAsync();
    }

    [Fact]
    public Task Const_with_an_innocent_name_passed_to_a_sink_is_reported_at_the_use() => TestWithStubs($$"""
        using Azure;
        class Search
        {
            private const string Primary = "{{AzureKey}}";
            AzureKeyCredential Key() => new AzureKeyCredential({|#0:Primary|});
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("API key", "\u2026(32 chars)")).RunAsync();

    [Fact]
    public Task Const_local_with_an_innocent_name_passed_to_a_sink_is_reported_at_the_use() => TestWithStubs($$"""
        using Azure;
        class Search
        {
            AzureKeyCredential Key()
            {
                const string primary = "{{AzureKey}}";
                return new AzureKeyCredential({|#0:primary|});
            }
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("API key", "\u2026(32 chars)")).RunAsync();

    [Fact]
    public Task Consts_are_judged_by_the_call_they_are_passed_to_second_argument_included() => TestWithStubs($$"""
        using System;
        using System.Net;
        class Mail
        {
            private const string User = "agent";
            private const string Secret = "changeme";
            NetworkCredential Credential() => new NetworkCredential(User, {|#0:Secret|});
            void Show() => Console.WriteLine(User, Secret);
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("Password", "\u2026(8 chars)")).RunAsync();

    [Fact]
    public Task Const_already_reported_at_its_declaration_is_not_reported_again_at_the_sink() => Test($$"""
        using System.ClientModel;
        class Agent
        {
            private const string ApiKey = {|#0:"{{AzureKey}}"|};
            ApiKeyCredential Credential() => new ApiKeyCredential(ApiKey);
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("API key", "\u2026(32 chars)")).RunAsync();

    [Fact]
    public Task Sinks_ignore_placeholders_and_local_model_server_keys() => TestWithStubs("""
        using System;
        using System.ClientModel;
        using System.Net;
        using Azure;
        using OpenAI;
        class Local
        {
            OpenAIClient Ollama() => new OpenAIClient(new ApiKeyCredential("ollama"), new OpenAIClientOptions { Endpoint = new Uri("http://localhost:11434/v1") });
            ApiKeyCredential NotNeeded() => new ApiKeyCredential("not-needed");
            ApiKeyCredential Template() => new ApiKeyCredential("<your-api-key>");
            AzureKeyCredential Ellipsis() => new AzureKeyCredential("sk-...");
            AzureKeyCredential Dummy() => new AzureKeyCredential("dummy-key-for-tests");
            NetworkCredential Prompt() => new NetworkCredential("agent", "********");
            ApiKeyCredential Variable() => new ApiKeyCredential(Environment.GetEnvironmentVariable("OPENAI_API_KEY") ?? "");
        }
        """).RunAsync();

    // ---------------------------------------------------------------- secret names: passwords (weak values count)

    [Fact]
    public Task Password_named_variable_field_and_property_are_reported_even_when_weak() => Test("""
        class Db
        {
            private string _dbPassword = {|#0:"admin123"|};
            public string SmtpPassword { get; set; } = {|#1:"changeme"|};
            void Connect()
            {
                var passwd = {|#2:"letmein"|};
                string pwd;
                pwd = {|#3:"root"|};
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Password", "\u2026(8 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(8 chars)"),
            Diagnostic(Id).At(2).WithArguments("Password", "\u2026(7 chars)"),
            Diagnostic(Id).At(3).WithArguments("Password", "\u2026(4 chars)")).RunAsync();

    [Fact]
    public Task Password_parameter_default_named_and_positional_arguments_are_reported() => Test("""
        class Vault
        {
            void Open(string user, string passphrase = {|#0:"open-sesame"|}) { }
            void Use()
            {
                Open("agent", passphrase: {|#1:"swordfish"|});
                Open("agent", {|#2:"swordfish"|});
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Password", "\u2026(11 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(9 chars)"),
            Diagnostic(Id).At(2).WithArguments("Password", "\u2026(9 chars)")).RunAsync();

    [Fact]
    public Task Attribute_arguments_are_judged_by_the_parameter_or_property_they_set() => Test("""
        using System;
        [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
        sealed class VaultAttribute : Attribute
        {
            public VaultAttribute(string route, string passphrase = "") { }
            public string? Password { get; set; }
        }
        [Vault("vault/open", {|#0:"swordfish"|})]
        [Vault("vault/use", passphrase: {|#1:"open-sesame"|})]
        [Vault("vault/seal", Password = {|#2:"hunter22"|})]
        [Vault("read me first")]
        class Vault { }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Password", "\u2026(9 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(11 chars)"),
            Diagnostic(Id).At(2).WithArguments("Password", "\u2026(8 chars)")).WithoutFix(Env).WithoutFix(Config).RunAsync();

    [Fact]
    public Task Positional_attribute_arguments_are_named_on_every_target() => Test("""
        using System;
        [assembly: Vault({|#0:"swordfish"|})]
        [AttributeUsage(AttributeTargets.All, AllowMultiple = true)]
        sealed class VaultAttribute : Attribute
        {
            public VaultAttribute(string passphrase) { }
            public VaultAttribute(int slot, string route) { }
        }
        class Holder
        {
            [Vault({|#1:"open-sesame"|})]
            void M([Vault({|#2:"hunter22"|})] string p) { }
            [return: Vault({|#3:"letmein77"|})]
            string R() => "";
            [Vault({|#4:"trustno1x"|})]
            public string Prop { get; set; } = "";
            [Vault({|#5:"correcthorse"|})]
            int _field, _other;
            [Vault(1, "swordfish")]
            void Routed() { }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Password", "\u2026(9 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(11 chars)"),
            Diagnostic(Id).At(2).WithArguments("Password", "\u2026(8 chars)"),
            Diagnostic(Id).At(3).WithArguments("Password", "\u2026(9 chars)"),
            Diagnostic(Id).At(4).WithArguments("Password", "\u2026(9 chars)"),
            Diagnostic(Id).At(5).WithArguments("Password", "\u2026(12 chars)")).WithoutFix(Env).WithoutFix(Config).RunAsync();

    // ---------------------------------------------------------------- secret names: keys and tokens (random values)

    [Fact]
    public Task Secret_named_values_that_look_random_are_reported() => Test($$"""
        using System.Collections.Generic;
        class Weather
        {
            private readonly string _weatherApiKey = {|#0:"{{AzureKey}}"|};
            public string AccessToken => {|#1:"{{Synthetic.Body(40)}}"|};
            object Anonymous() => new { clientSecret = {|#2:"{{Synthetic.Body(24)}}"|} };
            Dictionary<string, string> Settings() => new() { ["Weather:ApiKey"] = {|#3:"{{AzureKey}}"|} };
            Dictionary<string, string> Pairs() => new() { { "PrivateKey", {|#4:"{{Synthetic.Body(24, Synthetic.Base64)}}"|} } };
            string Secret { get { return {|#5:"{{Synthetic.Body(20)}}"|}; } }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(1).WithArguments("Token", "\u2026(40 chars)"),
            Diagnostic(Id).At(2).WithArguments("Client secret", "\u2026(24 chars)"),
            Diagnostic(Id).At(3).WithArguments("API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(4).WithArguments("Private key", "\u2026(24 chars)"),
            Diagnostic(Id).At(5).WithArguments("Secret", "\u2026(20 chars)")).RunAsync();

    [Fact]
    public Task Fallback_after_a_configuration_read_is_still_a_hardcoded_secret() => Test($$"""
        using System;
        class Agent
        {
            string ApiKey => Environment.GetEnvironmentVariable("WEATHER_API_KEY") ?? {|#0:"{{AzureKey}}"|};
            string _apiKey = Environment.GetEnvironmentVariable("WEATHER_API_KEY") ?? {|#1:"{{AzureKey}}"|};
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(1).WithArguments("API key", "\u2026(32 chars)")).RunAsync();

    // ---------------------------------------------------------------- false-positive traps

    [Fact]
    public Task Prompts_field_names_and_format_strings_under_password_names_are_not_secrets() => Test("""
        class Login
        {
            string passwordPrompt = "Please enter your password";
            string passwordField = "password";
            string PasswordLabel = "Password:";
            string passwordFormat = "Password: {0}";
            string password = "Please enter your password";
            string passwordQuestion = "What was the name of your first pet?";
            string passwordHint = "at least 12 characters";
            string Password = "";
            string pwd = "********";
        }
        """).RunAsync();

    [Fact]
    public Task Names_that_describe_a_secret_without_holding_one_are_not_secret_named() => Test($$"""
        class Settings
        {
            string secretName = "{{Synthetic.Body(24)}}";
            string privateKeyPath = "{{Synthetic.Body(24)}}";
            string ApiKeyHeader = "{{Synthetic.Body(24)}}";
            string tokenEndpoint = "{{Synthetic.Body(24)}}";
            string TokenizerName = "{{Synthetic.Body(24)}}";
            string tokenCount = "{{Synthetic.Body(24)}}";
            string maxTokens = "{{Synthetic.Body(24)}}";
            string publicKey = "{{Synthetic.Body(24)}}";
            string clientId = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
            string passwordMinLength = "12";
        }
        """).RunAsync();

    [Fact]
    public Task Environment_variable_header_and_configuration_names_are_not_secrets() => Test("""
        using System;
        using Microsoft.Extensions.Configuration;
        class Settings
        {
            string apiKey = "OPENAI_API_KEY";
            string token = "GITHUB_TOKEN";
            string apiKeyName = "api-key";
            string authorizationHeader = "Authorization";
            string apiKeyPath = "OpenAI:ApiKey";
            string secret = "ConnectionStrings:Default";
            string FromEnvironment() => Environment.GetEnvironmentVariable("OPENAI_API_KEY") ?? throw new InvalidOperationException("Set OPENAI_API_KEY.");
            string FromConfiguration(IConfiguration configuration) => configuration["OpenAI:ApiKey"] ?? throw new InvalidOperationException();
        }
        """).RunAsync();

    [Fact]
    public Task Placeholders_are_not_secrets() => Test("""
        class Settings
        {
            string apiKey1 = "<your-key>";
            string apiKey2 = "YOUR_API_KEY";
            string apiKey3 = "sk-...";
            string apiKey4 = "hf_...";
            string apiKey5 = "xxxxxxxxxxxxxxxxxxxxxxxx";
            string apiKey6 = "************************";
            string apiKey7 = "${OPENAI_API_KEY}";
            string apiKey8 = "%OPENAI_API_KEY%";
            string apiKey9 = "{{openai_api_key}}";
            string apiKey10 = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
            string apiKey11 = "dummy-api-key-123456";
            string apiKey12 = "fake_token_for_tests_42";
            string apiKey13 = "test-key-0123456789";
            string apiKey14 = "placeholder-0123456789";
            string apiKey15 = "changeme-0123456789";
            string token = "insert-your-token-here";
        }
        """).RunAsync();

    [Fact]
    public Task Urls_paths_versions_and_low_entropy_values_under_secret_names_are_not_secrets() => Test("""
        class Settings
        {
            string tokenUrl = "https://login.example.test/oauth2/v2.0/token";
            string token = "https://login.example.test/oauth2/v2.0/token";
            string privateKey = "certs/agent-2024.pem";
            string secret = "./secrets/agent.json";
            string apiKey = "aaaaaaaaaaaa1";
            string accessToken = "abc123";
            string credential = "v1";
            string apiKey2 = "sk_test";
        }
        """).RunAsync();

    [Fact]
    public Task Publishable_keys_are_public_even_under_a_secret_name() => Test($$"""
        class Stripe
        {
            string apiKey = "pk_live_{{Synthetic.Body(24)}}";
            string publishableKey = "pk_test_{{Synthetic.Body(24)}}";
        }
        """).RunAsync();

    [Fact]
    public Task Empty_strings_and_values_read_from_configuration_are_not_secrets() => Test("""
        using Microsoft.Extensions.Configuration;
        class Settings(IConfiguration configuration)
        {
            string apiKey = "";
            string password = string.Empty;
            string token = configuration["GitHub:Token"] ?? "";
            string secret = configuration.GetConnectionString("Default") ?? string.Empty;
        }
        """).RunAsync();

    [Fact]
    public Task Interpolated_bearer_header_holds_no_secret() => Test("""
        using System.Net.Http;
        using System.Net.Http.Headers;
        class Api
        {
            void Configure(HttpClient http, string token)
            {
                http.DefaultRequestHeaders.Add("Authorization", $"Bearer {token}");
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }
        """).RunAsync();

    [Fact]
    public Task Text_that_merely_mentions_keys_is_not_a_secret() => Test("""
        class Docs
        {
            string apiKeyHelp = "Create a key at https://platform.example.test/api-keys and set OPENAI_API_KEY.";
            string Describe() => "The token looks like ghp_ followed by 36 characters.";
            string error = "Invalid password for user 'agent'";
        }
        """).RunAsync();

    [Fact]
    public Task Generated_code_is_not_analyzed() => Test($$"""
        // <auto-generated/>
        class Generated
        {
            string Value() => "{{GitHubKey}}";
            string password = "admin123";
            string Header(string user) => $"{{GitHubKey}} for {user}";
        }
        """).RunAsync();

    // ---------------------------------------------------------------- config files next to the project

    private static RuleTest ConfigTest() => Test("class Program { }");

    [Fact]
    public Task Appsettings_json_reports_keys_secret_named_values_and_connection_string_passwords() => ConfigTest()
        .WithAdditionalFile("appsettings.json", $$"""
            {
              // Comments are allowed in appsettings files.
              "Logging": { "LogLevel": { "Default": "Information" } },
              "AllowedHosts": "*",
              "OpenAI": { "ApiKey": "{|#0:{{OpenAIKey}}|}", "Model": "gpt-4o", },
              "Weather": { "ApiKey": "{|#1:{{AzureKey}}|}", "Endpoint": "https://api.weather.example/v1" },
              "ConnectionStrings": {
                "Tickets": "{|#2:Server=db.internal;Database=Tickets;User Id=agent;Password=Tick3ts-Agent!;|}",
                "Cache": "localhost:6379"
              },
              "Placeholders": { "ApiKey": "<your-key>", "Token": "${GITHUB_TOKEN}", "Secret": "" },
            }
            """)
        .Expect(
            Diagnostic(Id).At(0).WithArguments("OpenAI API key", Redacted(OpenAIKey, 4)),
            Diagnostic(Id).At(1).WithArguments("API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(2).WithArguments("Connection string password", "\u2026(14 chars)")).RunAsync();

    [Fact]
    public Task Environment_specific_appsettings_report_weak_passwords_under_password_keys() => ConfigTest()
        .WithAdditionalFile("appsettings.Development.json", """
            {
              "Smtp": { "Host": "localhost", "Password": "{|#0:postgres|}", "PasswordHint": "ask the team" },
              "Jwt": { "Issuer": "https://agent.example", "SigningKeyPath": "keys/dev.pem" }
            }
            """)
        .Expect(Diagnostic(Id).At(0).WithArguments("Password", "\u2026(8 chars)")).RunAsync();

    [Fact]
    public Task Launch_settings_environment_variables_are_scanned() => ConfigTest()
        .WithAdditionalFile("Properties/launchSettings.json", $$"""
            {
              "profiles": {
                "AgentSample": {
                  "commandName": "Project",
                  "environmentVariables": {
                    "ASPNETCORE_ENVIRONMENT": "Development",
                    "GITHUB_TOKEN": "{|#0:{{GitHubKey}}|}",
                    "WEATHER_API_KEY": "{|#1:{{AzureKey}}|}"
                  }
                }
              }
            }
            """)
        .Expect(
            Diagnostic(Id).At(0).WithArguments("GitHub token", Redacted(GitHubKey, 4)),
            Diagnostic(Id).At(1).WithArguments("API key", "\u2026(32 chars)")).RunAsync();

    [Fact]
    public Task Dot_env_files_are_scanned() => ConfigTest()
        .WithAdditionalFile(".env", $$"""
            # Local settings
            OPENAI_API_KEY={|#0:{{OpenAIKey}}|}
            export DB_PASSWORD="{|#1:hunter2!|}"
            API_KEY=${FROM_VAULT}
            LOG_LEVEL=debug
            """)
        .Expect(
            Diagnostic(Id).At(0).WithArguments("OpenAI API key", Redacted(OpenAIKey, 4)),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(8 chars)")).RunAsync();

    [Fact]
    public Task Yaml_files_are_scanned() => ConfigTest()
        .WithAdditionalFile("docker-compose.yml", $$$"""
            services:
              agent:
                image: agent:latest
                environment:
                  - POSTGRES_PASSWORD={|#0:s3cr3t-pass|}
                  - ASPNETCORE_URLS=http://+:8080
                  GITHUB_TOKEN: "{|#1:{{{GitHubKey}}}|}"
                  HF_TOKEN: ${{ secrets.HF_TOKEN }}
                  secretName: agent-secrets # a name, not a secret
            """)
        .Expect(
            Diagnostic(Id).At(0).WithArguments("Password", "\u2026(11 chars)"),
            Diagnostic(Id).At(1).WithArguments("GitHub token", Redacted(GitHubKey, 4))).RunAsync();

    [Fact]
    public Task Web_and_app_config_are_scanned()
    {
        var sendGrid = "SG." + Synthetic.Body(22, Synthetic.Base64Url) + "." + Synthetic.Body(43, Synthetic.Base64Url, stride: 11);
        return ConfigTest()
            .WithAdditionalFile("web.config", $$"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <!-- <add key="OldKey" value="{{GitHubKey}}" /> -->
                  <appSettings>
                    <add key="SendGrid" value="{|#0:{{sendGrid}}|}" />
                    <add key="WeatherApiKey" value="{|#1:{{AzureKey}}|}" />
                    <add key="Theme" value="dark" />
                  </appSettings>
                  <connectionStrings>
                    <add name="Default" connectionString="{|#2:Server=db;User Id=agent;Password=Adm1n-2024;|}" providerName="System.Data.SqlClient" />
                  </connectionStrings>
                </configuration>
                """)
            .WithAdditionalFile("app.config", """
                <configuration>
                  <smtp><Password>{|#3:mail-pass-1|}</Password></smtp>
                </configuration>
                """)
            .Expect(
                Diagnostic(Id).At(0).WithArguments("SendGrid API key", Redacted(sendGrid, 3)),
                Diagnostic(Id).At(1).WithArguments("API key", "\u2026(32 chars)"),
                Diagnostic(Id).At(2).WithArguments("Connection string password", "\u2026(10 chars)"),
                Diagnostic(Id).At(3).WithArguments("Password", "\u2026(11 chars)")).RunAsync();
    }

    [Fact]
    public Task Other_additional_files_and_env_templates_are_not_scanned() => ConfigTest()
        .WithAdditionalFile("notes.json", $$"""{ "ApiKey": "{{OpenAIKey}}" }""")
        .WithAdditionalFile("secrets.txt", OpenAIKey)
        .WithAdditionalFile(".env.example", $"OPENAI_API_KEY={OpenAIKey}")
        .RunAsync();

    [Fact]
    public Task Scan_config_files_false_turns_config_scanning_off() => ConfigTest()
        .WithAdditionalFile("appsettings.json", $$"""{ "OpenAI": { "ApiKey": "{{OpenAIKey}}" } }""")
        .WithOption("agentsafety.AGS001.scan_config_files", "false")
        .RunAsync();

    [Fact]
    public Task Scan_config_files_can_be_turned_off_for_one_file() => ConfigTest()
        .WithAdditionalFile("appsettings.json", $$"""{ "OpenAI": { "ApiKey": "{|#0:{{OpenAIKey}}|}" } }""")
        .WithAdditionalFile("appsettings.Local.json", $$"""{ "OpenAI": { "ApiKey": "{{OpenAIKey}}" } }""")
        .WithEditorConfig("[appsettings.Local.json]\nagentsafety.AGS001.scan_config_files = false")
        .Expect(Diagnostic(Id).At(0).WithArguments("OpenAI API key", Redacted(OpenAIKey, 4))).RunAsync();

    // .editorconfig severities for config files: the compiler applies dotnet_diagnostic lines to C# files only, so the
    // analyzer reads the .editorconfig files the package passes as additional files (PackageEndToEndTests: the build).
    private static string ConfigKey => $$"""{ "OpenAI": { "ApiKey": "{|#0:{{OpenAIKey}}|}" } }""";

    private static string Unmarked(string markup) => markup.Replace("{|#0:", "").Replace("|}", "");

    [Fact]
    public Task A_file_section_turning_the_rule_off_silences_the_config_file() => ConfigTest()
        .WithAdditionalFile(".editorconfig", "root = true\n[appsettings.json]\ndotnet_diagnostic.AGS001.severity = none\n")
        .WithAdditionalFile("appsettings.json", Unmarked(ConfigKey))
        .RunAsync();

    [Fact]
    public Task A_star_section_sets_the_config_file_severity() => ConfigTest()
        .WithAdditionalFile(".editorconfig", "root = true\n[*]\ndotnet_diagnostic.ags001.severity = error # as in CI\n")
        .WithAdditionalFile("appsettings.json", ConfigKey)
        .Expect(Diagnostic(Id).At(0).WithSeverity(DiagnosticSeverity.Error).WithArguments("OpenAI API key", Redacted(OpenAIKey, 4))).RunAsync();

    [Fact]
    public Task A_cs_only_section_leaves_config_files_at_the_default_severity() => ConfigTest()
        .WithAdditionalFile(".editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.AGS001.severity = none\n")
        .WithAdditionalFile("appsettings.json", ConfigKey)
        .Expect(Diagnostic(Id).At(0).WithSeverity(DiagnosticSeverity.Warning).WithArguments("OpenAI API key", Redacted(OpenAIKey, 4))).RunAsync();

    [Fact]
    public Task The_nearest_editorconfig_wins_and_braces_list_files() => ConfigTest()
        .WithAdditionalFile(".editorconfig", "root = true\n[*]\ndotnet_diagnostic.AGS001.severity = none\n")
        .WithAdditionalFile("Deploy/.editorconfig", "[appsettings.{Production,Staging}.json]\ndotnet_diagnostic.AGS001.severity = suggestion\n")
        .WithAdditionalFile("Deploy/appsettings.Production.json", ConfigKey)
        .WithAdditionalFile("Deploy/appsettings.Development.json", Unmarked(ConfigKey))
        .WithAdditionalFile("appsettings.json", Unmarked(ConfigKey))
        .Expect(Diagnostic(Id).At(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("OpenAI API key", Redacted(OpenAIKey, 4))).RunAsync();

    [Fact]
    public Task A_root_editorconfig_hides_the_ones_above_it() => ConfigTest()
        .WithAdditionalFile(".editorconfig", "root = true\n[*.json]\ndotnet_diagnostic.AGS001.severity = none\n")
        .WithAdditionalFile("Service/.editorconfig", "root = true\n[*.md]\nindent_size = 2\n")
        .WithAdditionalFile("Service/appsettings.json", ConfigKey)
        .Expect(Diagnostic(Id).At(0).WithSeverity(DiagnosticSeverity.Warning).WithArguments("OpenAI API key", Redacted(OpenAIKey, 4))).RunAsync();

    [Fact]
    public Task A_path_section_matches_from_the_editorconfig_folder_only() => ConfigTest()
        .WithAdditionalFile(".editorconfig", "root = true\n[/config/**.json]\ndotnet_diagnostic.AGS001.severity = none\n")
        .WithAdditionalFile("config/local/appsettings.json", Unmarked(ConfigKey))
        .WithAdditionalFile("src/config/appsettings.json", ConfigKey)
        .Expect(Diagnostic(Id).At(0).WithArguments("OpenAI API key", Redacted(OpenAIKey, 4))).RunAsync();

    [Fact]
    public Task NoWarn_silences_config_files_whatever_a_section_says() => ConfigTest()
        .WithAdditionalFile(".editorconfig", "root = true\n[*.json]\ndotnet_diagnostic.AGS001.severity = error\n")
        .WithAdditionalFile("appsettings.json", Unmarked(ConfigKey))
        .WithOption("dotnet_diagnostic.AGS001.severity", "none") // project-wide: the test's compilation option, as NoWarn is
        .RunAsync();

    [Fact]
    public Task The_rule_turned_off_for_cs_files_reports_nothing_there() => Test($$"""
        class Settings
        {
            string Value() => "{{GitHubKey}}";
        }
        """).WithOption("dotnet_diagnostic.AGS001.severity", "none").RunAsync();

    // ---------------------------------------------------------------- fixes

    [Fact]
    public Task Read_from_environment_uses_the_provider_variable_adds_using_System_and_fixes_all() => Test($$"""
        using OpenAI.Chat;
        class Agent
        {
            ChatClient Chat() => new ChatClient("gpt-4o", [|"{{OpenAIKey}}"|]);
            ChatClient Mini() => new ChatClient("gpt-4o-mini", [|"{{OpenAIKey}}"|]);
        }
        """).WithFix(Env, """
        using System;
        using OpenAI.Chat;
        class Agent
        {
            ChatClient Chat() => new ChatClient("gpt-4o", Environment.GetEnvironmentVariable("OPENAI_API_KEY") ?? throw new InvalidOperationException("Set the OPENAI_API_KEY environment variable."));
            ChatClient Mini() => new ChatClient("gpt-4o-mini", Environment.GetEnvironmentVariable("OPENAI_API_KEY") ?? throw new InvalidOperationException("Set the OPENAI_API_KEY environment variable."));
        }
        """).RunAsync();

    [Fact]
    public Task Read_from_environment_names_the_variable_after_the_symbol_when_there_is_no_provider() => Test($$"""
        using System;
        class WeatherTools
        {
            private readonly string _weatherApiKey = [|"{{AzureKey}}"|];
        }
        """).WithFix(Env, """
        using System;
        class WeatherTools
        {
            private readonly string _weatherApiKey = Environment.GetEnvironmentVariable("WEATHER_API_KEY") ?? throw new InvalidOperationException("Set the WEATHER_API_KEY environment variable.");
        }
        """).RunAsync();

    [Fact]
    public Task Read_from_environment_turns_a_const_field_into_a_static_property_read_at_each_use() => Test($$"""
        using System;
        class GitHubTools
        {
            // The token used by every tool.
            private const string Token = [|"{{GitHubKey}}"|];
            public string Header => "token " + Token;
        }
        """).WithFix(Env, """
        using System;
        class GitHubTools
        {
            // The token used by every tool.
            private static string Token => Environment.GetEnvironmentVariable("GITHUB_TOKEN") ?? throw new InvalidOperationException("Set the GITHUB_TOKEN environment variable.");
            public string Header => "token " + Token;
        }
        """).RunAsync();

    [Fact]
    public Task Read_from_environment_turns_a_const_local_into_a_plain_local() => Test($$"""
        using System;
        class Agent
        {
            int Length()
            {
                const string password = [|"hunter2!"|];
                return password.Length;
            }
        }
        """).WithFix(Env, """
        using System;
        class Agent
        {
            int Length()
            {
                string password = Environment.GetEnvironmentVariable("PASSWORD") ?? throw new InvalidOperationException("Set the PASSWORD environment variable.");
                return password.Length;
            }
        }
        """).RunAsync();

    [Fact]
    public Task Fixes_are_not_offered_where_CSharp_needs_a_constant() => Test($$"""
        using System.ComponentModel;
        class Settings
        {
            [DefaultValue([|"{{GitHubKey}}"|])]
            public string? Token { get; set; }

            void Connect(string password = [|"hunter2!"|]) { }

            bool IsKnown(string value)
            {
                switch (value)
                {
                    case [|"{{GitHubKey}}"|]:
                        return true;
                    default:
                        return value is [|"{{GitHubKey}}"|];
                }
            }
        }
        """).WithoutFix(Env).WithoutFix(Config).RunAsync();

    [Fact]
    public Task Fixes_are_not_offered_for_a_const_that_a_constant_context_uses() => Test($$"""
        class Settings
        {
            private const string Token = [|"{{GitHubKey}}"|];

            bool IsKnown(string value) => value switch
            {
                Token => true,
                _ => false,
            };
        }
        """).WithoutFix(Env).RunAsync();

    [Fact]
    public Task Fixes_are_not_offered_for_interpolated_parts_or_utf8_literals() => Test($$"""
        class Client
        {
            string Url(string user) => $"https://api.example.test/{user}[|?key={{GitHubKey}}|]";
            System.ReadOnlySpan<byte> Utf8() => [|"{{GitHubKey}}"u8|];
        }
        """).WithoutFix(Env).WithoutFix(Config).RunAsync();

    [Fact]
    public Task Read_from_configuration_uses_the_IConfiguration_in_scope() => Test($$"""
        using System;
        using Microsoft.Extensions.Configuration;
        using OpenAI;
        class Agent(IConfiguration configuration)
        {
            private readonly string _weatherApiKey = [|"{{AzureKey}}"|];
            OpenAIClient Client() => new OpenAIClient([|"{{OpenAIKey}}"|]);
        }
        """).WithFix(Config, """
        using System;
        using Microsoft.Extensions.Configuration;
        using OpenAI;
        class Agent(IConfiguration configuration)
        {
            private readonly string _weatherApiKey = configuration["Agent:WeatherApiKey"] ?? throw new InvalidOperationException("Set the Agent:WeatherApiKey configuration value.");
            OpenAIClient Client() => new OpenAIClient(configuration["OpenAI:ApiKey"] ?? throw new InvalidOperationException("Set the OpenAI:ApiKey configuration value."));
        }
        """).RunAsync();

    [Fact]
    public Task Read_from_configuration_uses_a_builder_Configuration_in_scope() => Test($$"""
        using System;
        using Microsoft.Extensions.Configuration;
        class AppBuilder(IConfiguration configuration)
        {
            public IConfiguration Configuration { get; } = configuration;
        }
        static class Setup
        {
            static void Configure(AppBuilder builder)
            {
                var token = [|"{{GitHubKey}}"|];
            }
        }
        """).WithFix(Config, """
        using System;
        using Microsoft.Extensions.Configuration;
        class AppBuilder(IConfiguration configuration)
        {
            public IConfiguration Configuration { get; } = configuration;
        }
        static class Setup
        {
            static void Configure(AppBuilder builder)
            {
                var token = builder.Configuration["GitHub:Token"] ?? throw new InvalidOperationException("Set the GitHub:Token configuration value.");
            }
        }
        """).RunAsync();

    [Fact]
    public Task Read_from_configuration_is_not_offered_without_a_usable_IConfiguration() => Test($$"""
        using Microsoft.Extensions.Configuration;
        class Agent
        {
            private readonly IConfiguration _configuration;
            private readonly string _apiKey = [|"{{AzureKey}}"|];
            private const string Token = [|"{{GitHubKey}}"|];
            Agent(IConfiguration configuration) => _configuration = configuration;
            static string Key() => [|"{{OpenAIKey}}"|];
        }
        """).WithoutFix(Config).RunAsync();

    [Fact]
    public Task Read_from_environment_replaces_a_const_passed_to_a_sink() => TestWithStubs($$"""
        using System;
        using Azure;
        class Search
        {
            private const string Primary = "{{AzureKey}}";
            AzureKeyCredential Key() => new AzureKeyCredential([|Primary|]);
        }
        """).WithFix(Env, """
        using System;
        using Azure;
        class Search
        {
            private const string Primary = "{{AzureKey}}";
            AzureKeyCredential Key() => new AzureKeyCredential(Environment.GetEnvironmentVariable("API_KEY") ?? throw new InvalidOperationException("Set the API_KEY environment variable."));
        }
        """.Replace("{{AzureKey}}", AzureKey, StringComparison.Ordinal), Stubs).RunAsync();

    [Fact]
    public Task Read_from_environment_keeps_a_concatenation_valid() => Test($$"""
        using System;
        class Api
        {
            string Header() => "Bearer " + [|"{{GitHubKey}}"|];
        }
        """).WithFix(Env, """
        using System;
        class Api
        {
            string Header() => "Bearer " + (Environment.GetEnvironmentVariable("GITHUB_TOKEN") ?? throw new InvalidOperationException("Set the GITHUB_TOKEN environment variable."));
        }
        """).RunAsync();

    // ---------------------------------------------------------------- options

    [Fact]
    public Task Secret_words_replace_the_default_list() => Test($$"""
        class Settings
        {
            string signingSalt = {|#0:"{{Synthetic.Body(24)}}"|};
            string token = "{{Synthetic.Body(24)}}";
        }
        """).WithOption("agentsafety.AGS001.secret_words", "salt, signing key")
        .Expect(Diagnostic(Id).At(0).WithArguments("Secret", "\u2026(24 chars)")).RunAsync();

    [Fact]
    public Task Secret_words_accept_multi_word_entries_in_any_spelling() => Test($$"""
        class Settings
        {
            string webhookSigningKey = {|#0:"{{Synthetic.Body(24)}}"|};
            string WEBHOOK_SIGNING_KEY = {|#1:"{{Synthetic.Body(24, stride: 11)}}"|};
        }
        """).WithOption("agentsafety.AGS001.secret_words", "signing key")
        .Expect(
            Diagnostic(Id).At(0).WithArguments("Secret", "\u2026(24 chars)"),
            Diagnostic(Id).At(1).WithArguments("Secret", "\u2026(24 chars)")).RunAsync();

    [Fact]
    public Task Excluded_values_take_words_and_regexes() => Test($$"""
        class Settings
        {
            string apiKey = "local-{{Synthetic.Body(20)}}";
            string token = "TEST{{Synthetic.Body(20)}}";
            string Value() => "{{GitHubKey}}";
            string password = {|#0:"hunter2!"|};
        }
        """).WithOption("agentsafety.AGS001.excluded_values", "local-, /^TEST[A-Za-z0-9]+$/, " + GitHubKey.Substring(0, 12))
        .Expect(Diagnostic(Id).At(0).WithArguments("Password", "\u2026(8 chars)")).RunAsync();

    [Fact]
    public Task An_invalid_excluded_regex_is_ignored() => Test("""
        class Settings
        {
            string password = {|#0:"hunter2!"|};
        }
        """).WithOption("agentsafety.AGS001.excluded_values", "/([/")
        .Expect(Diagnostic(Id).At(0).WithArguments("Password", "\u2026(8 chars)")).RunAsync();

    [Fact]
    public Task Min_entropy_raises_or_lowers_the_bar_for_secret_named_values() => Test("""
        class Settings
        {
            string apiKey = "kd7mkd7mq2kd7mq2";
        }
        """).WithOption("agentsafety.AGS001.min_entropy", "3.5").RunAsync();

    [Fact]
    public Task Min_entropy_lowered_reports_less_random_values() => Test("""
        class Settings
        {
            string apiKey = {|#0:"kd7mkd7mq2kd7mq2"|};
        }
        """).WithOption("agentsafety.AGS001.min_entropy", "2.5")
        .Expect(Diagnostic(Id).At(0).WithArguments("API key", "\u2026(16 chars)")).RunAsync();

    [Fact]
    public Task Min_entropy_does_not_affect_known_formats_or_passwords() => Test($$"""
        class Settings
        {
            string Value() => {|#0:"{{GitHubKey}}"|};
            string password = {|#1:"hunter2!"|};
        }
        """).WithOption("agentsafety.AGS001.min_entropy", "7")
        .Expect(
            Diagnostic(Id).At(0).WithArguments("GitHub token", Redacted(GitHubKey, 4)),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(8 chars)")).RunAsync();

    [Fact]
    public Task Severity_is_configurable() => Test($$"""
        class Settings
        {
            string Value() => {|#0:"{{GitHubKey}}"|};
        }
        """).WithOption("dotnet_diagnostic.AGS001.severity", "error")
        .Expect(Diagnostic(Id).At(0).WithSeverity(DiagnosticSeverity.Error)).RunAsync();

    // ---------------------------------------------------------------- issue 17: short passwords, placeholders, auth, comparisons

    private static readonly string RandomKey = Synthetic.Body(24);

    [Fact]
    public Task Short_values_under_password_names_are_reported() => Test("""
        class Login
        {
            string password = {|#0:"a"|};
            string pwd = {|#1:"x1"|};
            void Set()
            {
                var passphrase = {|#2:"ok"|};
                string userPassword = {|#3:"123456"|};
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Password", "\u2026(1 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(2 chars)"),
            Diagnostic(Id).At(2).WithArguments("Password", "\u2026(2 chars)"),
            Diagnostic(Id).At(3).WithArguments("Password", "\u2026(6 chars)")).RunAsync();

    [Fact]
    public Task Short_punctuation_and_masks_under_password_names_are_not_passwords() => Test("""
        class Login
        {
            string password = "-";
            string pwd = "?";
            string passphrase = "x";
            string Password = "**";
            string userPassword = ":";
            string PasswordSeparator = ",";
        }
        """).RunAsync();

    [Fact]
    public Task Example_invalid_sample_dummy_and_fake_are_placeholders_even_for_passwords() => Test("""
        using System.Net;
        using OpenAI.Chat;
        class Samples
        {
            string Db() => "Server=localhost,1433;User Id=sa;Password=example;TrustServerCertificate=true";
            NetworkCredential Mail() => new NetworkCredential("agent", "sample");
            ChatClient Chat() => new ChatClient("gpt-4o", apiKey: "invalid_key");
            string password = "invalid";
            string pwd = "dummy1";
            string passphrase = "fake-passphrase";
            string DbPassword = "Example123";
        }
        """).RunAsync();

    [Fact]
    public Task A_known_format_wins_over_a_placeholder_word_and_other_weak_passwords_still_count() => Test($$"""
        class Samples
        {
            string password = {|#0:"{{"sk_test_" + Synthetic.Body(24)}}"|};
            string pwd = {|#1:"examplary"|};
            string Db() => {|#2:"Server=localhost;User Id=sa;Password=Sampl3r!"|};
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Stripe secret key", Redacted("sk_test_" + Synthetic.Body(24), 4)),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(9 chars)"),
            Diagnostic(Id).At(2).WithArguments("Connection string password", "\u2026(8 chars)")).RunAsync();

    [Fact]
    public Task Sequential_runs_masks_and_documentation_example_keys_are_not_secrets() => Test("""
        class Samples
        {
            string apiKey = "abc123xyz-456def789";
            string token = "abcdefghijklmnop";
            string password = "1234567890";
            string secret = "####-####-####-####";
            string AwsAccessKeyId() => "AKIAIOSFODNN7EXAMPLE";
            string aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
            string FirebaseApiKey() => "AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs";
            string firebaseApiKey = "AIzaSyabcdefghijklmnopqrstuvwxyz1234567";
        }
        """).RunAsync();

    [Fact]
    public Task SQL_bind_parameters_are_not_passwords() => Test("""
        class Users
        {
            string Update() => "UPDATE users SET password=@p WHERE id=@id";
            string Oracle() => "UPDATE users SET password=:pwd WHERE id=:id";
            string Postgres() => "UPDATE users SET password=$1 WHERE id=$2";
            string Odbc() => "UPDATE users SET pwd=? WHERE id=?";
            string Template() => "Server=db;User Id=agent;Password=@password";
            string password = "@p";
        }
        """).RunAsync();

    [Fact]
    public Task A_quoted_literal_password_in_SQL_is_still_reported() => Test("""
        class Users
        {
            string Reset() => {|#0:"UPDATE users SET password='hunter2' WHERE id=@id"|};
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("Connection string password", "\u2026(7 chars)")).RunAsync();

    [Fact]
    public Task Routes_and_paths_under_secret_names_are_not_secrets() => Test("""
        class Routes
        {
            const string ResetPassword = "/users/reset-password";
            const string ChangePassword = "account/change-password";
            const string Token = "api/tokens/{id}";
            const string Passwords = "/passwords/{userId}/history";
            string password = "/";
        }
        """).RunAsync();

    [Fact]
    public Task Public_key_tokens_are_public() => Test("""
        class Assemblies
        {
            const string PublicKeyToken = "31bf3856ad364e35";
            string MicrosoftPublicKeyToken = "b03f5f7f11d50a3a";
            string _publicKeyToken = "cc7b13ffcd2ddd51";
        }
        """).RunAsync();

    [Fact]
    public Task Auth_names_hold_a_secret_when_the_value_looks_random_and_long() => Test($$"""
        using System.Collections.Generic;
        class Client
        {
            string auth = {|#0:"{{RandomKey}}"|};
            string p_auth = {|#1:"{{RandomKey}}"|};
            string authToken = {|#2:"{{Synthetic.Body(12)}}"|};
            Dictionary<string, string> Headers() => new() { ["x-auth"] = {|#3:"{{RandomKey}}"|} };
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Secret", "\u2026(24 chars)"),
            Diagnostic(Id).At(1).WithArguments("Secret", "\u2026(24 chars)"),
            Diagnostic(Id).At(2).WithArguments("Token", "\u2026(12 chars)"),
            Diagnostic(Id).At(3).WithArguments("Secret", "\u2026(24 chars)")).RunAsync();

    [Fact]
    public Task Auth_names_with_short_plain_or_descriptive_values_are_not_secrets() => Test($$"""
        class Client
        {
            string auth = "Bearer";
            string auth2 = "{{Synthetic.Body(12)}}";
            string authMode = "{{RandomKey}}";
            string AuthScheme = "{{RandomKey}}";
            string author = "{{RandomKey}}";
            string authority = "{{RandomKey}}";
            string OAuthClientId = "{{RandomKey}}";
            string auth_url = "{{RandomKey}}";
        }
        """).RunAsync();

    [Fact]
    public Task Comparisons_with_a_literal_under_a_secret_name_are_reported() => Test($$"""
        class Server
        {
            bool Check(string authToken, string apiKey, string token, string password) =>
                authToken == {|#0:"{{RandomKey}}"|}
                || {|#1:"{{RandomKey}}"|}.Equals(apiKey)
                || string.Equals(token, {|#2:"{{RandomKey}}"|})
                || apiKey.Equals({|#3:"{{RandomKey}}"|})
                || {|#4:"hunter2"|} != password;
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Token", "\u2026(24 chars)"),
            Diagnostic(Id).At(1).WithArguments("API key", "\u2026(24 chars)"),
            Diagnostic(Id).At(2).WithArguments("Token", "\u2026(24 chars)"),
            Diagnostic(Id).At(3).WithArguments("API key", "\u2026(24 chars)"),
            Diagnostic(Id).At(4).WithArguments("Password", "\u2026(7 chars)")).RunAsync();

    [Fact]
    public Task Comparisons_with_other_names_or_plain_values_are_not_reported() => Test($$"""
        using System;
        class Server
        {
            bool Check(string userName, string token, string scheme, string apiKey) =>
                userName == "{{RandomKey}}"
                || string.Equals(scheme, "{{RandomKey}}", StringComparison.Ordinal)
                || token == "Bearer"
                || "{{RandomKey}}".Equals(scheme)
                || apiKey == "OPENAI_API_KEY"
                || string.Equals(apiKey, "", StringComparison.Ordinal);
        }
        """).RunAsync();

    [Fact]
    public Task Compound_assignments_and_setters_go_by_the_assigned_name() => Test($$"""
        class Client
        {
            string _secret = "";
            string _apiKey = "";
            string? _password;
            public string ApiKey { get => _apiKey; set { _apiKey = {|#0:"{{RandomKey}}"|}; } }
            void Build()
            {
                _secret += {|#1:"{{RandomKey}}"|};
                _password ??= {|#2:"letmein"|};
            }
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("API key", "\u2026(24 chars)"),
            Diagnostic(Id).At(1).WithArguments("Secret", "\u2026(24 chars)"),
            Diagnostic(Id).At(2).WithArguments("Password", "\u2026(7 chars)")).RunAsync();

    [Fact]
    public async Task Null_conditional_assignment_and_the_field_keyword_go_by_the_member_and_the_property()
    {
        var source = $$"""
            class Options { public string? token; public string? Name; }
            class Client
            {
                public string Secret { get; set => field = "{{RandomKey}}"; } = "";
                public string Label { get; set => field = "{{RandomKey}}"; } = "";
                void Set(Options? a)
                {
                    a?.token = "{{RandomKey}}";
                    a?.Name = "{{RandomKey}}";
                }
            }
            """;

        var diagnostics = await AnalyzeAsync(source, LanguageVersion.Preview);

        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(Id, d.Id));
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture).StartsWith("Secret", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture).StartsWith("Token", StringComparison.Ordinal));
    }

    // ---------------------------------------------------------------- issue 17: key=value text anywhere in a string

    [Fact]
    public Task Password_keys_anywhere_in_a_string_are_reported() => Test(""""
        class Texts
        {
            string A() => {|#0:"passwd=hunter2"|};
            string B() => {|#1:"user=agent&user_password=hunter2"|};
            string C() => {|#2:"login user-password=hunter2"|};
            string D() => {|#3:"userpassword=hunter2"|};
            string E() => {|#4:"{\"user\": \"agent\", \"password\": \"hunter2\"}"|};
            string F() => {|#5:"\u001bPassword=hunter2"|};
            string G() => {|#6:@"Server=db;Password='S3cr""t'"|};
            string H() => {|#7:"""Host=db;Username=agent;Pwd=hunter2"""|};
        }
        """").Expect(
            Diagnostic(Id).At(0).WithArguments("Connection string password", "\u2026(7 chars)"),
            Diagnostic(Id).At(1).WithArguments("Connection string password", "\u2026(7 chars)"),
            Diagnostic(Id).At(2).WithArguments("Connection string password", "\u2026(7 chars)"),
            Diagnostic(Id).At(3).WithArguments("Connection string password", "\u2026(7 chars)"),
            Diagnostic(Id).At(4).WithArguments("Connection string password", "\u2026(7 chars)"),
            Diagnostic(Id).At(5).WithArguments("Connection string password", "\u2026(7 chars)"),
            Diagnostic(Id).At(6).WithArguments("Connection string password", "\u2026(6 chars)"),
            Diagnostic(Id).At(7).WithArguments("Connection string password", "\u2026(7 chars)")).RunAsync();

    [Fact]
    public Task Random_values_under_other_secret_keys_anywhere_in_a_string_are_reported() => Test($$"""
        class Texts
        {
            string Query() => {|#0:"https://api.contoso.com/v1/items?page=2&token={{RandomKey}}"|};
            string Pair() => {|#1:"Secret={{RandomKey}}"|};
            string Yaml() => {|#2:"api_key: {{RandomKey}}"|};
            string Several() => {|#3:"user=agent;client_secret={{RandomKey}};scope=api"|};
            string Auth() => {|#4:"x-auth={{RandomKey}}"|};
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Token", "\u2026(24 chars)"),
            Diagnostic(Id).At(1).WithArguments("Secret", "\u2026(24 chars)"),
            Diagnostic(Id).At(2).WithArguments("API key", "\u2026(24 chars)"),
            Diagnostic(Id).At(3).WithArguments("Client secret", "\u2026(24 chars)"),
            Diagnostic(Id).At(4).WithArguments("Secret", "\u2026(24 chars)")).RunAsync();

    [Fact]
    public Task Key_value_text_without_a_hardcoded_secret_is_not_reported() => Test($$"""
        class Texts
        {
            string Assembly() => "System.Web, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a";
            string Format() => "token={0}&user={1}";
            string Empty() => "token=&user=agent";
            string OAuth() => "grant_type=client_credentials&response_type=token&token_type=Bearer";
            string Plain() => "Secret=short";
            string Described() => "secretName={{RandomKey}}";
            string Message() => "Invalid token: expected a JWT";
            string Counts() => "max_tokens: 1024";
            string Search() => "https://contoso.com/search?q=password&page=2";
            string ShortAuth() => "auth={{Synthetic.Body(12)}}";
            string Bus() => "Endpoint=sb://agents.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey";
            string Port() => "Server=tcp://db.internal:1433;User=agent@corp;Password=@p";
            string Time() => "expires=12:30;token=none";
        }
        """).RunAsync();

    [Fact]
    public Task Url_passwords_with_any_url_legal_characters_are_reported() => Test("""
        class Urls
        {
            string Broker() => {|#0:"amqp://agent:With!$&'()*+,;=x@broker.internal"|};
            string Cache() => {|#1:"redis://:p%40ss~word@cache:6379"|};
            string Sql() => {|#2:"Server=tcp://db.internal:1433;User Id=agent;Password=Adm1n-2024"|};
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Password in URL", "\u2026(16 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password in URL", "\u2026(11 chars)"),
            Diagnostic(Id).At(2).WithArguments("Connection string password", "\u2026(10 chars)")).RunAsync();

    [Fact]
    public Task Urls_without_a_password_or_with_a_placeholder_are_not_reported() => Test("""
        class Urls
        {
            string User() => "ssh://git@github.com/org/repo.git";
            string Template() => "amqp://{user}:{password}@broker";
            string Example() => "postgres://user:example@localhost/db";
            string Mail() => "mailto:agent@contoso.com";
            string Port() => "http://localhost:8080/@scope/package";
        }
        """).RunAsync();

    // ---------------------------------------------------------------- issue 17: secrets through constants, fields, locals and concatenation

    [Fact]
    public Task Values_reaching_a_credential_through_a_constant_field_or_local_are_reported() => TestWithStubs($$"""
        using System.Net;
        using System.ClientModel;
        class Mail
        {
            const string secret = "hunter22";
            static readonly string SmtpSecret = "Tr0ub4dor";
            const string KeyConst = "{{AzureKey}}";
            NetworkCredential A() => new NetworkCredential("agent", {|#0:secret|});
            NetworkCredential B() => new NetworkCredential("agent", {|#1:SmtpSecret|});
            NetworkCredential C()
            {
                var relay = "letmein!";
                return new NetworkCredential("agent", {|#2:relay|});
            }
            ApiKeyCredential D() => new ApiKeyCredential({|#3:KeyConst|});
            NetworkCredential E() => new NetworkCredential { UserName = "agent", Password = {|#4:SmtpSecret|} };
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Password", "\u2026(8 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(9 chars)"),
            Diagnostic(Id).At(2).WithArguments("Password", "\u2026(8 chars)"),
            Diagnostic(Id).At(3).WithArguments("API key", "\u2026(32 chars)"),
            Diagnostic(Id).At(4).WithArguments("Password", "\u2026(9 chars)")).RunAsync();

    [Fact]
    public Task Values_from_parameters_calls_configuration_other_types_or_several_assignments_are_not_followed() => TestWithStubs("""
        using System;
        using System.Net;
        using Microsoft.Extensions.Configuration;
        class Other { public static string Shared = "hunter22"; }
        class Mail(IConfiguration configuration)
        {
            string _rotating = "first-one";
            void Rotate() => _rotating = "second-one";
            NetworkCredential A(string password) => new NetworkCredential("agent", password);
            NetworkCredential B() => new NetworkCredential("agent", Environment.GetEnvironmentVariable("SMTP_PASSWORD"));
            NetworkCredential C() => new NetworkCredential("agent", configuration["Smtp:Password"]);
            NetworkCredential D() => new NetworkCredential("agent", Other.Shared);
            NetworkCredential E()
            {
                var relay = "letmein!";
                if (DateTime.Now.Hour > 12) relay = Environment.GetEnvironmentVariable("RELAY") ?? "";
                return new NetworkCredential("agent", relay);
            }
            NetworkCredential F() => new NetworkCredential { UserName = "agent", Password = configuration["Smtp:Password"] };
            NetworkCredential G() => new NetworkCredential("agent", _rotating + "");
        }
        """).RunAsync();

    [Fact]
    public Task Credential_members_set_in_a_statement_from_a_constant_field_or_local_are_reported() => TestWithStubs($$"""
        using System.Net;
        class Mail
        {
            const string Relay = "hunter22";
            static readonly string Fallback = "Tr0ub4dor";
            const string KeyConst = "{{AzureKey}}";
            NetworkCredential A()
            {
                var credential = new NetworkCredential();
                credential.UserName = "agent";
                credential.Password = {|#0:Relay|};
                return credential;
            }
            void B(NetworkCredential credential) => credential.Password = {|#1:Fallback|};
            void C(Options options) => options.ApiKey = {|#2:KeyConst|};
        }
        class Options { public string ApiKey { get; set; } = ""; }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Password", "\u2026(8 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(9 chars)"),
            Diagnostic(Id).At(2).WithArguments("API key", "\u2026(32 chars)")).RunAsync();

    [Fact]
    public Task Credential_members_set_in_a_statement_from_inputs_or_other_members_are_not_reported() => TestWithStubs("""
        using System;
        using System.Net;
        using Microsoft.Extensions.Configuration;
        class Mail(IConfiguration configuration)
        {
            const string Relay = "hunter22";
            const string Hint = "ask the team";
            void A(NetworkCredential credential, string password) => credential.Password = password;
            void B(NetworkCredential credential) => credential.Password = configuration["Smtp:Password"];
            void C(NetworkCredential credential) => credential.Password = Environment.GetEnvironmentVariable("SMTP_PASSWORD");
            void D(NetworkCredential credential) => credential.UserName = Relay;
            void E(Options options) => options.Hint = Relay;
            void F(Options options) => options.ApiKey = Hint;
            NetworkCredential G() => new NetworkCredential { Password = Environment.GetEnvironmentVariable("SMTP_PASSWORD") };
        }
        class Options { public string ApiKey { get; set; } = ""; public string Hint { get; set; } = ""; }
        """).RunAsync();

    [Fact]
    public Task A_constant_already_reported_at_its_declaration_is_not_reported_again() => Test("""
        using System.Net;
        class Mail
        {
            const string SmtpPassword = {|#0:"hunter22"|};
            NetworkCredential A() => new NetworkCredential("agent", SmtpPassword);
            string Db() => $"Server=db;User Id=agent;Password={SmtpPassword}";
            string Db2() => "Server=db;User Id=agent;Password=" + SmtpPassword;
        }
        """).Expect(Diagnostic(Id).At(0).WithArguments("Password", "\u2026(8 chars)")).RunAsync();

    [Fact]
    public Task Assembled_connection_strings_and_urls_are_reported_at_their_first_literal() => Test("""
        class Db
        {
            const string Secret = "S3cr3t!x";
            static readonly string BrokerSecret = "Br0ker-pass";
            string A() => {|#0:"Server=db;User Id=agent;Password="|} + "Adm1n-2024";
            string B() => {|#1:"Server=db;User Id=agent;Password="|} + Secret + ";Encrypt=true";
            string C() => string.Format({|#2:"Server=db;User Id=agent;Password={0}"|}, Secret);
            string D() => $"{|#3:Server=db;User Id=agent;Password=|}{Secret}";
            string E() => $"{|#4:amqp://agent:|}{BrokerSecret}@broker.internal";
            string F() => "Host=db;" + "Username=agent;" + {|#5:"Pwd=hunter22"|};
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Connection string password", "\u2026(10 chars)"),
            Diagnostic(Id).At(1).WithArguments("Connection string password", "\u2026(8 chars)"),
            Diagnostic(Id).At(2).WithArguments("Connection string password", "\u2026(8 chars)"),
            Diagnostic(Id).At(3).WithArguments("Connection string password", "\u2026(8 chars)"),
            Diagnostic(Id).At(4).WithArguments("Password in URL", "\u2026(11 chars)"),
            Diagnostic(Id).At(5).WithArguments("Connection string password", "\u2026(8 chars)")).RunAsync();

    [Fact]
    public Task Assembled_strings_with_values_from_parameters_calls_or_configuration_are_not_reported() => Test("""
        using System;
        using Microsoft.Extensions.Configuration;
        class Db(IConfiguration configuration)
        {
            const string Host = "db.internal";
            string A(string password) => "Server=db;User Id=agent;Password=" + password;
            string B() => "Server=db;Password=" + Environment.GetEnvironmentVariable("DB_PASSWORD") + ";";
            string C() => string.Format("Server={0};Password={1}", Host, configuration["Db:Password"]);
            string D(string password) => $"Server={Host};User Id=agent;Password={password}";
            string E() => "Hello " + Host + "!";
            string F() => "Server=" + Host + ";Database=agents";
            string G() => "Password=" + "";
            string H() => $"Server=db;Password={GetPassword()}";
            string GetPassword() => configuration["Db:Password"] ?? "";
        }
        """).RunAsync();

    [Fact]
    public Task Literal_concatenations_under_a_secret_name_are_reported() => Test($$"""
        class Keys
        {
            string secret = {|#0:"{{Synthetic.Body(12)}}"|} + "{{Synthetic.Body(12, stride: 11)}}";
            string password = {|#1:"hun"|} + "ter2";
            string greeting = "Hello, " + "world";
            string apiKeyName = "OPENAI" + "_API_KEY";
        }
        """).Expect(
            Diagnostic(Id).At(0).WithArguments("Secret", "\u2026(24 chars)"),
            Diagnostic(Id).At(1).WithArguments("Password", "\u2026(7 chars)")).RunAsync();

    [Fact]
    public async Task A_long_concatenation_is_judged_once_at_its_first_literal()
    {
        var parts = string.Join(" + ", Enumerable.Repeat("\"Option=1;\"", 3000));
        var source = "class Db { string Connection() => " + parts + " + \"Password=\" + \"hunter22\"; }";

        var diagnostics = await AnalyzeAsync(source);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("Connection string password '\u2026(8 chars)' is hardcoded; load it from the environment, configuration or a secret store", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(source.IndexOf("\"Option=1;\"", StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
    }

    // ---------------------------------------------------------------- the message never holds the secret

    [Fact]
    public async Task No_message_or_property_contains_the_secret()
    {
        var password = "Tr0ub4dor&3-horse";
        var secrets = new[]
        {
            OpenAIKey, GitHubKey, AzureKey, password, "AKIA" + Synthetic.Body(16, Synthetic.Base32), Synthetic.Jwt(),
            Synthetic.Body(64, Synthetic.Base64), "hf_" + Synthetic.Body(34, Synthetic.Letters),
        };
        var source = $$"""
            using System.Net;
            using OpenAI;
            class Agent
            {
                OpenAIClient Client() => new OpenAIClient({{Lit(secrets[0])}});
                const string GitHub = {{Lit(secrets[1])}};
                string _weatherApiKey = {{Lit(secrets[2])}};
                NetworkCredential Mail() => new NetworkCredential("agent", {{Lit(secrets[3])}});
                string Aws() => {{Lit(secrets[4])}};
                string Jwt() => {{Lit(secrets[5])}};
                string Pem() => {{Lit(Synthetic.Pem("PRIVATE KEY"))}};
                string Hf() => {{Lit("Token: " + secrets[7])}};
                string Db() => {{Lit("Server=db;User Id=agent;Password=" + password + ";")}};
                const string Pw = {{Lit(password)}};
                string Assembled() => "Server=db;User Id=agent;Password=" + Pw;
                string Broker() => $"amqp://agent:{Pw}@broker";
                string Query() => {{Lit("https://api.contoso.com/v1?token=" + secrets[2])}};
            }
            """;
        var appsettings = "{ \"OpenAI\": { \"ApiKey\": \"" + OpenAIKey + "\" }, \"Smtp\": { \"Password\": \"" + password + "\" } }";

        var diagnostics = await AnalyzeAsync(source, ("appsettings.json", appsettings));

        Assert.Equal(14, diagnostics.Length);
        foreach (var diagnostic in diagnostics)
        {
            var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
            var shown = message + "\n" + string.Join("\n", diagnostic.Properties.Values);

            // The PEM block's secret is its body (secrets[6]): its BEGIN line is public.
            foreach (var secret in secrets)
            {
                // No run of five characters of a secret beyond its public four-character prefix may appear.
                for (var i = 4; i + 5 <= secret.Length; i++)
                {
                    var window = secret.Substring(i, 5);
                    Assert.False(shown.Contains(window, StringComparison.Ordinal), $"'{message}' shows part of a secret ('{window}')");
                }
            }
        }
    }

    private static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source, params (string Path, string Text)[] additionalFiles)
        => AnalyzeAsync(source, compiles: true, additionalFiles);

    private static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source, LanguageVersion languageVersion)
        => AnalyzeAsync(source, compiles: true, languageVersion);

    private static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source, bool compiles, params (string Path, string Text)[] additionalFiles)
        => AnalyzeAsync(source, compiles, LanguageVersion.Latest, additionalFiles);

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(
        string source, bool compiles, LanguageVersion languageVersion, params (string Path, string Text)[] additionalFiles)
    {
        var compilation = CSharpCompilation.Create(
            "Secrets",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(languageVersion), path: "/src/Agent.cs") },
            TestReferences.Default,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(compiles, !errors.Any());
        var options = new AnalyzerOptions(additionalFiles.Select(f => (AdditionalText)new InMemoryText("/src/" + f.Path, f.Text)).ToImmutableArray());
        return await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new HardcodedSecretAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync();
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    [Fact]
    public Task A_static_readonly_field_of_a_static_class_becomes_a_property_so_a_missing_variable_is_not_a_type_initializer_failure() => Test($$"""
        using System;
        static class Program
        {
            static readonly string Key = [|"{{OpenAIKey}}"|];
            public static int Main() => Key.Length;
        }
        """).WithFix(Env, """
        using System;
        static class Program
        {
            static string Key => Environment.GetEnvironmentVariable("OPENAI_API_KEY") ?? throw new InvalidOperationException("Set the OPENAI_API_KEY environment variable.");
            public static int Main() => Key.Length;
        }
        """).RunAsync();

    [Fact]
    public Task A_static_field_that_is_assigned_elsewhere_or_holds_more_than_the_secret_stays_a_field() => Test($$"""
        using System;
        using System.Net;
        static class Program
        {
            static readonly string Key = [|"{{OpenAIKey}}"|];
            static readonly NetworkCredential Credential = new NetworkCredential("bot", [|"{{GitHubKey}}"|]);
            static Program()
            {
                if (Environment.UserInteractive)
                {
                    Key = Key.Trim();
                }
            }
        }
        """).WithFix(Env, """
        using System;
        using System.Net;
        static class Program
        {
            static readonly string Key = Environment.GetEnvironmentVariable("OPENAI_API_KEY") ?? throw new InvalidOperationException("Set the OPENAI_API_KEY environment variable.");
            static readonly NetworkCredential Credential = new NetworkCredential("bot", Environment.GetEnvironmentVariable("GITHUB_TOKEN") ?? throw new InvalidOperationException("Set the GITHUB_TOKEN environment variable."));
            static Program()
            {
                if (Environment.UserInteractive)
                {
                    Key = Key.Trim();
                }
            }
        }
        """).RunAsync();
}

/// <summary>
/// Artificial key material: a deterministic walk over an alphabet (every <c>stride</c>-th character), so values have the
/// right alphabet, length and entropy, read as obviously synthetic, and never match a real key.
/// </summary>
internal static class Synthetic
{
    public const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    public const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public const string LowerAlphanumeric = "abcdefghijklmnopqrstuvwxyz0123456789";
    public const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    public const string Hex = "0123456789abcdef";
    public const string Base64 = Alphanumeric + "+/";
    public const string Base64Url = Alphanumeric + "-_";

    public static string Body(int length, string alphabet = Alphanumeric, int stride = 7)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[((i * stride) + 3) % alphabet.Length]);
        }

        return builder.ToString();
    }

    /// <summary>A JWT-shaped token: a standard HS256 header, a tiny claim set and an artificial signature.</summary>
    public static string Jwt()
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Encode("""{"alg":"HS256","typ":"JWT"}""") + "." + Encode("""{"sub":"agentsafety-synthetic","iat":1700000000}""") + "." + Body(43, Base64Url);
    }

    /// <summary>A PEM block of <paramref name="label"/> with an artificial body of 64-character lines.</summary>
    public static string Pem(string label)
        => "-----BEGIN " + label + "-----\n" + Body(64, Base64) + "\n" + Body(64, Base64, stride: 11) + "\n" + Body(40, Base64, stride: 13) + "==\n-----END " + label + "-----";
}
