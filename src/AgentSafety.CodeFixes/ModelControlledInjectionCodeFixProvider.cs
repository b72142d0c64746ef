using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using AgentSafety.Analyzers;
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

namespace AgentSafety.CodeFixes;

/// <summary>
/// AGS006 fixes: contain a model-chosen path in an allowed folder (a guard before the sink, the root in a new field),
/// and pass model-chosen values to SQL as parameters (ADO.NET <c>Parameters.AddWithValue</c> for an interpolated
/// command text; EF Core <c>FromSqlRaw($"...")</c> becomes <c>FromSql($"...")</c>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ModelControlledInjectionCodeFixProvider)), Shared]
public sealed class ModelControlledInjectionCodeFixProvider : AgentSafetyCodeFixProvider
{
    public const string ContainPathKey = "AGS006.ContainPath";
    public const string ParameterizeSqlKey = "AGS006.ParameterizeSql";

    /// <summary>The field the path fix adds (or reuses) for the allowed folder.</summary>
    public const string RootFieldName = "AllowedRoot";

    private static readonly FixKind ContainPath = new("Contain the path in an allowed folder", ContainPathKey);
    private static readonly FixKind ParameterizeSql = new("Pass the values as SQL parameters", ParameterizeSqlKey);

    private static readonly ImmutableDictionary<string, string> EntityFrameworkSafeNames = ImmutableDictionary.CreateRange(StringComparer.Ordinal, new[]
    {
        new KeyValuePair<string, string>("FromSqlRaw", "FromSql"),
        new KeyValuePair<string, string>("ExecuteSqlRaw", "ExecuteSql"),
        new KeyValuePair<string, string>("ExecuteSqlRawAsync", "ExecuteSqlAsync"),
        new KeyValuePair<string, string>("SqlQueryRaw", "SqlQuery"),
    });

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ModelControlledInjection);

    protected override async Task<ImmutableArray<FixKind>> GetApplicableFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return ImmutableArray<FixKind>.Empty;
        }

        return Plan(root, semanticModel, diagnostic, cancellationToken) switch
        {
            PathPlan => ImmutableArray.Create(ContainPath),
            SqlParametersPlan or EntityFrameworkPlan => ImmutableArray.Create(ParameterizeSql),
            _ => ImmutableArray<FixKind>.Empty,
        };
    }

    protected override async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Workspace.Services);
        var anchors = new HashSet<SyntaxNode>();
        var rootFields = new Dictionary<TypeDeclarationSyntax, string>();
        var reservedLocals = new Dictionary<SyntaxNode, HashSet<string>>();
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var plan = Plan(root, semanticModel, diagnostic, cancellationToken);
            // One edit per statement: a second sink in the statement the first fix rewrote is left for another pass.
            if (plan is null || !anchors.Add(plan.Anchor))
            {
                continue;
            }

            switch (plan)
            {
                case PathPlan path when equivalenceKey == ContainPathKey:
                    ApplyPath(editor, path, semanticModel, rootFields, reservedLocals);
                    // Only what the file cannot name yet: a project with implicit (global) usings has both.
                    Imports.RequireTypes(semanticModel, path.Anchor.SpanStart, usings,
                        "System.IO.Path", "System.StringComparison", "System.AppContext", "System.ArgumentException");
                    break;
                case SqlParametersPlan sql when equivalenceKey == ParameterizeSqlKey:
                    ApplySqlParameters(editor, sql);
                    break;
                case EntityFrameworkPlan ef when equivalenceKey == ParameterizeSqlKey:
                    editor.ReplaceNode(ef.Name, ef.Name.WithIdentifier(Identifier(ef.Name.Identifier.LeadingTrivia, ef.SafeName, ef.Name.Identifier.TrailingTrivia)));
                    break;
            }
        }

        foreach (var field in rootFields)
        {
            editor.ReplaceNode(field.Key, (current, _) => TypeMembers.AddLeadingField((TypeDeclarationSyntax)current, RootField(field.Value)));
        }

        var changed = editor.GetChangedRoot();
        foreach (var name in usings)
        {
            changed = Imports.AddUsing(changed, name);
        }

        var fixedDocument = document.WithSyntaxRoot(changed);
        fixedDocument = await Formatter.FormatAsync(fixedDocument, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(fixedDocument, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ plans (read from the unchanged document)

    private abstract class FixPlan
    {
        protected FixPlan(SyntaxNode anchor) => Anchor = anchor;

        /// <summary>The statement (or expression-bodied member) the fix rewrites.</summary>
        public SyntaxNode Anchor { get; }
    }

    private sealed class PathPlan : FixPlan
    {
        public PathPlan(SyntaxNode anchor, ExpressionSyntax value, TypeDeclarationSyntax type, string? parameterName, bool returnsValue)
            : base(anchor)
        {
            Value = value;
            Type = type;
            ParameterName = parameterName;
            ReturnsValue = returnsValue;
        }

        public ExpressionSyntax Value { get; }

        public TypeDeclarationSyntax Type { get; }

        public string? ParameterName { get; }

        public bool ReturnsValue { get; }
    }

    private sealed class SqlParametersPlan : FixPlan
    {
        public SqlParametersPlan(StatementSyntax statement, InterpolatedStringExpressionSyntax text, ExpressionSyntax command)
            : base(statement)
        {
            Statement = statement;
            Text = text;
            Command = command;
        }

        public StatementSyntax Statement { get; }

        public InterpolatedStringExpressionSyntax Text { get; }

        /// <summary>The command whose <c>Parameters</c> take the values.</summary>
        public ExpressionSyntax Command { get; }
    }

    private sealed class EntityFrameworkPlan : FixPlan
    {
        public EntityFrameworkPlan(SyntaxNode anchor, SimpleNameSyntax name, string safeName)
            : base(anchor)
        {
            Name = name;
            SafeName = safeName;
        }

        public SimpleNameSyntax Name { get; }

        public string SafeName { get; }
    }

    private static FixPlan? Plan(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(ModelControlledInjectionAnalyzer.SinkKindProperty, out var kind)
            || !diagnostic.Properties.TryGetValue(ModelControlledInjectionAnalyzer.ValueStartProperty, out var startText)
            || !int.TryParse(startText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var valueStart))
        {
            return null;
        }

        var sink = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var value = sink.DescendantNodesAndSelf().OfType<ExpressionSyntax>()
            .FirstOrDefault(e => e.SpanStart == valueStart && e.Parent is ArgumentSyntax or AssignmentExpressionSyntax { Right: not null } && (e.Parent is ArgumentSyntax || ((AssignmentExpressionSyntax)e.Parent).Right == e));
        if (value is null)
        {
            return null;
        }

        return kind switch
        {
            "Path" => PlanPath(value, semanticModel, cancellationToken),
            "Sql" => (FixPlan?)PlanEntityFramework(sink, value) ?? PlanSqlParameters(sink, value, semanticModel, cancellationToken),
            _ => null,
        };
    }

    private static PathPlan? PlanPath(ExpressionSyntax value, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var anchor = Blocks.StatementOrExpressionBodied(value);
        var type = value.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (anchor is null || type is null || type is InterfaceDeclarationSyntax)
        {
            return null;
        }

        // A guard goes before a statement in a block, or into a method's expression body made a block. Elsewhere (an
        // embedded statement, a lambda's expression body, a field initializer) the fix is not offered.
        bool returnsValue;
        switch (anchor)
        {
            // An expression-bodied local function is a statement too: its guard goes into its own body (made a block),
            // where it runs when the function does, not before the function's declaration.
            case StatementSyntax { Parent: BlockSyntax } and not LocalFunctionStatementSyntax:
                returnsValue = false;
                break;
            case BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax:
                var symbol = semanticModel.GetDeclaredSymbol(anchor, cancellationToken) as IMethodSymbol;
                if (symbol is null)
                {
                    return null;
                }

                returnsValue = !symbol.ReturnsVoid
                               && !(symbol.IsAsync && symbol.ReturnType is INamedTypeSymbol { IsGenericType: false, Name: "Task" or "ValueTask" });
                break;
            default:
                return null;
        }

        var parameterName = value is IdentifierNameSyntax identifier
                            && semanticModel.GetSymbolInfo(identifier, cancellationToken).Symbol is IParameterSymbol parameter
            ? parameter.Name
            : null;
        return new PathPlan(anchor, value, type, parameterName, returnsValue);
    }

    private static EntityFrameworkPlan? PlanEntityFramework(SyntaxNode sink, ExpressionSyntax value)
    {
        if (sink is not InvocationExpressionSyntax invocation || value is not InterpolatedStringExpressionSyntax
            || invocation.ArgumentList.Arguments.Count(a => a.Expression is not (IdentifierNameSyntax { Identifier.ValueText: "cancellationToken" })) != 1)
        {
            return null;
        }

        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name,
            SimpleNameSyntax simple => simple,
            _ => null,
        };
        return name is not null && EntityFrameworkSafeNames.TryGetValue(name.Identifier.ValueText, out var safeName)
            ? new EntityFrameworkPlan(sink, name, safeName)
            : null;
    }

    private static SqlParametersPlan? PlanSqlParameters(SyntaxNode sink, ExpressionSyntax value, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        if (value is not InterpolatedStringExpressionSyntax text
            || text.Contents.OfType<InterpolationSyntax>().Any(i => i.AlignmentClause is not null || i.FormatClause is not null)
            || !text.Contents.OfType<InterpolationSyntax>().Any())
        {
            return null;
        }

        // cmd.CommandText = $"..."; or var cmd = new XCommand($"...", connection);
        ExpressionSyntax? command = null;
        StatementSyntax? statement = null;
        if (sink is AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: { } receiver }, Parent: ExpressionStatementSyntax assignmentStatement })
        {
            command = receiver;
            statement = assignmentStatement;
        }
        else if (sink is BaseObjectCreationExpressionSyntax { Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } }
                 && declarator.Parent is VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax declaration })
        {
            command = IdentifierName(declarator.Identifier.WithoutTrivia());
            statement = declaration;
        }

        if (command is null || statement is not { Parent: BlockSyntax })
        {
            return null;
        }

        // The command's parameter collection must take a name and a value (SqlParameterCollection, SqliteParameterCollection, ...).
        var commandType = sink is AssignmentExpressionSyntax assignment
            ? semanticModel.GetTypeInfo(((MemberAccessExpressionSyntax)assignment.Left).Expression, cancellationToken).Type
            : semanticModel.GetTypeInfo(sink, cancellationToken).Type;
        var parameters = commandType?.GetMembers("Parameters").OfType<IPropertySymbol>().FirstOrDefault()?.Type
                         ?? AllBases(commandType).SelectMany(t => t.GetMembers("Parameters")).OfType<IPropertySymbol>().FirstOrDefault()?.Type;
        var takesValues = AllBases(parameters).Any(t => t.GetMembers("AddWithValue").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 2));
        return takesValues ? new SqlParametersPlan(statement, text, command) : null;
    }

    private static IEnumerable<ITypeSymbol> AllBases(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            yield return current;
        }
    }

    // ------------------------------------------------------------------ edits

    private static void ApplyPath(SyntaxEditor editor, PathPlan plan, SemanticModel semanticModel, Dictionary<TypeDeclarationSyntax, string> rootFields, Dictionary<SyntaxNode, HashSet<string>> reservedLocals)
    {
        if (!rootFields.TryGetValue(plan.Type, out var rootName))
        {
            var typeSymbol = semanticModel.GetDeclaredSymbol(plan.Type);
            var existing = typeSymbol?.GetMembers(RootFieldName).FirstOrDefault();
            rootName = existing is IFieldSymbol { Type.SpecialType: SpecialType.System_String } or IPropertySymbol { Type.SpecialType: SpecialType.System_String }
                ? RootFieldName
                : typeSymbol is null ? RootFieldName : TypeMembers.UniqueMemberName(typeSymbol, plan.Type, RootFieldName);
            if (existing is null || rootName != RootFieldName)
            {
                rootFields[plan.Type] = rootName;
            }
        }

        var member = (SyntaxNode?)plan.Anchor.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? plan.Anchor;
        if (!reservedLocals.TryGetValue(member, out var reserved))
        {
            reserved = new HashSet<string>(StringComparer.Ordinal);
            reservedLocals[member] = reserved;
        }

        var local = Identifiers.Unique(semanticModel, plan.Value.SpanStart, member, reserved, "fullPath");
        reserved.Add(local);

        var pathType = ParseTypeName("System.IO.Path").WithAdditionalAnnotations(Simplifier.Annotation);
        var fullPath = LocalDeclarationStatement(VariableDeclaration(IdentifierName(Identifier(TriviaList(), SyntaxKind.VarKeyword, "var", "var", TriviaList())))
            .AddVariables(VariableDeclarator(Identifiers.Token(local)).WithInitializer(EqualsValueClause(
                InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, pathType, IdentifierName("GetFullPath")))
                    .AddArgumentListArguments(Argument(
                        InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, pathType, IdentifierName("Combine")))
                            .AddArgumentListArguments(Argument(IdentifierName(rootName)), Argument(plan.Value.WithoutTrivia()))))))));
        var exceptionArguments = new List<ArgumentSyntax> { Argument(Literals.String("The path is outside the allowed folder.")) };
        if (plan.ParameterName is { } parameterName)
        {
            exceptionArguments.Add(Argument(InvocationExpression(IdentifierName(Identifier(TriviaList(), SyntaxKind.NameOfKeyword, "nameof", "nameof", TriviaList()))).AddArgumentListArguments(Argument(IdentifierName(parameterName)))));
        }

        var guard = IfStatement(
            PrefixUnaryExpression(SyntaxKind.LogicalNotExpression,
                InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(local), IdentifierName("StartsWith")))
                    .AddArgumentListArguments(
                        Argument(IdentifierName(rootName)),
                        Argument(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                            ParseTypeName("System.StringComparison").WithAdditionalAnnotations(Simplifier.Annotation), IdentifierName("Ordinal"))))),
            Block(ThrowStatement(ObjectCreationExpression(ParseTypeName("System.ArgumentException").WithAdditionalAnnotations(Simplifier.Annotation))
                .WithArgumentList(ArgumentList(SeparatedList(exceptionArguments))))));
        var statements = new StatementSyntax[] { fullPath, guard }.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)).ToArray();

        editor.ReplaceNode(plan.Value, IdentifierName(local).WithTriviaFrom(plan.Value));
        if (plan.Anchor is StatementSyntax statement and not LocalFunctionStatementSyntax)
        {
            editor.InsertBefore(statement, statements);
        }
        else
        {
            editor.ReplaceNode(plan.Anchor, (current, _) => Blocks.WithBlockBody(current, plan.ReturnsValue, statements).WithAdditionalAnnotations(Formatter.Annotation));
        }
    }

    /// <summary><c>private static readonly string AllowedRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "data")) + Path.DirectorySeparatorChar;</c></summary>
    private static FieldDeclarationSyntax RootField(string name)
    {
        var pathType = ParseTypeName("System.IO.Path").WithAdditionalAnnotations(Simplifier.Annotation);
        var folder = InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, pathType, IdentifierName("GetFullPath")))
            .AddArgumentListArguments(Argument(InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, pathType, IdentifierName("Combine")))
                .AddArgumentListArguments(
                    Argument(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                        ParseTypeName("System.AppContext").WithAdditionalAnnotations(Simplifier.Annotation), IdentifierName("BaseDirectory"))),
                    Argument(Literals.String("data")))));
        var initializer = BinaryExpression(SyntaxKind.AddExpression, folder,
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, pathType, IdentifierName("DirectorySeparatorChar")));
        return TypeMembers.PrivateStaticReadonlyField(PredefinedType(Token(SyntaxKind.StringKeyword)), name, initializer);
    }

    private static void ApplySqlParameters(SyntaxEditor editor, SqlParametersPlan plan)
    {
        var contents = plan.Text.Contents;
        var text = new System.Text.StringBuilder();
        var values = new List<ExpressionSyntax>();
        for (var i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case InterpolatedStringTextSyntax part:
                    var partText = part.TextToken.ValueText;
                    // '{name}' becomes @p0: the quotes belonged to the literal the value was pasted into.
                    if (i + 1 < contents.Count && contents[i + 1] is InterpolationSyntax && partText.EndsWith("'", StringComparison.Ordinal)
                        && i + 2 < contents.Count && contents[i + 2] is InterpolatedStringTextSyntax next && next.TextToken.ValueText.StartsWith("'", StringComparison.Ordinal))
                    {
                        partText = partText.Substring(0, partText.Length - 1);
                    }

                    if (i > 0 && contents[i - 1] is InterpolationSyntax && partText.StartsWith("'", StringComparison.Ordinal)
                        && i > 1 && contents[i - 2] is InterpolatedStringTextSyntax previous && previous.TextToken.ValueText.EndsWith("'", StringComparison.Ordinal))
                    {
                        partText = partText.Substring(1);
                    }

                    text.Append(partText);
                    break;
                case InterpolationSyntax hole:
                    text.Append("@p").Append(values.Count.ToString(CultureInfo.InvariantCulture));
                    values.Add(hole.Expression.WithoutTrivia());
                    break;
            }
        }

        editor.ReplaceNode(plan.Text, Literals.String(text.ToString()).WithTriviaFrom(plan.Text));
        var added = values.Select((value, index) => (StatementSyntax)ExpressionStatement(
                InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression,
                        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, plan.Command.WithoutTrivia(), IdentifierName("Parameters")),
                        IdentifierName("AddWithValue")))
                    .AddArgumentListArguments(Argument(Literals.String("@p" + index.ToString(CultureInfo.InvariantCulture))), Argument(value)))
            .WithAdditionalAnnotations(Formatter.Annotation));
        editor.InsertAfter(plan.Statement, added);
    }
}
