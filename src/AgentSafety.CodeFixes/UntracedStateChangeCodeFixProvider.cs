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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.CodeFixes;

/// <summary>
/// AGS005 fixes: start an activity at the top of the code that holds the write (tagged with the tool and its
/// non-secret parameters), or log the state change just before it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UntracedStateChangeCodeFixProvider)), Shared]
public sealed class UntracedStateChangeCodeFixProvider : AgentSafetyCodeFixProvider
{
    public const string TraceKey = "AGS005.TraceWithActivitySource";
    public const string LogKey = "AGS005.LogStateChange";

    /// <summary>The OpenTelemetry GenAI semantic-convention attribute for a tool's name.</summary>
    public const string ToolNameTag = "gen_ai.tool.name";

    private static readonly FixKind Trace = new("Trace with ActivitySource", TraceKey);
    private static readonly FixKind Log = new("Log the state change", LogKey);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UntracedStateChange);

    protected override async Task<ImmutableArray<FixKind>> GetApplicableFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (await FixContext.CreateAsync(document, cancellationToken).ConfigureAwait(false) is not { } context
            || context.Find(diagnostic, willTrace: null) is not { } found)
        {
            return ImmutableArray<FixKind>.Empty;
        }

        var fixes = ImmutableArray.CreateBuilder<FixKind>();
        if (CanTrace(context, found.Untraced, plannedFields: null))
        {
            fixes.Add(Trace);
        }

        if (FindLogger(context, found.Node) is not null)
        {
            fixes.Add(Log);
        }

        return fixes.ToImmutable();
    }

    protected override async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (equivalenceKey is not (TraceKey or LogKey) || await FixContext.CreateAsync(document, cancellationToken).ConfigureAwait(false) is not { } context)
        {
            return document;
        }

        // Diagnostics are fixed in source order, each judged as if the earlier fixes were made: instrumenting a tool
        // also traces the helpers only it reaches, and instrumenting a helper also traces the tools that call it.
        // FixAll then edits exactly what fixing the diagnostics one at a time would.
        var plannedUnits = new List<SyntaxNode>();
        bool WillTrace(SyntaxNode declaration) => plannedUnits.Any(u => u.SyntaxTree == declaration.SyntaxTree && u.Span == declaration.Span);

        var edits = new Edits();
        var plannedFields = new Dictionary<INamedTypeSymbol, (TypeDeclarationSyntax Declaration, string Name)>(SymbolEqualityComparer.Default);
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (context.Find(diagnostic, WillTrace) is not { } found)
            {
                continue;
            }

            var planned = equivalenceKey == TraceKey
                ? PlanTrace(context, found.Untraced, plannedFields, edits)
                : PlanLog(context, found, edits);
            if (planned)
            {
                plannedUnits.Add(found.Untraced.Unit);
            }
        }

        if (edits.IsEmpty)
        {
            return document;
        }

        // New fields go in after the bodies are laid out: formatted in one pass with a changed type, a lambda's new
        // block loses the indentation of the line it starts on.
        var fields = new List<(SyntaxAnnotation Type, FieldDeclarationSyntax Field)>();
        foreach (var field in plannedFields)
        {
            var annotation = new SyntaxAnnotation();
            fields.Add((annotation, NewSourceField(context, field.Key, field.Value.Name, field.Value.Declaration, edits)));
            edits.Add(field.Value.Declaration, node => node.WithAdditionalAnnotations(annotation));
        }

        var changed = await FormatAsync(document.WithSyntaxRoot(edits.ApplyTo(context.Root)), cancellationToken).ConfigureAwait(false);
        if (fields.Count == 0)
        {
            return changed;
        }

        var root = (await changed.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var withFields = root.ReplaceNodes(
            fields.Select(f => root.GetAnnotatedNodes(f.Type).Single()),
            (original, rewritten) => TypeMembers.AddLeadingField((TypeDeclarationSyntax)rewritten, fields.First(f => original.HasAnnotation(f.Type)).Field));
        return await FormatAsync(changed.WithSyntaxRoot(withFields), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> FormatAsync(Document document, CancellationToken cancellationToken)
    {
        var simplified = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(simplified, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ Trace with ActivitySource

    /// <summary>
    /// The trace fix needs <c>using var</c> (C# 8), <c>Activity.SetTag</c>, the unit in this document, and a source:
    /// one the type has, or a new field that only this document declares (a type split over several files would
    /// otherwise get one field per file).
    /// </summary>
    private static bool CanTrace(FixContext context, UntracedWrite untraced, Dictionary<INamedTypeSymbol, (TypeDeclarationSyntax, string)>? plannedFields)
    {
        var types = context.Model.Types;
        if (types.ActivitySource is null
            || types.Activity?.GetMembers("SetTag").IsEmpty != false
            || ((CSharpParseOptions)context.Root.SyntaxTree.Options).LanguageVersion < LanguageVersion.CSharp8
            || untraced.UnitSymbol.ContainingType is not { } type
            || UnitNode(context, untraced)?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is null)
        {
            return false;
        }

        if (FindSource(context, untraced) is not null || (plannedFields?.ContainsKey(type) ?? false))
        {
            return true;
        }

        var project = context.Document.Project;
        return type.DeclaringSyntaxReferences.All(r =>
            r.SyntaxTree == context.Root.SyntaxTree || !project.Documents.Any(d => d.FilePath == r.SyntaxTree.FilePath));
    }

    /// <summary>The unit's method declaration or lambda in this document's tree.</summary>
    private static SyntaxNode? UnitNode(FixContext context, UntracedWrite untraced)
        => untraced.Unit.SyntaxTree != context.Root.SyntaxTree
            ? null
            : context.Root.FindNode(untraced.Unit.Span, getInnermostNodeForTie: true).AncestorsAndSelf()
                .FirstOrDefault(n => n.Span == untraced.Unit.Span && n is BaseMethodDeclarationSyntax or AnonymousFunctionExpressionSyntax);

    /// <summary>
    /// The <c>ActivitySource</c> the unit should write to: one of its type (or bases), else the project's shared one —
    /// a static field or property of type <c>ActivitySource</c> anywhere in the compilation that the unit can read,
    /// one of a <c>*Telemetry</c>/<c>*Diagnostics</c>/<c>*Instrumentation</c> type or named <c>*ActivitySource</c>
    /// first. A new source of a type's own would be one nobody listens to.
    /// </summary>
    private static ISymbol? FindSource(FixContext context, UntracedWrite untraced)
        => TypeMembers.FindReusable(
               untraced.UnitSymbol.ContainingType,
               ScopeSymbols.IsStaticContext(untraced.UnitSymbol),
               t => SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, context.Model.Types.ActivitySource))
           ?? context.SharedSource(untraced.UnitSymbol.ContainingType);

    private static bool PlanTrace(
        FixContext context, UntracedWrite untraced,
        Dictionary<INamedTypeSymbol, (TypeDeclarationSyntax Declaration, string Name)> plannedFields, Edits edits)
    {
        if (!CanTrace(context, untraced, plannedFields))
        {
            return false;
        }

        if (UnitNode(context, untraced) is not { } unit)
        {
            return false;
        }

        var type = untraced.UnitSymbol.ContainingType;
        var bodyPosition = BodyPosition(unit);

        ExpressionSyntax source;
        if (FindSource(context, untraced) is { } existing)
        {
            source = MemberReference(context, existing, bodyPosition);
        }
        else
        {
            if (!plannedFields.TryGetValue(type, out var field))
            {
                var declaration = unit.Ancestors().OfType<TypeDeclarationSyntax>().First();
                var name = Identifiers.Unique(context.SemanticModel, declaration.OpenBraceToken.Span.End, declaration, Array.Empty<string>(),
                    "ToolActivitySource", "AgentActivitySource");
                field = (declaration, name);
                plannedFields.Add(type, field);
            }

            source = IdentifierName(Identifiers.Token(field.Name));
        }

        // A tool's span and its gen_ai.tool.name carry the name the model calls it by (an attribute's Name), as traces
        // of the agent show it; a helper's span is named after the helper.
        var toolAttributes = context.Options.Get(AgentSafetyOptions.Keys.ToolAttributes);
        var isTool = untraced.UnitSymbol.MethodKind == MethodKind.Ordinary && context.Model.ToolMethods.ToolAttribute(untraced.UnitSymbol, toolAttributes) is not null;
        var registered = isTool ? context.Model.ToolMethods.RegisteredName(untraced.UnitSymbol, toolAttributes) : null;
        var spanName = registered ?? untraced.UnitName;
        var activity = Identifiers.Unique(context.SemanticModel, bodyPosition, unit, Array.Empty<string>(), "activity", "toolActivity");
        var statements = new List<StatementSyntax>
        {
            LocalDeclarationStatement(
                    VariableDeclaration(IdentifierName("var"))
                        .AddVariables(VariableDeclarator(Identifiers.Token(activity))
                            .WithInitializer(EqualsValueClause(
                                InvocationExpression(
                                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, source, IdentifierName("StartActivity")),
                                    ArgumentList(SingletonSeparatedList(Argument(Literals.String(spanName)))))))))
                .WithUsingKeyword(Token(SyntaxKind.UsingKeyword)),
        };

        if ((registered ?? untraced.KnownTool) is { } toolName)
        {
            statements.Add(SetTag(activity, ToolNameTag, Literals.String(toolName)));
        }

        foreach (var parameter in LoggableParameters(untraced.UnitSymbol))
        {
            statements.Add(SetTag(activity, parameter.Name, IdentifierName(Identifiers.Token(parameter.Name))));
        }

        var returnsValue = ReturnsValue(untraced.UnitSymbol);
        edits.Add(unit, node => Blocks.BodyOf(node) is { } body
            ? Blocks.WithBody(node, InsertAll(Blocks.OnSeparateLines(body), 0, statements))
            : Blocks.WithBlockBody(node, returnsValue, statements));
        return true;
    }

    private static FieldDeclarationSyntax NewSourceField(FixContext context, INamedTypeSymbol type, string name, TypeDeclarationSyntax declaration, Edits edits)
    {
        var activitySource = context.Model.Types.ActivitySource!;
        TypeSyntax typeSyntax;
        switch (Imports.CanUseSimpleName(context.SemanticModel, declaration.OpenBraceToken.Span.End, activitySource))
        {
            case Imports.TypeNameState.Conflicts:
                typeSyntax = ParseTypeName("global::System.Diagnostics.ActivitySource");
                break;
            case Imports.TypeNameState.NeedsUsing:
                edits.AddUsing(Imports.DiagnosticsNamespace);
                typeSyntax = IdentifierName("ActivitySource");
                break;
            default:
                typeSyntax = IdentifierName("ActivitySource");
                break;
        }

        var sourceName = context.SemanticModel.Compilation.AssemblyName ?? type.ContainingAssembly?.Name ?? type.Name;
        return TypeMembers.PrivateStaticReadonlyField(
            typeSyntax,
            name,
            ObjectCreationExpression(typeSyntax).WithArgumentList(ArgumentList(SingletonSeparatedList(Argument(Literals.String(sourceName))))));
    }

    /// <summary>The member by its simple name when that binds to it at <paramref name="position"/>, else qualified.</summary>
    private static ExpressionSyntax MemberReference(FixContext context, ISymbol member, int position)
    {
        var simple = IdentifierName(Identifiers.Token(member.Name));
        if (context.SemanticModel.LookupSymbols(position, name: member.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, member)))
        {
            return simple;
        }

        ExpressionSyntax receiver = member.IsStatic
            ? ParseTypeName(member.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation)
            : ThisExpression();
        return MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, simple);
    }

    private static StatementSyntax SetTag(string activity, string key, ExpressionSyntax value)
        => ExpressionStatement(
            ConditionalAccessExpression(
                IdentifierName(Identifiers.Token(activity)),
                InvocationExpression(
                    MemberBindingExpression(IdentifierName("SetTag")),
                    ArgumentList(SeparatedList(new[] { Argument(Literals.String(key)), Argument(value) })))));

    // ------------------------------------------------------------------ Log the state change

    private static ISymbol? FindLogger(FixContext context, SyntaxNode write)
        => context.Model.Types.ILogger is null || context.Model.Types.LoggerExtensions is null || Blocks.StatementOrExpressionBodied(write) is not { } anchor
            ? null
            : ScopeSymbols.FindValue(context.SemanticModel, AnchorPosition(anchor), context.Model.Types.IsLogger);

    private static bool PlanLog(FixContext context, Found found, Edits edits)
    {
        if (FindLogger(context, found.Node) is not { } logger || Blocks.StatementOrExpressionBodied(found.Node) is not { } anchor)
        {
            return false;
        }

        var position = AnchorPosition(anchor);
        if (Imports.CanUseSimpleName(context.SemanticModel, position, context.Model.Types.LoggerExtensions!) != Imports.TypeNameState.Available)
        {
            edits.AddUsing(Imports.LoggingNamespace);
        }

        var untraced = found.Untraced;
        var (subject, subjectName) = untraced.KnownTool is { } tool ? ("Tool", tool) : ("Method", untraced.UnitName);
        var placeholders = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { subject, "Operation" };
        var template = new System.Text.StringBuilder();
        template.Append(subject == "Tool" ? "Tool {Tool}" : "{Method}").Append(" calls {Operation}");
        var arguments = new List<ArgumentSyntax>
        {
            Argument(Literals.String(template.ToString())),
            Argument(Literals.String(subjectName)),
            Argument(Literals.String(untraced.Write.Display)),
        };

        var parameters = LoggableParameters(untraced.UnitSymbol)
            .Where(p => context.SemanticModel.LookupSymbols(position, name: p.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, p)))
            .ToList();
        for (var i = 0; i < parameters.Count; i++)
        {
            template.Append(i == 0 ? " (" : ", ").Append(parameters[i].Name).Append(": {").Append(Placeholder(parameters[i].Name, placeholders)).Append('}');
            arguments.Add(Argument(IdentifierName(Identifiers.Token(parameters[i].Name))));
        }

        if (parameters.Count > 0)
        {
            template.Append(')');
        }

        arguments[0] = Argument(Literals.String(template.ToString()));
        var statement = ExpressionStatement(
            InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(Identifiers.Token(logger.Name)), IdentifierName("LogInformation")),
                ArgumentList(SeparatedList(arguments))));

        switch (anchor)
        {
            case LocalFunctionStatementSyntax { ExpressionBody: not null }:
            case BaseMethodDeclarationSyntax:
            case AnonymousFunctionExpressionSyntax:
                var returnsValue = ReturnsValue(context.SemanticModel.GetDeclaredSymbol(anchor) as IMethodSymbol
                                                ?? context.SemanticModel.GetSymbolInfo(anchor).Symbol as IMethodSymbol);
                edits.Add(anchor, node => Blocks.WithBlockBody(node, returnsValue, new[] { statement }));
                break;
            case StatementSyntax { Parent: BlockSyntax block } statementInBlock:
                edits.Add(block, node => Blocks.Insert((BlockSyntax)node, block.Statements.IndexOf(statementInBlock), statement));
                break;
            case StatementSyntax { Parent: SwitchSectionSyntax section } statementInSection:
            {
                var index = section.Statements.IndexOf(statementInSection);
                edits.Add(section, node =>
                {
                    var rewritten = (SwitchSectionSyntax)node;
                    return rewritten.WithStatements(rewritten.Statements.Insert(index, statement.WithAdditionalAnnotations(Formatter.Annotation)));
                });
                break;
            }

            default:
                // if (ok) File.Delete(path);  →  if (ok) { log; File.Delete(path); }
                edits.Add(anchor, node => Block(statement, ((StatementSyntax)node).WithoutTrivia())
                    .WithTriviaFrom(node)
                    .WithAdditionalAnnotations(Formatter.Annotation));
                break;
        }

        return true;
    }

    private static int AnchorPosition(SyntaxNode anchor) => anchor switch
    {
        BaseMethodDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression.SpanStart,
        LocalFunctionStatementSyntax { ExpressionBody: { } arrow } => arrow.Expression.SpanStart,
        StatementSyntax statement => statement.SpanStart,
        AnonymousFunctionExpressionSyntax { ExpressionBody: { } expression } => expression.SpanStart,
        _ => anchor.SpanStart,
    };

    /// <summary>A named placeholder in PascalCase (CA1727), numbered when it would repeat another.</summary>
    private static string Placeholder(string parameterName, HashSet<string> used)
    {
        var name = char.ToUpperInvariant(parameterName[0]) + parameterName.Substring(1);
        var candidate = name;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    // ------------------------------------------------------------------ shared

    /// <summary>
    /// Parameters worth recording: readable (not <c>out</c>, not a discard), of a simple type (primitives, strings,
    /// enums, Guid, dates and times — not services, streams or cancellation tokens), and never secret-named.
    /// </summary>
    /// <summary>Scalars only (ids, names, numbers): never free text such as a report's body, nor a secret-named value.</summary>
    private static IEnumerable<IParameterSymbol> LoggableParameters(IMethodSymbol unit) => ToolParameters.Scalars(unit);

    /// <summary>Whether an expression body becomes <c>return expr;</c>: not for void, nor for async methods returning a plain Task.</summary>
    private static bool ReturnsValue(IMethodSymbol? method)
        => method is { ReturnsVoid: false }
           && !(method.IsAsync && method.ReturnType is INamedTypeSymbol { IsGenericType: false });

    private static int BodyPosition(SyntaxNode unit) => Blocks.BodyOf(unit) is { } body ? body.OpenBraceToken.Span.End : AnchorPosition(unit);

    private static BlockSyntax InsertAll(BlockSyntax block, int index, IReadOnlyList<StatementSyntax> statements)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            block = Blocks.Insert(block, index + i, statements[i]);
        }

        return block;
    }

    /// <summary>A write found again from its diagnostic, judged with the planned edits in mind.</summary>
    private sealed class Found
    {
        public Found(SyntaxNode node, UntracedWrite untraced)
        {
            Node = node;
            Untraced = untraced;
        }

        public SyntaxNode Node { get; }

        public UntracedWrite Untraced { get; }
    }

    private sealed class FixContext
    {
        private FixContext(Document document, SyntaxNode root, SemanticModel semanticModel)
        {
            Document = document;
            Root = root;
            SemanticModel = semanticModel;
            Model = Model.For(semanticModel.Compilation);
            Options = AgentSafetyOptions.For(document.Project.AnalyzerOptions, root.SyntaxTree);
        }

        public Document Document { get; }

        public SyntaxNode Root { get; }

        public SemanticModel SemanticModel { get; }

        public Model Model { get; }

        public AgentSafetyOptions Options { get; }

        public static async Task<FixContext?> CreateAsync(Document document, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            return root is null || semanticModel is null ? null : new FixContext(document, root, semanticModel);
        }

        private ISymbol? _sharedSource;
        private bool _sharedSourceSearched;

        /// <summary>The compilation's shared <c>ActivitySource</c> that code in <paramref name="within"/> can read (see <c>FindSource</c>).</summary>
        public ISymbol? SharedSource(INamedTypeSymbol within)
        {
            if (!_sharedSourceSearched)
            {
                _sharedSourceSearched = true;
                var activitySource = Model.Types.ActivitySource;
                var compilation = SemanticModel.Compilation;
                _sharedSource = activitySource is null
                    ? null
                    : compilation.GetSymbolsWithName(_ => true, SymbolFilter.Member)
                        .Where(m => m.IsStatic && !m.IsImplicitlyDeclared && m.ContainingAssembly.Equals(compilation.Assembly, SymbolEqualityComparer.Default))
                        .Where(m => m switch
                        {
                            IFieldSymbol field => SymbolEqualityComparer.Default.Equals(field.Type, activitySource),
                            IPropertySymbol property => property.GetMethod is not null && SymbolEqualityComparer.Default.Equals(property.Type, activitySource),
                            _ => false,
                        })
                        .Where(m => compilation.IsSymbolAccessibleWithin(m, within))
                        .OrderBy(m => Preference(m))
                        .ThenBy(m => m.ContainingType.ToDisplayString(), StringComparer.Ordinal)
                        .ThenBy(m => m.Name, StringComparer.Ordinal)
                        .FirstOrDefault();
            }

            return _sharedSource is not null && SemanticModel.Compilation.IsSymbolAccessibleWithin(_sharedSource, within) ? _sharedSource : null;

            static int Preference(ISymbol member)
            {
                var typeName = member.ContainingType.Name;
                if (typeName.EndsWith("Telemetry", StringComparison.Ordinal) || typeName.EndsWith("Diagnostics", StringComparison.Ordinal)
                    || typeName.EndsWith("Instrumentation", StringComparison.Ordinal))
                {
                    return 0;
                }

                return member.Name.EndsWith("ActivitySource", StringComparison.Ordinal) || member.Name == "Source" ? 1 : 2;
            }
        }

        public Found? Find(Diagnostic diagnostic, Func<SyntaxNode, bool>? willTrace)
        {
            var span = diagnostic.Location.SourceSpan;
            var node = Root.FindNode(span, getInnermostNodeForTie: true)
                .AncestorsAndSelf()
                .FirstOrDefault(n => n.Span == span && n is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax);
            if (node is null
                || SemanticModel.GetOperation(node) is not { } operation
                || SemanticModel.GetEnclosingSymbol(node.SpanStart) is not { } owner
                || UntracedStateChangeAnalyzer.Find(Model, operation, owner, Options, willTrace) is not { } untraced)
            {
                return null;
            }

            return new Found(node, untraced);
        }
    }

    /// <summary>Edits of one document, keyed by the node they rewrite; nested and repeated edits compose.</summary>
    private sealed class Edits
    {
        private readonly Dictionary<SyntaxNode, List<Func<SyntaxNode, SyntaxNode>>> _edits = new();
        private readonly SortedSet<string> _usings = new(StringComparer.Ordinal);

        public bool IsEmpty => _edits.Count == 0;

        public void Add(SyntaxNode node, Func<SyntaxNode, SyntaxNode> edit)
        {
            if (!_edits.TryGetValue(node, out var list))
            {
                list = new List<Func<SyntaxNode, SyntaxNode>>();
                _edits.Add(node, list);
            }

            list.Add(edit);
        }

        public void AddUsing(string namespaceName) => _usings.Add(namespaceName);

        public SyntaxNode ApplyTo(SyntaxNode root)
        {
            // Insertions into one block are applied last-first, so each keeps the index it was planned at.
            var newRoot = root.ReplaceNodes(_edits.Keys, (original, rewritten) =>
                Enumerable.Reverse(_edits[original]).Aggregate(rewritten, (node, edit) => edit(node)));
            foreach (var namespaceName in _usings)
            {
                newRoot = Imports.AddUsing(newRoot, namespaceName);
            }

            return newRoot;
        }
    }
}
