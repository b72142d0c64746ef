using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Analyzers.AgentModel.Flows;

/// <summary>
/// Which values are secrets (AGS008's sources): reads of string fields, properties, locals and parameters whose name
/// holds a secret (<see cref="SecretNames.HoldsSecret"/>); configuration lookups whose key's last segment does
/// (<c>configuration["OpenAI:ApiKey"]</c>, <c>GetSection("Db")["Password"]</c>, <c>GetSection("OpenAI:ApiKey").Value</c>,
/// <c>GetValue&lt;string&gt;("Smtp:Password")</c>); <c>Environment.GetEnvironmentVariable("OPENAI_API_KEY")</c>; Key
/// Vault's <c>KeyVaultSecret.Value</c>. <c>NetworkCredential.Password</c> is a secret-named property. Also a syntax
/// test, asked before any flow: can this code read a secret at all?
/// </summary>
internal sealed class SecretValues
{
    private const int MaxKeyLength = 100;

    /// <summary>The parts searched for where Key Vault is referenced: its secrets are read as <c>.Value</c>.</summary>
    private static readonly System.Collections.Immutable.ImmutableArray<string> VaultParts = SecretNames.SecretWordParts.Add("Value");

    private readonly Lazy<FlowTypes> _types;
    private readonly Lazy<KnownTypes> _knownTypes;
    private readonly ConcurrentDictionary<string, bool> _names = Caches.Create<string, bool>(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _keys = Caches.Create<string, bool>(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SyntaxNode, bool> _mayRead = Caches.Create<SyntaxNode, bool>();
    private readonly ConcurrentDictionary<SyntaxTree, SecretMentions> _mentions = Caches.Create<SyntaxTree, SecretMentions>();

    public SecretValues(Lazy<FlowTypes> types, Lazy<KnownTypes> knownTypes)
    {
        _types = types;
        _knownTypes = knownTypes;
    }

    private FlowTypes Types => _types.Value;

    /// <summary><see cref="SecretNames.HoldsSecret"/>, remembered per name.</summary>
    public bool HoldsSecret(string name) => _names.GetOrAdd(name, static n => SecretNames.HoldsSecret(n));

    /// <summary>Remembered per key; messages (not key-shaped) are settled before the cache and never kept.</summary>
    private bool KeyHoldsSecret(string key) => IsKeyShaped(key) && _keys.GetOrAdd(key, static k => SecretNames.KeyHoldsSecret(k));

    /// <summary>
    /// Syntax only, remembered per code root: false settles that <paramref name="code"/> reads no secret (no identifier
    /// with a secret name, no string naming a secret key, no <c>.Value</c> where Key Vault is referenced).
    /// </summary>
    /// <remarks>
    /// Read from each file once: the places where its text holds a part of a secret word
    /// (<see cref="SecretNames.SecretWordParts"/>, case-insensitive) or the word <c>Value</c>, each checked on the
    /// token standing there; <paramref name="code"/> may read a secret when one of those tokens lies in it. A name
    /// spelling a secret word across separators (<c>p_w_d</c>) is not seen. A file with a <c>\u</c> escape (a name may be
    /// spelled with one) has its tokens read root by root.
    /// </remarks>
    public bool MayReadSecret(SyntaxNode code)
        => _mentions.GetOrAdd(code.SyntaxTree, FindMentions) is { Positions: { } positions }
            ? SecretMentions.AnyIn(positions, code.Span)
            : _mayRead.GetOrAdd(code, Scan);

    /// <summary>The token-by-token reading of <paramref name="code"/>, for files the text search cannot read (and for tests).</summary>
    internal bool Scan(SyntaxNode code)
    {
        var vault = Types.KeyVaultSecret is not null;
        foreach (var token in code.DescendantTokens())
        {
            if (MayReadSecret(token, vault))
            {
                return true;
            }
        }

        return false;
    }

    private bool MayReadSecret(SyntaxToken token, bool vault)
    {
        switch (token.Kind())
        {
            case SyntaxKind.IdentifierToken:
                var name = token.ValueText;
                return HoldsSecret(name) || (vault && name == "Value");
            case SyntaxKind.StringLiteralToken:
                return token.ValueText is { Length: > 0 and <= MaxKeyLength } text && KeyHoldsSecret(text);
            default:
                return false;
        }
    }

    private SecretMentions FindMentions(SyntaxTree tree) => new(Mentions(tree, settleFromText: true));

    /// <summary>
    /// The start of each token of <paramref name="tree"/> that may read a secret, sorted (a token may be listed more
    /// than once); null for a file with a <c>\u</c> escape. Without <paramref name="settleFromText"/> every place the
    /// search finds is judged on its token (<see cref="MayBeMentionAt"/> not asked): for tests.
    /// </summary>
    [MethodImpl(OneTimeWork.Optimized)]
    internal int[]? Mentions(SyntaxTree tree, bool settleFromText)
    {
        var text = tree.GetText().ToString();
        if (IdentifierSearch.HasEscapes(text))
        {
            return null;
        }

        var vault = Types.KeyVaultSecret is not null;
        var root = tree.GetRoot();
        var positions = new List<int>();
        foreach (var part in vault ? VaultParts : SecretNames.SecretWordParts)
        {
            var comparison = part == "Value" ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            for (var index = text.IndexOf(part, comparison); index >= 0; index = text.IndexOf(part, index, comparison))
            {
                if (!SecretNames.MayBeSecretWordAt(text, index, part))
                {
                    index += part.Length;
                    continue;
                }

                if (settleFromText && part != "Value" && !MayBeMentionAt(text, index, part.Length))
                {
                    // Settled from the text around it: no token there can read a secret (most hits: token, TokenType, JsonTokenType).
                    index += part.Length;
                    continue;
                }

                var token = root.FindToken(index);
                if (token.Span.Contains(index))
                {
                    if (MayReadSecret(token, vault))
                    {
                        positions.Add(token.SpanStart);
                    }

                    // The rest of this token was judged with it.
                    index = Math.Max(index + part.Length, token.Span.End);
                }
                else
                {
                    index += part.Length;
                }
            }
        }

        positions.Sort();
        return positions.ToArray();
    }

    /// <summary>
    /// False when the token holding <c>text[index..index+length)</c> (a part of a secret word, in a file without
    /// <c>\u</c> escapes) cannot be one <see cref="MayReadSecret(SyntaxToken, bool)"/> takes, read from the text
    /// around it instead of the token: the identifier there is the run of ASCII letters, digits and underscores around
    /// it, and a string literal with a key-shaped value is that run of key characters between two quotes. Where the
    /// text cannot tell (a character beyond ASCII, a leading digit, a backslash escape next to the run) the
    /// answer is true: the token decides.
    /// </summary>
    internal bool MayBeMentionAt(string text, int index, int length)
    {
        var start = index;
        var end = index + length;
        for (var i = start; i < end; i++)
        {
            if (!IsAsciiWordChar(text[i]))
            {
                return true;
            }
        }

        while (start > 0 && IsAsciiWordChar(text[start - 1]))
        {
            start--;
        }

        while (end < text.Length && IsAsciiWordChar(text[end]))
        {
            end++;
        }

        var before = start > 0 ? text[start - 1] : ' ';
        var after = end < text.Length ? text[end] : ' ';
        if (before > 0x7F || after > 0x7F || text[start] is >= '0' and <= '9')
        {
            return true;
        }

        if (HoldsSecret(text.Substring(start, end - start)))
        {
            return true;
        }

        // A string literal's value, when it is a key: the run of key characters around the part, between quotes.
        var keyStart = start;
        var keyEnd = end;
        while (keyStart > 0 && IsKeyChar(text[keyStart - 1]))
        {
            keyStart--;
        }

        while (keyEnd < text.Length && IsKeyChar(text[keyEnd]))
        {
            keyEnd++;
        }

        before = keyStart > 0 ? text[keyStart - 1] : ' ';
        after = keyEnd < text.Length ? text[keyEnd] : ' ';
        if (before == '\\' || after == '\\')
        {
            return true;
        }

        return before == '"' && after == '"' && keyEnd - keyStart <= MaxKeyLength && KeyHoldsSecret(text.Substring(keyStart, keyEnd - keyStart));
    }

    private static bool IsAsciiWordChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';

    /// <summary>The start of each token in a file that may read a secret, in order; null when the file is read root by root.</summary>
    private readonly struct SecretMentions
    {
        public SecretMentions(int[]? positions) => Positions = positions;

        public int[]? Positions { get; }

        public static bool AnyIn(int[] positions, TextSpan span)
        {
            var index = Array.BinarySearch(positions, span.Start);
            if (index < 0)
            {
                index = ~index;
            }

            return index < positions.Length && positions[index] < span.End;
        }
    }

    /// <summary>The name of the secret <paramref name="operation"/> reads (a member's name, a configuration key), or null.</summary>
    public string? SecretRead(IOperation operation)
    {
        switch (operation)
        {
            case IFieldReferenceOperation { Field: var field }:
                return IsText(field.Type) && !field.HasConstantValue && HoldsSecret(field.Name) ? field.Name : null;
            case IPropertyReferenceOperation { Property: var property } reference:
                if (!IsText(property.Type))
                {
                    return null;
                }

                if (property.IsIndexer)
                {
                    return IsConfiguration(property.ContainingType) && reference.Arguments.Length == 1 ? SecretKey(reference.Arguments[0].Value) : null;
                }

                if (HoldsSecret(property.Name))
                {
                    return property.Name;
                }

                if (property.Name != "Value")
                {
                    return null;
                }

                if (FlowTypes.Is(property.ContainingType, Types.KeyVaultSecret))
                {
                    return "KeyVaultSecret.Value";
                }

                // configuration.GetSection("OpenAI:ApiKey").Value
                return IsConfiguration(property.ContainingType)
                       && reference.Instance is { } instance
                       && ValueOrigins.Unwrap(instance) is IInvocationOperation { TargetMethod.Name: "GetSection" or "GetRequiredSection" } section
                       && section.Arguments.Length > 0
                    ? SecretKey(section.Arguments[section.Arguments.Length - 1].Value)
                    : null;
            case IInvocationOperation invocation:
                return SecretCall(invocation);
            default:
                return null;
        }
    }

    /// <summary><c>Environment.GetEnvironmentVariable("OPENAI_API_KEY")</c>, <c>configuration.GetValue&lt;string&gt;("Smtp:Password")</c>.</summary>
    private string? SecretCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!IsText(method.ReturnType) || invocation.Arguments.Length == 0)
        {
            return null;
        }

        switch (method.Name)
        {
            case "GetEnvironmentVariable":
                return FlowTypes.Is(method.ContainingType, Types.Environment) ? SecretKey(invocation.Arguments[0].Value) : null;
            case "GetValue" or "GetRequiredValue":
                var declaring = (method.ReducedFrom ?? method).ContainingType;
                return FlowTypes.Is(declaring, Types.ConfigurationBinder) || declaring?.Name == "ConfigurationExtensions"
                    ? invocation.Arguments.Select(a => a.Parameter?.Name == "key" ? SecretKey(a.Value) : null).FirstOrDefault(k => k is not null)
                    : null;
            default:
                return null;
        }
    }

    private string? SecretKey(IOperation key)
        => key.ConstantValue is { HasValue: true, Value: string text } && KeyHoldsSecret(text) ? text : null;

    private bool IsConfiguration(ITypeSymbol? type) => KnownTypes.IsOrImplements(type, _knownTypes.Value.IConfiguration);

    /// <summary>Only <c>string</c>: a credential object (<c>ApiKeyCredential</c>, <c>NetworkCredential</c>) prints no secret.</summary>
    public static bool IsText(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_String;

    /// <summary>A configuration key or variable name: letters, digits, <c>_ : . -</c>, no spaces (a message is no key).</summary>
    private static bool IsKeyShaped(string text)
    {
        foreach (var c in text)
        {
            if (!IsKeyChar(c))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    private static bool IsKeyChar(char c) => char.IsLetterOrDigit(c) || c is '_' or ':' or '.' or '-';
}
