using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// A text pre-check for whole-compilation syntax walks: a file can call a method only if its text holds the name as
/// a whole identifier. Searching the text is far cheaper than walking every node of every file, and most files do
/// not mention the names looked for. A file with a <c>\u</c> escape (an identifier may be spelled with one) is
/// always walked.
/// </summary>
internal static class IdentifierSearch
{
    /// <summary>
    /// What the searches found in each file, kept with the syntax tree, not with a compilation. The IDE analyzes one
    /// document at a time, each in a compilation of its own (Roslyn clones the compilation with a new event queue for
    /// every analysis), so facts kept per compilation would be read again from every file for every document; a file's
    /// text never changes (an edit makes a new tree), so what its text holds is kept as long as the tree lives.
    /// </summary>
    private static readonly ConditionalWeakTable<SyntaxTree, TextFacts> Facts = new();

    private static TextFacts FactsOf(SyntaxTree tree) => Facts.GetValue(tree, static t => new TextFacts(t));

    /// <summary>False only when no identifier in <paramref name="tree"/> can be one of <paramref name="names"/>.</summary>
    public static bool MayMention(SyntaxTree tree, IEnumerable<string> names)
    {
        var facts = FactsOf(tree);
        return facts.HasEscapes || names.Any(facts.Mentions);
    }

    /// <summary>
    /// <see cref="MayMention(SyntaxTree, IEnumerable{string})"/> for names that each contain one of
    /// <paramref name="parts"/>: a file whose text holds none of the parts (and no escape) is ruled out by those few
    /// searches instead of one search per name.
    /// </summary>
    public static bool MayMention(SyntaxTree tree, IEnumerable<string> names, IReadOnlyList<string> parts)
    {
        var facts = FactsOf(tree);
        return facts.HasEscapes || (parts.Any(facts.Contains) && names.Any(facts.Mentions));
    }

    /// <summary>One file's text facts, each read from the text on first need (the text is not kept).</summary>
    private sealed class TextFacts
    {
        private readonly SyntaxTree _tree;
        private readonly ConcurrentDictionary<string, bool> _mentions = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _contains = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, List<InvocationExpressionSyntax>> _invocations = new(StringComparer.Ordinal);
        private int _hasEscapes = -1;

        public TextFacts(SyntaxTree tree) => _tree = tree;

        private string Text => _tree.GetText().ToString();

        public bool HasEscapes
        {
            get
            {
                if (_hasEscapes < 0)
                {
                    _hasEscapes = IdentifierSearch.HasEscapes(Text) ? 1 : 0;
                }

                return _hasEscapes == 1;
            }
        }

        /// <summary>Whether the text holds <paramref name="name"/> as a whole identifier.</summary>
        public bool Mentions(string name) => _mentions.GetOrAdd(name, n => WholeIdentifiers(Text, n).Any());

        /// <summary>Whether the text holds <paramref name="part"/> anywhere.</summary>
        public bool Contains(string part) => _contains.GetOrAdd(part, p => Text.IndexOf(p, StringComparison.Ordinal) >= 0);

        public List<InvocationExpressionSyntax> Invocations(string key, Func<List<InvocationExpressionSyntax>> find)
            => _invocations.TryGetValue(key, out var found) ? found : _invocations.GetOrAdd(key, find());
    }

    /// <summary>
    /// A few parts (of <paramref name="length"/> characters, or a whole shorter name) such that every one of
    /// <paramref name="names"/> contains one, chosen greedily to cover most names each
    /// (<c>AddOpenAIChatCompletion</c>, <c>AddMistralChatCompletion</c>: <c>tCompl</c>): for
    /// <see cref="MayMention(SyntaxTree, IEnumerable{string}, IReadOnlyList{string})"/>.
    /// </summary>
    public static IReadOnlyList<string> CommonParts(IEnumerable<string> names, int length = 6)
    {
        var left = new HashSet<string>(names, StringComparer.Ordinal);
        var parts = new List<string>();
        while (left.Count > 0)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var name in left)
            {
                foreach (var part in PartsOf(name, length))
                {
                    counts[part] = counts.TryGetValue(part, out var count) ? count + 1 : 1;
                }
            }

            var best = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First().Key;
            parts.Add(best);
            left.RemoveWhere(name => name.IndexOf(best, StringComparison.Ordinal) >= 0);
        }

        return parts;
    }

    private static IEnumerable<string> PartsOf(string name, int length)
    {
        if (name.Length <= length)
        {
            yield return name;
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 0; start + length <= name.Length; start++)
        {
            var part = name.Substring(start, length);
            if (seen.Add(part))
            {
                yield return part;
            }
        }
    }

    private static bool MayMention(string text, IEnumerable<string> names)
        => HasEscapes(text) || MayMentionText(text, names);

    /// <summary>Whether <paramref name="text"/> holds one of <paramref name="names"/> as a whole identifier (escapes not seen through).</summary>
    public static bool MayMentionText(string text, IEnumerable<string> names)
        => names.Any(name => WholeIdentifiers(text, name).Any());

    /// <summary>
    /// The places of the <c>new</c> keywords in <paramref name="text"/> that may start an object creation, with the
    /// rightmost simple name of the created type (<c>new Foo(</c>, <c>new A.B.Foo&lt;T&gt;(</c>, <c>new global::Foo {</c>: Foo),
    /// or null for a target-typed <c>new(</c>. Array and anonymous-type creations are left out. A text search: the caller
    /// checks that a syntax node stands at each place (the word may sit in a comment or a string).
    /// </summary>
    public static IEnumerable<(int Position, string? Name)> NewExpressions(string text)
    {
        for (var index = text.IndexOf("new", StringComparison.Ordinal); index >= 0; index = text.IndexOf("new", index + 3, StringComparison.Ordinal))
        {
            var after = index + 3;
            if ((index > 0 && (IsIdentifierPart(text[index - 1]) || text[index - 1] == '@')) || (after < text.Length && IsIdentifierPart(text[after])))
            {
                continue;
            }

            var next = SkipWhitespace(text, after);
            if (next >= text.Length)
            {
                yield break;
            }

            if (text[next] == '(')
            {
                yield return (index, null);
                continue;
            }

            string? name = null;
            while (next < text.Length)
            {
                if (text[next] == '@')
                {
                    next++;
                }

                var start = next;
                while (next < text.Length && IsIdentifierPart(text[next]))
                {
                    next++;
                }

                if (next == start)
                {
                    break;
                }

                name = text.Substring(start, next - start);
                next = SkipWhitespace(text, next);
                if (next < text.Length && text[next] == '.')
                {
                    next = SkipWhitespace(text, next + 1);
                }
                else if (next + 1 < text.Length && text[next] == ':' && text[next + 1] == ':')
                {
                    next = SkipWhitespace(text, next + 2);
                }
                else
                {
                    break;
                }
            }

            if (name is not null && !char.IsDigit(name[0]))
            {
                yield return (index, name);
            }
        }
    }

    private static int SkipWhitespace(string text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }

        return index;
    }

    /// <summary>
    /// The invocations in <paramref name="tree"/> whose invoked name is one of <paramref name="names"/>
    /// (<c>X.Create(...)</c>, <c>Create(...)</c>, <c>Create&lt;T&gt;(...)</c>), found from the name's places in the text
    /// instead of a walk of every node; a file with a <c>\u</c> escape is walked.
    /// </summary>
    public static IReadOnlyList<InvocationExpressionSyntax> InvocationsNamed(SyntaxTree tree, IEnumerable<string> names)
    {
        var key = names is HashSet<string> set
            ? NameKeys.GetValue(set, static n => string.Join("\u0001", n.OrderBy(x => x, StringComparer.Ordinal)))
            : string.Join("\u0001", names.OrderBy(x => x, StringComparer.Ordinal));
        // Its own key space: this search keeps the names' order, the one with parts the text's.
        return FactsOf(tree).Invocations("\u0002" + key, () => FindInvocationsNamed(tree, names).ToList());
    }

    private static IEnumerable<InvocationExpressionSyntax> FindInvocationsNamed(SyntaxTree tree, IEnumerable<string> names)
    {
        var text = tree.GetText().ToString();
        var root = tree.GetRoot();
        if (HasEscapes(text))
        {
            foreach (var invocation in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                yield return invocation;
            }

            yield break;
        }

        foreach (var name in names)
        {
            foreach (var index in WholeIdentifiers(text, name))
            {
                if (InvocationAt(root, index) is { } invocation)
                {
                    yield return invocation;
                }
            }
        }
    }

    /// <summary>
    /// <see cref="InvocationsNamed(SyntaxTree, IEnumerable{string})"/> for names that each contain one of
    /// <paramref name="parts"/> (<see cref="CommonParts"/>): the text is searched for the few parts, not for every name,
    /// and the identifier around each place is looked up among the names. In the order of the invoked names in the text.
    /// </summary>
    public static List<InvocationExpressionSyntax> InvocationsNamed(SyntaxTree tree, HashSet<string> names, IReadOnlyList<string> parts)
    {
        var facts = FactsOf(tree);
        if (!facts.HasEscapes && !parts.Any(facts.Contains))
        {
            return new List<InvocationExpressionSyntax>();
        }

        // Kept per file by the names' contents (the sets are built once per rule, or per compilation).
        var key = NameKeys.GetValue(names, static n => string.Join("\u0001", n.OrderBy(x => x, StringComparer.Ordinal)));
        return facts.Invocations(key, () => FindInvocationsNamed(tree, names, parts));
    }

    private static readonly ConditionalWeakTable<HashSet<string>, string> NameKeys = new();

    private static List<InvocationExpressionSyntax> FindInvocationsNamed(SyntaxTree tree, HashSet<string> names, IReadOnlyList<string> parts)
    {
        var text = tree.GetText().ToString();
        if (HasEscapes(text))
        {
            return tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>().ToList();
        }

        var found = new List<(int Position, InvocationExpressionSyntax Invocation)>();

        SyntaxNode? root = null;
        HashSet<int>? seen = null;
        foreach (var part in parts)
        {
            for (var index = text.IndexOf(part, StringComparison.Ordinal); index >= 0; index = text.IndexOf(part, index + 1, StringComparison.Ordinal))
            {
                var start = index;
                while (start > 0 && IsIdentifierPart(text[start - 1]))
                {
                    start--;
                }

                var end = index + part.Length;
                while (end < text.Length && IsIdentifierPart(text[end]))
                {
                    end++;
                }

                if (!names.Contains(text.Substring(start, end - start)) || !(seen ??= new HashSet<int>()).Add(start))
                {
                    continue;
                }

                root ??= tree.GetRoot();
                if (InvocationAt(root, start) is { } invocation)
                {
                    found.Add((start, invocation));
                }
            }
        }

        found.Sort((a, b) => a.Position.CompareTo(b.Position));
        return found.ConvertAll(f => f.Invocation);
    }

    /// <summary>The invocation whose invoked name is the identifier at <paramref name="index"/> (<c>X.Create(...)</c>, <c>Create&lt;T&gt;(...)</c>).</summary>
    private static InvocationExpressionSyntax? InvocationAt(SyntaxNode root, int index)
    {
        var token = root.FindToken(index);
        if (!token.Span.Contains(index) || token.Parent is not SimpleNameSyntax simple || simple.Identifier != token)
        {
            return null;
        }

        var callee = simple.Parent is MemberAccessExpressionSyntax access && access.Name == simple ? access : (ExpressionSyntax)simple;
        return callee.Parent is InvocationExpressionSyntax invocation && invocation.Expression == callee ? invocation : null;
    }

    /// <summary>An identifier may be spelled with a <c>\u</c> escape, which a text search cannot see through.</summary>
    public static bool HasEscapes(string text)
    {
        // An ordinal search for the backslash (vectorized), then a look at the next character: a case-insensitive
        // search for "\u" costs several times more over a whole file.
        for (var index = text.IndexOf('\\'); index >= 0 && index < text.Length - 1; index = text.IndexOf('\\', index + 1))
        {
            if (text[index + 1] is 'u' or 'U')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The places where <paramref name="name"/> stands in <paramref name="text"/> as a whole identifier.</summary>
    private static IEnumerable<int> WholeIdentifiers(string text, string name)
    {
        for (var index = text.IndexOf(name, StringComparison.Ordinal); index >= 0; index = text.IndexOf(name, index + 1, StringComparison.Ordinal))
        {
            var end = index + name.Length;
            if ((index == 0 || !IsIdentifierPart(text[index - 1])) && (end == text.Length || !IsIdentifierPart(text[end])))
            {
                yield return index;
            }
        }
    }

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_' || char.GetUnicodeCategory(c) is
        System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark
        or System.Globalization.UnicodeCategory.ConnectorPunctuation or System.Globalization.UnicodeCategory.Format;
}
