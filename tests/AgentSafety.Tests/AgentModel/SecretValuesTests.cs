using AgentSafety.Analyzers.AgentModel;
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
}
