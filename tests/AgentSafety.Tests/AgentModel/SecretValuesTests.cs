using AgentSafety.Analyzers.AgentModel;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SecretWords = AgentSafety.Analyzers.Secrets.SecretNames;

namespace AgentSafety.Tests.AgentModel;

/// <summary>
/// <see cref="Analyzers.AgentModel.Flows.SecretValues.MayReadSecret"/> reads each file's text once for parts of secret
/// words: it must answer as reading every token of the code does.
/// </summary>
public class SecretValuesTests
{
    private const string Code = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Shop
        {
            public sealed class Settings { public string ApiKey { get; set; } = ""; public string Endpoint { get; set; } = ""; }

            public sealed class Uses
            {
                private readonly Settings _settings = new();
                private readonly Dictionary<string, string> _values = new();

                public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(_values.Count);
                public string Key(KeyValuePair<string, string> pair) => pair.Key;
                public string Keyed() => _settings.ApiKey;
                public string FromEnvironment() => Environment.GetEnvironmentVariable("OPENAI_API_KEY") ?? "";
                public string Message() => "Enter your password to continue";
                public string Endpoint() => _settings.Endpoint;
                public int MaxTokens(int maxTokens) => maxTokens;
                public string Passed(string password) { Func<string> read = () => password; return read(); }
                // the apiKey in a comment is no read
                public string Commented() => "";
                public string Tokenizer(string accessToken, string nextPageToken) => nextPageToken;
                public string Access(string accessKey) => accessKey;
                public string Private(string private_key, string cacheKey) => cacheKey;
                public string Cancelled(CancellationToken passwordCancellationToken) => "";
                public string Configured(Func<string, string> configuration) => configuration("Smtp:api-key");
            }
        }
        """;

    private const string Escaped = """
        namespace Shop
        {
            public sealed class Escaped
            {
                public string Read(string \u0070assword) => password;
                public string Plain(string name) => name;
            }
        }
        """;

    [Fact]
    public void Code_that_may_read_a_secret_is_what_reading_its_tokens_finds()
    {
        var k = KnowledgeCompilation.Of(Code, Escaped);
        var secrets = k.Model.SecretValues;
        var roots = k.Compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes())
            .Where(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LambdaExpressionSyntax or PropertyDeclarationSyntax)
            .ToList();

        var expected = roots.Select(r => $"{r.SyntaxTree.FilePath}:{r.SpanStart}={secrets.Scan(r)}").ToList();
        var found = roots.Select(r => $"{r.SyntaxTree.FilePath}:{r.SpanStart}={secrets.MayReadSecret(r)}").ToList();

        Assert.Equal(expected, found);
        Assert.Contains(expected, e => e.EndsWith("=True", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.EndsWith("=False", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_strong_secret_word_holds_a_part_searched_for()
    {
        foreach (var word in SecretWords.SplitEntries(SecretWords.DefaultWords).Where(w => w != "auth"))
        {
            // Found by one of its parts at a place where that part may start a secret word (api_key: key after api).
            Assert.Contains(SecretNames.SecretWordParts, part =>
                word.IndexOf(part, StringComparison.OrdinalIgnoreCase) is var index and >= 0 && SecretNames.MayBeSecretWordAt(word, index, part));
        }
    }

    /// <summary>Places where the text around a part of a secret word looks like a secret read and is not, or is and hides it.</summary>
    private const string Tricky = """"
        namespace Shop
        {
            public sealed class Tricky
            {
                private const string Keys = "OpenAI:ApiKey";
                private const string Plain = "ApiKey";
                private const string Spaced = "the ApiKey here";
                private const string Escaped = "\x41piKey";
                private const string EscapedAfter = "apiKey\t";
                private const string EscapedSeparator = "next\x3Atoken";
                private const string EscapedSeparators = "page\x3Apassword" + "a\x3Asecret" + "Db\x5F\x5FPassword" + "\x3Atoken";
                private const string Quoted = "say \"password\" twice";
                private const string Verbatim = @"Smtp:Password";
                private const string VerbatimQuoted = @"a""token""b";
                private const string Raw = """password""";
                private const string Utf8 = "password"u8.Length > 0 ? "" : "";
                private const string Interpolated = $"password{1}";
                private const string Db = "Db__Password";
                private const string Dashed = "x-api-key";
                private const string Dotted = "Smtp.Password";
                private const string Long = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:password";
                private string @password = "";
                private string @class = "";
                private string tökenPassword = "";
                private string passwordö = "";
                private string PassÄword = "";
                private string ösecretName = "";
                private string secretName = "2secretName" + 1secret + 0xtoken;
                private string _apiKey = "";
                private int tokenCount = 1_000token;
                public string Value { get; } = "";
                public char C = 'k';
                // password in a comment, "apiKey" in a comment
                /// <param name="secret">the <c>secret</c> word in documentation</param>
                public string Read(string secret, int maxTokens, string nextPageToken, string secretName) => secret + secretName + nextPageToken + maxTokens + _apiKey + @password + @class;
        #if SECRET
                public string Hidden(string password) => password;
        #endif
                public string Unterminated = "password
            }
        }
        """";

    [Fact]
    public void The_text_around_a_part_settles_only_what_its_token_would()
    {
        var sources = new[] { Code, Tricky }
            .Concat(Directory.EnumerateFiles(RepositoryPaths.Combine("src"), "*.cs", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(RepositoryPaths.Combine("tests"), "*.cs", SearchOption.AllDirectories))
            .Where(s => !s.Contains("/obj/", StringComparison.Ordinal) && !s.Contains("/bin/", StringComparison.Ordinal))
            .Select(s => s.EndsWith(".cs", StringComparison.Ordinal) && File.Exists(s) ? File.ReadAllText(s) : s)
            .ToArray();
        // Not one program: the files need not compile together, the search reads text and tokens only.
        var compilation = CSharpCompilation.Create(
            "Texts", sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"/src/T{i}.cs")), Verification.TestReferences.Default);
        var secrets = Analyzers.AgentModel.AgentModel.For(compilation).SecretValues;
        var read = 0;
        var compared = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var byToken = secrets.Mentions(tree, settleFromText: false);
            var byText = secrets.Mentions(tree, settleFromText: true);
            Assert.Equal(byToken?.Distinct().ToArray(), byText?.Distinct().ToArray());
            if (byToken is null)
            {
                continue;
            }

            // Every place settled from the text holds a token that reads no secret.
            var text = tree.GetText().ToString();
            var root = tree.GetRoot();
            foreach (var part in SecretNames.SecretWordParts)
            {
                for (var index = text.IndexOf(part, StringComparison.OrdinalIgnoreCase); index >= 0; index = text.IndexOf(part, index + 1, StringComparison.OrdinalIgnoreCase))
                {
                    compared++;
                    if (!secrets.MayBeMentionAt(text, index, part.Length))
                    {
                        var token = root.FindToken(index);
                        Assert.False(token.Span.Contains(index) && ReadsSecret(secrets, token), $"{tree.FilePath}:{index}: {token.Text}");
                    }
                    else
                    {
                        read++;
                    }
                }
            }
        }

        // Most places are settled from the text; some are not.
        Assert.True(compared > 1000, $"{compared} places");
        Assert.InRange(read, 1, compared / 2);
    }

    /// <summary>Whether the token alone may read a secret: the code of just that token, read token by token.</summary>
    private static bool ReadsSecret(Analyzers.AgentModel.Flows.SecretValues secrets, SyntaxToken token)
        => (token.IsKind(SyntaxKind.IdentifierToken) || token.IsKind(SyntaxKind.StringLiteralToken))
           && secrets.Scan(token.IsKind(SyntaxKind.IdentifierToken) ? SyntaxFactory.IdentifierName(token) : SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, token));
}
