using System.Collections.Immutable;
using System.Composition;
using AgentSafety.Analyzers;
using AgentSafety.Analyzers.AgentModel;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.CodeFixes;

/// <summary>
/// AGS004 fix: adds, right after the tool, a compensating action that takes what an undo needs (what the tool
/// returned, the scalars that name what it changed, the state it kept before the change) and whose body throws
/// <c>NotImplementedException</c> — AGS004 then points at that stub until someone writes the undo.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UncompensatedWriteToolCodeFixProvider)), Shared]
public sealed class UncompensatedWriteToolCodeFixProvider : AgentSafetyCodeFixProvider
{
    public const string AddCompensationKey = "AGS004.AddCompensatingAction";

    private static readonly FixKind AddCompensation = new("Add compensating action", AddCompensationKey);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UncompensatedWriteTool);

    protected override async Task<ImmutableArray<FixKind>> GetApplicableFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return root is not null && semanticModel is not null && Locate(root, semanticModel, diagnostic, cancellationToken) is not null
            ? ImmutableArray.Create(AddCompensation)
            : ImmutableArray<FixKind>.Empty;
    }

    protected override async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (equivalenceKey != AddCompensationKey || root is null || semanticModel is null)
        {
            return document;
        }

        var model = Model.For(semanticModel.Compilation);
        var generator = SyntaxGenerator.GetGenerator(document);
        var endOfLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var newLine = endOfLine.RawKind == 0 ? "\n" : endOfLine.ToString();
        var usings = new HashSet<string>(StringComparer.Ordinal);
        var insertions = new Dictionary<TypeDeclarationSyntax, List<(int AnchorIndex, int Order, MethodDeclarationSyntax Method)>>();
        var planned = new HashSet<(TypeDeclarationSyntax, string)>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (Locate(root, semanticModel, diagnostic, cancellationToken) is not { } target || !planned.Add((target.Type, target.Name)))
            {
                continue;
            }

            var method = BuildCompensation(target, semanticModel, model, generator, newLine, usings);
            if (!insertions.TryGetValue(target.Type, out var list))
            {
                list = new List<(int, int, MethodDeclarationSyntax)>();
                insertions.Add(target.Type, list);
            }

            list.Add((target.Type.Members.IndexOf(target.Anchor), diagnostic.Location.SourceSpan.Start, method));
        }

        if (insertions.Count == 0)
        {
            return document;
        }

        var newRoot = root.ReplaceNodes(insertions.Keys, (original, rewritten) =>
        {
            // Last anchor first: the members before it keep their indices.
            var result = rewritten;
            foreach (var (anchorIndex, _, method) in insertions[original].OrderByDescending(i => i.AnchorIndex).ThenByDescending(i => i.Order))
            {
                result = TypeMembers.AddMethodAfter(result, result.Members[anchorIndex], method);
            }

            return result;
        });
        foreach (var namespaceName in usings.OrderBy(n => n, StringComparer.Ordinal))
        {
            newRoot = Imports.AddUsing(newRoot, namespaceName);
        }

        var changed = document.WithSyntaxRoot(newRoot);
        changed = await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where the compensation goes, or null when the diagnostic is not a tool's (a stub's) or the name is taken.</summary>
    private static Target? Locate(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(UncompensatedWriteToolAnalyzer.CompensationNameProperty, out var name) || name is null)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var (tool, anchor) = node switch
        {
            MethodDeclarationSyntax method => (semanticModel.GetDeclaredSymbol(method, cancellationToken), (MemberDeclarationSyntax)method),
            AnonymousFunctionExpressionSyntax lambda => (
                semanticModel.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol,
                lambda.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault(m => m.Parent is TypeDeclarationSyntax)),
            _ => (null, null),
        };

        if (tool is null || anchor?.Parent is not TypeDeclarationSyntax type
            || semanticModel.GetDeclaredSymbol(type, cancellationToken) is not { } typeSymbol
            || !typeSymbol.GetMembers(name).IsEmpty)
        {
            return null;
        }

        return new Target(tool, anchor, type, name, ToolName(diagnostic));
    }

    /// <summary>The tool's name as the diagnostic gives it (a lambda's registered name).</summary>
    private static string ToolName(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(UncompensatedWriteToolAnalyzer.ToolNameProperty, out var name) && name is not null ? name : string.Empty;

    private static MethodDeclarationSyntax BuildCompensation(
        Target target, SemanticModel semanticModel, Model model, SyntaxGenerator generator, string newLine, HashSet<string> usings)
    {
        var position = target.Anchor.SpanStart;
        var parameters = UndoParameters(target, semanticModel, model, generator, out var result);
        var returnType = Compensations.IsAsync(target.Tool) && model.Types.Task is { } task
            ? TypeName(task, semanticModel, position, generator, usings)
            : PredefinedType(Token(SyntaxKind.VoidKeyword));
        var notImplemented = model.Types.NotImplementedException is { } exception
            ? TypeName(exception, semanticModel, position, generator, usings)
            : ParseTypeName("System.NotImplementedException");

        var modifiers = new List<SyntaxToken>();
        if (target.Anchor is MethodDeclarationSyntax toolMethod && target.Tool.MethodKind == MethodKind.Ordinary)
        {
            modifiers.AddRange(toolMethod.Modifiers.Where(m => SyntaxFacts.IsAccessibilityModifier(m.Kind())).Select(m => Token(m.Kind())));
        }
        else
        {
            modifiers.Add(Token(SyntaxKind.PublicKeyword));
        }

        if (target.Anchor.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            modifiers.Add(Token(SyntaxKind.StaticKeyword));
        }

        return MethodDeclaration(returnType, Identifiers.Token(target.Name))
            .WithModifiers(TokenList(modifiers))
            .WithParameterList(ParameterList(SeparatedList(parameters)))
            .WithBody(Block(ThrowStatement(ObjectCreationExpression(notImplemented).WithArgumentList(ArgumentList()))))
            .WithLeadingTrivia(EndOfLine(newLine), Trivia(Documentation(
                target, target.Tool.Parameters.Select(p => ParameterType(p, generator)).ToList(), result, newLine)));
    }

    /// <summary>Verbs of tools whose result says how the removal went, not what an undo needs (that is the previous state).</summary>
    private static readonly string[] RemovalVerbs = { "Delete", "Remove", "Drop", "Cancel", "Revoke", "Kill", "Purge", "Clear", "Destroy", "Terminate" };

    /// <summary>Locals that hold the state before the change, by the first word of their name (<c>previousReport</c>, <c>oldText</c>).</summary>
    private static readonly string[] PreviousStateWords = { "previous", "old", "existing", "original", "before" };

    /// <summary>
    /// What an undo needs, not the tool's inputs: what the tool returned (the id or the record it created), unless it
    /// removes things; the scalars among its parameters that name what it changed (ids, names, paths, numbers — not a
    /// report's body nor a prompt, which an undo does not need, nor secrets); the state it kept before the change,
    /// where a local of the tool says so by its name (<c>previous...</c>, <c>old...</c>, <c>existing...</c>,
    /// <c>original...</c>, <c>before...</c>); and the tool's cancellation token.
    /// </summary>
    private static List<ParameterSyntax> UndoParameters(Target target, SemanticModel semanticModel, Model model, SyntaxGenerator generator, out string? resultName)
    {
        resultName = null;
        var tool = target.Tool;
        var taken = new HashSet<string>(tool.Parameters.Select(p => p.Name), StringComparer.Ordinal);
        var parameters = new List<ParameterSyntax>();
        // A lambda tool's own name is compiler-made: its verb is read from the compensation's name.
        var named = tool.MethodKind == MethodKind.Ordinary ? tool.Name : target.Name;
        if (ResultType(tool, model) is { } result && !RemovalVerbs.Any(v => StartsWithWord(named, v)))
        {
            var name = resultName = Free("result", taken);
            parameters.Add(Parameter(Identifiers.Token(name)).WithType(TypeOf(result, generator)));
        }

        foreach (var parameter in ToolParameters.Scalars(tool).Where(p => !Is(p.Type, model.Types.CancellationToken)))
        {
            parameters.Add(Parameter(Identifiers.Token(parameter.Name)).WithType(ParameterType(parameter, generator)));
        }

        foreach (var local in PreviousState(tool, semanticModel))
        {
            if (taken.Add(local.Name))
            {
                parameters.Add(Parameter(Identifiers.Token(local.Name)).WithType(TypeOf(local.Type, generator)));
            }
        }

        if (tool.Parameters.FirstOrDefault(p => Is(p.Type, model.Types.CancellationToken)) is { } token)
        {
            parameters.Add(Parameter(Identifiers.Token(token.Name)).WithType(ParameterType(token, generator)));
        }

        return parameters;

        static string Free(string name, HashSet<string> taken)
        {
            var candidate = name;
            for (var i = 1; !taken.Add(candidate); i++)
            {
                candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return candidate;
        }
    }

    /// <summary>True when <paramref name="name"/>, after an optional compensation prefix, starts with the word <paramref name="verb"/>.</summary>
    private static bool StartsWithWord(string name, string verb)
    {
        foreach (var prefix in new[] { string.Empty, "Compensate", "Undo", "Revert", "Rollback" })
        {
            if (name.StartsWith(prefix + verb, StringComparison.Ordinal)
                && (name.Length == prefix.Length + verb.Length || !char.IsLower(name[prefix.Length + verb.Length])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>T of a tool returning <c>T</c>, <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>; null for <c>void</c>, <c>Task</c>, <c>ValueTask</c>.</summary>
    private static ITypeSymbol? ResultType(IMethodSymbol tool, Model model)
    {
        if (tool.ReturnsVoid)
        {
            return null;
        }

        if (tool.ReturnType is INamedTypeSymbol named && (Is(named, model.Types.TaskOfT) || Is(named, model.Types.ValueTaskOfT)))
        {
            return named.TypeArguments[0];
        }

        return Compensations.IsAsync(tool) ? null : tool.ReturnType;
    }

    /// <summary>Locals of the tool's own code (not of lambdas in it) named for the state before the change.</summary>
    private static IEnumerable<(string Name, ITypeSymbol Type)> PreviousState(IMethodSymbol tool, SemanticModel semanticModel)
    {
        if (tool.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not { } declaration || declaration.SyntaxTree != semanticModel.SyntaxTree)
        {
            yield break;
        }

        foreach (var declarator in declaration.DescendantNodes(n => n == declaration || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<VariableDeclaratorSyntax>())
        {
            var name = declarator.Identifier.ValueText;
            if (PreviousStateWords.Any(w => name.StartsWith(w, StringComparison.Ordinal) && (name.Length == w.Length || char.IsUpper(name[w.Length])))
                && semanticModel.GetDeclaredSymbol(declarator) is ILocalSymbol local
                && local.Type.TypeKind != TypeKind.Error)
            {
                // A `var` local is nullable by declaration; its initializer says what it holds.
                var type = declarator.Parent is VariableDeclarationSyntax { Type.IsVar: true } && declarator.Initializer is { } initializer
                    && semanticModel.GetTypeInfo(initializer.Value).Type is { TypeKind: not TypeKind.Error } initialized
                    ? initialized
                    : local.Type;
                yield return (local.Name, type);
            }
        }
    }

    private static TypeSyntax TypeOf(ITypeSymbol type, SyntaxGenerator generator)
        => ((TypeSyntax)generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.Annotation);

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);

    /// <summary>
    /// <c>/// &lt;summary&gt;Undoes the effects of &lt;see cref="CreateTicket"/&gt;.&lt;/summary&gt;</c>; for a lambda tool,
    /// which has no member to refer to, its name in <c>&lt;c&gt;</c>.
    /// </summary>
    private static DocumentationCommentTriviaSyntax Documentation(Target target, List<TypeSyntax> toolParameterTypes, string? result, string newLine)
    {
        XmlNodeSyntax[] content;
        if (target.Tool.MethodKind == MethodKind.Ordinary)
        {
            var overloaded = target.Tool.ContainingType.GetMembers(target.Tool.Name).Length > 1;
            var cref = overloaded
                ? NameMemberCref(IdentifierName(target.Tool.Name), CrefParameterList(SeparatedList(
                    toolParameterTypes.Select(t => CrefParameter(t)),
                    Enumerable.Repeat(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space), Math.Max(0, toolParameterTypes.Count - 1)))))
                : NameMemberCref(IdentifierName(target.Tool.Name));
            content = new XmlNodeSyntax[] { XmlText("Undoes the effects of "), XmlSeeElement(cref), XmlText(".") };
        }
        else
        {
            content = new XmlNodeSyntax[]
            {
                XmlText("Undoes the effects of the "),
                XmlElement("c", SingletonList<XmlNodeSyntax>(XmlText(EscapeXml(target.ToolName)))),
                XmlText(" tool."),
            };
        }

        if (result is null)
        {
            return DocumentationComment(
                XmlElement("summary", List(content)),
                XmlText(XmlTextNewLine(newLine, continueXmlDocumentationComment: false)));
        }

        // The one parameter that is not the tool's: say what it is.
        return DocumentationComment(
            XmlElement("summary", List(content)),
            XmlText(XmlTextNewLine(newLine, continueXmlDocumentationComment: true)),
            XmlElement("remarks", List(new XmlNodeSyntax[]
            {
                XmlParamRefElement(result), XmlText(" is what the tool returned, such as the id of what it created."),
            })),
            XmlText(XmlTextNewLine(newLine, continueXmlDocumentationComment: false)));
    }

    /// <summary>The parameter's type as written at the tool, else built from its symbol.</summary>
    private static TypeSyntax ParameterType(IParameterSymbol parameter, SyntaxGenerator generator)
        => parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is ParameterSyntax { Type: { } written }
            ? written.WithoutTrivia()
            : ((TypeSyntax)generator.TypeExpression(parameter.Type)).WithAdditionalAnnotations(Simplifier.Annotation);

    private static TypeSyntax TypeName(INamedTypeSymbol type, SemanticModel semanticModel, int position, SyntaxGenerator generator, HashSet<string> usings)
    {
        switch (Imports.CanUseSimpleName(semanticModel, position, type))
        {
            case Imports.TypeNameState.Available:
                return IdentifierName(type.Name);
            case Imports.TypeNameState.NeedsUsing:
                usings.Add(type.ContainingNamespace.ToDisplayString());
                return IdentifierName(type.Name);
            default:
                return ((TypeSyntax)generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.Annotation);
        }
    }

    private static string EscapeXml(string text)
        => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private sealed class Target
    {
        public Target(IMethodSymbol tool, MemberDeclarationSyntax anchor, TypeDeclarationSyntax type, string name, string toolName)
        {
            Tool = tool;
            Anchor = anchor;
            Type = type;
            Name = name;
            ToolName = toolName;
        }

        public IMethodSymbol Tool { get; }

        /// <summary>The tool method, or the member that registers a lambda tool: the compensation goes right after it.</summary>
        public MemberDeclarationSyntax Anchor { get; }

        public TypeDeclarationSyntax Type { get; }

        public string Name { get; }

        public string ToolName { get; }
    }
}
