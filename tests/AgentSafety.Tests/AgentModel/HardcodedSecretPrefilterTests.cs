using System.Collections.Concurrent;
using System.Collections.Immutable;
using AgentSafety.Analyzers;
using AgentSafety.Analyzers.AgentModel;
using AgentSafety.Analyzers.Rules;
using AgentSafety.Analyzers.Secrets;
using AgentSafety.Tests.Verification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentSafety.Tests.AgentModel;

/// <summary>
/// AGS001's shortcuts (issue 19's cost): each answers as the full question it spares would, on inputs of every kind.
/// </summary>
public class HardcodedSecretPrefilterTests
{
    private const string AttributeSource = """
        using System;
        [assembly: Vault("assembly-wide")]
        [module: Vault("module-wide")]
        [AttributeUsage(AttributeTargets.All, AllowMultiple = true)]
        sealed class VaultAttribute : Attribute
        {
            public VaultAttribute(string passphrase) { }
            public VaultAttribute(int slot, string route) { }
            public string? Password { get; set; }
        }
        [Vault("on-type")]
        class Holder<[Vault("on-type-parameter")] T>
        {
            [Vault("on-method")]
            void M<[Vault("on-method-type-parameter")] U>([Vault("on-parameter")] string p, [Vault(2, "second")] int q)
            {
                [Vault("on-local-function")]
                static void Local([Vault("on-local-parameter")] int x) { }
                Func<int, int> f = [Vault("on-lambda")] ([Vault("on-lambda-parameter")] int y) => y;
            }
            [return: Vault("on-return")]
            string R() => "";
            [Vault("on-property")]
            public string Prop { get; set; } = "";
            [field: Vault("on-backing-field")]
            public string Backed { get; set; } = "";
            public string this[[Vault("on-indexer-parameter")] int i] => "";
            [Vault("on-field")]
            int _field, _other;
            [Vault("on-event")]
            event EventHandler? Changed;
            [Vault(1, 2, 3)]
            void WrongArguments() { }
            [Missing("unresolved")]
            void Unresolved() { }
            [Vault("on-constructor")]
            Holder() { }
        }
        [Vault("on-delegate")]
        [return: Vault("on-delegate-return")]
        delegate int Handler([Vault("on-delegate-parameter")] int a);
        enum Kind { [Vault("on-enum-member")] One }
        record Person([Vault("on-record-parameter")] string Name);
        """;

    [Fact]
    public void Attribute_constructors_read_from_the_owner_are_the_ones_binding_the_attribute_gives()
    {
        var tree = CSharpSyntaxTree.ParseText(AttributeSource, new CSharpParseOptions(LanguageVersion.Latest), path: "/src/Attributes.cs");
        var compilation = CSharpCompilation.Create("Attributes", new[] { tree }, TestReferences.Default,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        compilation.GetDiagnostics();

        // The owner each attribute is seen with is the one the driver hands a syntax node action.
        var recorder = new AttributeOwners();
        var diagnostics = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(recorder)).GetAnalyzerDiagnosticsAsync().Result;
        Assert.Empty(diagnostics);

        // The driver analyzes a compilation of its own: its symbols are the ones the owners are.
        var analyzed = recorder.Compilation!;
        var model = analyzed.GetSemanticModel(tree);
        var attributes = tree.GetRoot().DescendantNodes().OfType<AttributeSyntax>().ToList();
        Assert.Equal(attributes.Count, recorder.Owners.Count);
        var found = new List<string>();
        foreach (var attribute in attributes)
        {
            var label = attribute.ArgumentList?.Arguments.Select(a => a.ToString()).LastOrDefault() ?? attribute.ToString();
            var bound = model.GetSymbolInfo(attribute).Symbol;
            if (AppliedAttributes.Find(attribute, recorder.Owners[attribute], analyzed, out var constructor))
            {
                Assert.True(SymbolEqualityComparer.Default.Equals(bound, constructor), $"{label}: {constructor} read, {bound} bound");
                found.Add(label);
            }
        }

        // Declarations, their parameters, type parameters and return values, the assembly and the module, and
        // attributes that did not bind are read from their symbols; only what belongs to nested code is bound.
        string[] expected =
        [
            "\"assembly-wide\"", "\"module-wide\"", "\"on-type\"", "\"on-type-parameter\"", "\"on-method\"",
            "\"on-method-type-parameter\"", "\"on-parameter\"", "\"second\"", "\"on-return\"", "\"on-property\"",
            "\"on-indexer-parameter\"", "\"on-field\"", "\"on-event\"", "3", "\"unresolved\"", "\"on-constructor\"",
            "\"on-delegate\"", "\"on-delegate-return\"", "\"on-delegate-parameter\"", "\"on-enum-member\"",
        ];
        Assert.All(expected, label => Assert.Contains(label, found));
    }

    /// <summary>Names of every kind: secret words anywhere, split by case, separators and digits, near misses.</summary>
    private static readonly string[] Names =
    [
        "password", "Password", "PASSWORD", "dbPassword", "db_password", "user-password", "userpassword", "Passwd", "pwd", "PWD1",
        "passphrase", "PassPhrase", "secret", "clientSecret", "client_secret", "AWS_SECRET_ACCESS_KEY", "secretKey", "apiKey",
        "ApiKey", "api_key", "API-KEY", "x-api-key", "openAiApiKey", "accessKey", "access_key", "token", "Token", "accessToken",
        "auth_token", "authToken", "bearerToken", "maxTokens", "tokenizer", "credential", "Credentials", "NetworkCredential",
        "privateKey", "private_key", "PublicKeyToken", "auth", "p_auth", "x-auth", "author", "authorization", "Authorization",
        "name", "value", "uri", "endpoint", "deploymentName", "modelId", "s", "x", "_", "", "a1", "p4ssword", "pass word",
        "pa", "pw", "se", "to", "sec ret", "tok_en", "ap-ik-ey", "épassword", "passwörd", "Keı", "kelvinK",
        "retry", "apikeyName", "secretName", "tokenCount", "passwordHash", "ClientSecretCredential", "__token__", "1password",
        "password1", "passwordpassword", "PaSsWoRd", "mySecretValue", "pwdx", "xpwd", "toke", "oken", "credentia",
    ];

    public static TheoryData<string?> SecretWordSettings => new() { null, "password, key", "sk, token, p", "x-token, k9" };

    [Theory]
    [MemberData(nameof(SecretWordSettings))]
    public void Secret_entry_search_by_character_pairs_answers_as_the_plain_search(string? words)
    {
        var names = SecretSettings.Parse(words, null, null).Names;
        var random = new Random(20261203);
        const string alphabet = "paswordtkenicrlyPASWORDTKEN_-.:0123456789 ";
        var inputs = Names.ToList();
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(0, 24);
            inputs.Add(new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
        }

        var held = 0;
        foreach (var name in inputs)
        {
            var plain = names.MayHoldEntryPlain(name);
            Assert.True(plain == names.MayHoldEntry(name), $"'{name}' ({words ?? "default words"}): the plain search says {plain}");
            held += plain ? 1 : 0;
        }

        // Both answers occur: the comparison is not one of two constant functions.
        Assert.InRange(held, 10, inputs.Count - 10);
    }

    /// <summary>Values of every kind a literal holds, the short and weak ones included.</summary>
    private static readonly string[] Values =
    [
        "a", "x1", "hunter2", "swordfish", "example", "invalid_key", "changeme", "<your-key>", "${API_KEY}", "{0}", "%KEY%",
        "sk-...", "xxxxxxxxxxxx", "OPENAI_API_KEY", "Authorization", "OpenAI:ApiKey", "/users/reset-password", "@p", "?",
        "Bearer abcdef0123456789abcdef", "Basic dXNlcjpwYXNzd29yZA==", "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz",
        "Tr0ub4dor&3", "correct horse", "http://localhost", "abc123xyz-456def789", "aZ9bY8cX7dW6eV5fU4gT3hS2", "none", "null",
        "pk_live_0123456789abcdef", "q7Hk2mP9xL4vN8rT3wZ6yB1cD5fG0jS", "12345678", "token with spaces in it",
    ];

    [Fact]
    public void A_context_that_cannot_classify_a_value_classifies_none()
    {
        var detector = new SecretDetector(SecretSettings.Default);
        var sinks = new[]
        {
            CredentialSink.None, new CredentialSink(CredentialKind.ApiKey), new CredentialSink(CredentialKind.Password),
            new CredentialSink(CredentialKind.AuthorizationHeader), new CredentialSink(CredentialKind.AwsSecretAccessKey),
        };
        int skipped = 0, classified = 0;
        foreach (var name in Names.Append(null))
        {
            foreach (var sink in sinks)
            {
                var context = new SecretContext(name, sink);
                foreach (var value in Values)
                {
                    var found = detector.TryClassify(value, context, out _);
                    classified += found ? 1 : 0;
                    if (!detector.MayClassify(context))
                    {
                        skipped++;
                        Assert.False(found, $"'{value}' under {name ?? "no name"}, sink {sink.Kind}");
                    }
                }
            }
        }

        Assert.True(skipped > 0 && classified > 0, $"{skipped} skipped, {classified} classified");
    }

    [Fact]
    public void The_length_and_space_test_answers_as_the_substring_test_it_replaces()
    {
        // The former test: no space, or one space after the third character and no whitespace after it.
        static bool Reference(string value)
        {
            if (value.Length > 4096 || (value.Length < 3 && !Chars.IsAlphanumeric(value[0]) && (value.Length == 1 || !Chars.IsAlphanumeric(value[1]))))
            {
                return false;
            }

            var space = value.IndexOf(' ');
            return space < 0 || (value.IndexOf(' ', space + 1) < 0 && space > 2 && !Chars.HasWhiteSpace(value.Substring(space + 1)));
        }

        var inputs = Values.Concat(["a b", "ab cd", "abc d", "abc\tdef", "abcd ef\n", "abcd ef\u00a0g", "abcd ef", new string('k', 4097), new string('k', 4096), ",", "\r\n", " x", "x ", "Bearer  x"]).ToList();
        Assert.Contains(inputs, v => Reference(v));
        Assert.Contains(inputs, v => !Reference(v));
        foreach (var value in inputs)
        {
            Assert.True(Reference(value) == HardcodedSecretAnalyzer.MayHoldSecretByLength(value), $"'{value}'");
            Assert.Equal(Reference(value) && !Placeholders.IsTemplate(value), HardcodedSecretAnalyzer.MayHoldSecretInContext(value));
        }
    }

    [Theory]
    [InlineData("Server=db;Password=", true)]
    [InlineData("Server=db;Password='", true)]
    [InlineData("Server=db;Password= \"", true)]
    [InlineData("api_key: ", true)]
    [InlineData("amqp://agent:", true)]
    [InlineData("token=", true)]
    [InlineData("Unknown tool: ", true)]
    [InlineData("id=", true)]
    [InlineData("Password=:", true)]
    [InlineData(" '", true)]
    [InlineData("' ", false)]
    [InlineData("Hello ", false)]
    [InlineData("Password", false)]
    [InlineData("Password=x", false)]
    [InlineData("Password='x'", false)]
    public void A_text_part_that_a_secret_key_ends_passes_the_separator_test(string text, bool expected)
    {
        var detector = new SecretDetector(SecretSettings.Default);
        var composite = new CompositeText();
        composite.AppendLiteral(text);
        var mayEnd = HardcodedSecretAnalyzer.MayEndWithSeparator(text);
        Assert.True(!composite.EndsWithSecretKey(detector) || mayEnd, $"'{text}' ends with a secret key, the separator test says no");
        Assert.Equal(expected, mayEnd);
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class AttributeOwners : DiagnosticAnalyzer
    {
        public ConcurrentDictionary<AttributeSyntax, ISymbol?> Owners { get; } = new();

        public Compilation? Compilation { get; private set; }

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(new DiagnosticDescriptor("TEST01", "t", "t", "t", DiagnosticSeverity.Hidden, true));

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(
                c =>
                {
                    Compilation = c.SemanticModel.Compilation;
                    Owners[(AttributeSyntax)c.Node] = c.ContainingSymbol;
                },
                SyntaxKind.Attribute);
        }
    }

    [Fact]
    public void The_rule_is_off_in_some_tree_exactly_when_a_tree_says_so()
    {
        var trees = new[] { "class A { }", "class B { }", "class C { }" }
            .Select((source, i) => CSharpSyntaxTree.ParseText(source, path: $"/src/F{i}.cs")).ToArray();
        var values = new ReportDiagnostic?[] { null, ReportDiagnostic.Suppress, ReportDiagnostic.Warn, ReportDiagnostic.Default };
        var offSomewhere = 0;
        var cases = 0;
        foreach (var noWarn in new[] { false, true })
        {
            foreach (var global in values)
            {
                foreach (var first in values)
                {
                    foreach (var last in values)
                    {
                        foreach (var withProvider in new[] { true, false })
                        {
                            var perTree = new Dictionary<SyntaxTree, ReportDiagnostic>();
                            if (first is { } f)
                            {
                                perTree[trees[0]] = f;
                            }

                            if (last is { } l)
                            {
                                perTree[trees[2]] = l;
                            }

                            var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary);
                            if (noWarn)
                            {
                                options = options.WithSpecificDiagnosticOptions(new[] { KeyValuePair.Create(RuleIds.HardcodedSecret, ReportDiagnostic.Suppress) });
                            }

                            if (withProvider)
                            {
                                options = options.WithSyntaxTreeOptionsProvider(new TreeOptions(perTree, global));
                            }

                            var compilation = CSharpCompilation.Create("Off", trees, options: options);
                            var expected = trees.Any(t => RuleSeverity.IsOff(compilation, t, RuleIds.HardcodedSecret, CancellationToken.None));
                            Assert.Equal(expected, RuleSeverity.IsOffInAnyTree(compilation, RuleIds.HardcodedSecret, CancellationToken.None));
                            offSomewhere += expected ? 1 : 0;
                            cases++;
                        }
                    }
                }
            }
        }

        Assert.InRange(offSomewhere, 1, cases - 1);
    }


    [Fact]
    public void The_key_format_scan_skips_only_text_without_a_long_enough_run()
    {
        // Every string literal of the repository's sources and tests (the tests hold a sample of every format), alone,
        // with spaces put in, and inside a sentence.
        var values = Directory.EnumerateFiles(RepositoryPaths.Combine("src"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(RepositoryPaths.Combine("tests"), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot().DescendantTokens())
            .Where(token => token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.InterpolatedStringTextToken)
                            || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
            .Select(token => token.ValueText)
            .Where(value => value.Length >= SecretFormats.MinimumLength)
            .Append(SpacedPem())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var found = 0;
        var skipped = 0;
        foreach (var value in values)
        {
            // The finding alone between spaced text: its own run is the longest.
            var alone = SecretFormats.Scan(value, 0, value.Length, out var own)
                ? Spaced(value.Substring(0, own.Start), 1) + " " + value.Substring(own.Start, own.Length) + " " + Spaced(value.Substring(own.Start + own.Length), 1)
                : value;
            foreach (var variant in new[] { value, alone, Spaced(value, 9), Spaced(value, 10), Spaced(value, 11), "the key is " + value + " here", "a\tb " + value })
            {
                var expected = SecretFormats.Scan(variant, 0, variant.Length, out var expectedFinding);
                Assert.Equal(expected, SecretFormats.TryFind(variant, out var finding));
                Assert.Equal((expectedFinding.Start, expectedFinding.Length, expectedFinding.Kind), (finding.Start, finding.Length, finding.Kind));
                found += expected ? 1 : 0;
                skipped += variant.Length >= SecretFormats.MinimumLength && !SecretFormats.HasRun(variant, 0, variant.Length, SecretFormats.MinimumRun) ? 1 : 0;
            }
        }

        Assert.True(found > 50, $"{found} found");
        Assert.True(skipped > 50, $"{skipped} skipped");
    }

    [Theory]
    [InlineData("", 3, false)]
    [InlineData("abc", 3, true)]
    [InlineData("ab cd", 3, false)]
    [InlineData("ab cde", 3, true)]
    [InlineData("abc de", 3, true)]
    [InlineData("a bcd e", 3, true)]
    [InlineData("a b c d e f g h", 2, false)]
    [InlineData("a\tbcdefghij\nk", 10, false)]
    [InlineData("a\tbcdefghijk\nl", 10, true)]
    [InlineData("a b c d e f g h i j -----BEGIN", 10, true)]
    public void A_run_is_found_wherever_it_lies(string text, int length, bool expected)
    {
        var naive = false;
        for (var i = 0; i + length <= text.Length && !naive; i++)
        {
            naive = text.Substring(i, length).All(c => !Chars.IsWhiteSpace(c));
        }

        Assert.Equal(expected, naive);
        Assert.Equal(naive, SecretFormats.HasRun(text, 0, text.Length, length));
    }

    /// <summary>A private key whose longest run is its <c>-----BEGIN</c>: a spaced header, body lines of nine characters.</summary>
    private static string SpacedPem()
    {
        const string Base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var random = new Random(20260);
        var body = new System.Text.StringBuilder();
        for (var i = 0; i < 72; i++)
        {
            body.Append(Base64[random.Next(Base64.Length)]).Append((i + 1) % 9 == 0 ? "\n" : string.Empty);
        }

        return "-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----";
    }

    /// <summary><paramref name="value"/> with a space after every <paramref name="every"/> characters.</summary>
    private static string Spaced(string value, int every)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            text.Append(value[i]);
            if ((i + 1) % every == 0)
            {
                text.Append(' ');
            }
        }

        return text.ToString();
    }

    /// <summary>Severities per tree and for the whole compilation, as <c>.editorconfig</c> sections and a global configuration set them.</summary>
    private sealed class TreeOptions : SyntaxTreeOptionsProvider
    {
        private readonly Dictionary<SyntaxTree, ReportDiagnostic> _perTree;
        private readonly ReportDiagnostic? _global;

        public TreeOptions(Dictionary<SyntaxTree, ReportDiagnostic> perTree, ReportDiagnostic? global)
        {
            _perTree = perTree;
            _global = global;
        }

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => _perTree.TryGetValue(tree, out severity) && diagnosticId == RuleIds.HardcodedSecret;

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = _global ?? default;
            return _global is not null && diagnosticId == RuleIds.HardcodedSecret;
        }
    }
}
