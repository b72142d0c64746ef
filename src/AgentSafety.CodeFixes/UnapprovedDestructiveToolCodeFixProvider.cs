using System.Collections.Immutable;
using System.Composition;
using AgentSafety.Analyzers;
using AgentSafety.Analyzers.Rules;
using AgentSafety.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AgentSafety.CodeFixes;

/// <summary>
/// AGS007 fixes: wrap an <c>AIFunctionFactory.Create</c> function in <c>ApprovalRequiredAIFunction</c>; make an MCP
/// tool elicit the user's consent first (adding an <c>McpServer</c> parameter when it has none); remove a hint that
/// understates what the tool does.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnapprovedDestructiveToolCodeFixProvider)), Shared]
public sealed class UnapprovedDestructiveToolCodeFixProvider : AgentSafetyCodeFixProvider
{
    public const string RequireApprovalKey = "AGS007.RequireApproval";
    public const string ElicitApprovalKey = "AGS007.ElicitApproval";
    public const string RemoveFalseHintKey = "AGS007.RemoveFalseHint";

    private static readonly FixKind RequireApproval = new("Require approval (ApprovalRequiredAIFunction)", RequireApprovalKey);
    private static readonly FixKind ElicitApproval = new("Ask the user first (MCP elicitation)", ElicitApprovalKey);
    private static readonly FixKind RemoveFalseHint = new("Remove the false hint", RemoveFalseHintKey);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnapprovedDestructiveTool);

    protected override async Task<ImmutableArray<FixKind>> GetApplicableFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return ImmutableArray<FixKind>.Empty;
        }

        return diagnostic.Properties.TryGetValue(UnapprovedDestructiveToolAnalyzer.FixProperty, out var fix) switch
        {
            true when fix == UnapprovedDestructiveToolAnalyzer.WrapFix && CreateCall(root, diagnostic) is not null => ImmutableArray.Create(RequireApproval),
            true when fix == UnapprovedDestructiveToolAnalyzer.ElicitFix && ElicitPlan.For(root, semanticModel, diagnostic, cancellationToken) is not null => ImmutableArray.Create(ElicitApproval),
            true when fix == UnapprovedDestructiveToolAnalyzer.RemoveHintFix && HintArgument(root, diagnostic) is not null => ImmutableArray.Create(RemoveFalseHint),
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
        var usings = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            switch (equivalenceKey)
            {
                case RequireApprovalKey when CreateCall(root, diagnostic) is { } create && done.Add(create):
                    var wrapper = semanticModel.Compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ApprovalRequiredAIFunction");
                    if (wrapper is not null)
                    {
                        var type = Imports.TypeName(semanticModel, create.SpanStart, wrapper, usings);
                        editor.ReplaceNode(create, (current, _) => ObjectCreationExpression(type)
                            .WithArgumentList(ArgumentList(SingletonSeparatedList(Argument(((ExpressionSyntax)current).WithoutTrivia()))))
                            .WithTriviaFrom(current));
                    }

                    break;
                case ElicitApprovalKey when ElicitPlan.For(root, semanticModel, diagnostic, cancellationToken) is { } plan && done.Add(plan.Method):
                    var rewritten = plan.Apply(semanticModel, usings);
                    editor.ReplaceNode(plan.Method, (_, _) => rewritten);
                    break;
                case RemoveFalseHintKey when HintArgument(root, diagnostic) is { } argument && done.Add(argument):
                    var attribute = (AttributeSyntax)argument.Parent!.Parent!;
                    var remaining = attribute.ArgumentList!.Arguments.Remove(argument);
                    editor.ReplaceNode(attribute, (current, _) => ((AttributeSyntax)current).WithArgumentList(
                        remaining.Count == 0 ? null : ((AttributeSyntax)current).ArgumentList!.WithArguments(remaining)));
                    break;
            }
        }

        var newRoot = editor.GetChangedRoot();
        foreach (var ns in usings)
        {
            newRoot = Imports.AddUsing(newRoot, ns);
        }

        return document.WithSyntaxRoot(newRoot);
    }

    /// <summary>The <c>AIFunctionFactory.Create(...)</c> call whose lambda the diagnostic is on.</summary>
    private static InvocationExpressionSyntax? CreateCall(SyntaxNode root, Diagnostic diagnostic)
        => root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<LambdaExpressionSyntax>() is { Parent: ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax create } } }
           && create.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Create" }
            ? create
            : null;

    /// <summary>The <c>ReadOnly = true</c> / <c>Destructive = false</c> argument of the tool attribute the diagnostic names.</summary>
    private static AttributeArgumentSyntax? HintArgument(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(UnapprovedDestructiveToolAnalyzer.HintProperty, out var hint)
            || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not MethodDeclarationSyntax method)
        {
            return null;
        }

        return method.AttributeLists.SelectMany(l => l.Attributes)
            .Where(a => a.Name.ToString() is "McpServerTool" or "McpServerToolAttribute" || a.Name.ToString().EndsWith(".McpServerTool", StringComparison.Ordinal) || a.Name.ToString().EndsWith(".McpServerToolAttribute", StringComparison.Ordinal))
            .SelectMany(a => a.ArgumentList?.Arguments ?? default)
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == hint);
    }

    /// <summary>What the elicitation fix writes into one MCP tool method.</summary>
    private sealed class ElicitPlan
    {
        private ElicitPlan(MethodDeclarationSyntax method, IMethodSymbol symbol, string toolName, INamedTypeSymbol mcpServer, INamedTypeSymbol requestParams, INamedTypeSymbol task, ReturnKind returns)
        {
            Method = method;
            Symbol = symbol;
            ToolName = toolName;
            McpServer = mcpServer;
            RequestParams = requestParams;
            Task = task;
            Returns = returns;
        }

        private enum ReturnKind
        {
            /// <summary>An async method returning Task or ValueTask: <c>return;</c>.</summary>
            Nothing,

            /// <summary>An async method returning Task&lt;string&gt; or ValueTask&lt;string&gt;: <c>return "...";</c>.</summary>
            Text,

            /// <summary>A synchronous void method: becomes <c>async Task</c>.</summary>
            VoidToTask,

            /// <summary>A synchronous string method: becomes <c>async Task&lt;string&gt;</c>.</summary>
            TextToTask,
        }

        public MethodDeclarationSyntax Method { get; }

        private IMethodSymbol Symbol { get; }

        private string ToolName { get; }

        private INamedTypeSymbol McpServer { get; }

        private INamedTypeSymbol RequestParams { get; }

        private INamedTypeSymbol Task { get; }

        private ReturnKind Returns { get; }

        public static ElicitPlan? For(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not MethodDeclarationSyntax method
                || (method.Body is null && method.ExpressionBody is null)
                || semanticModel.GetDeclaredSymbol(method, cancellationToken) is not { } symbol
                || semanticModel.Compilation.GetTypeByMetadataName("ModelContextProtocol.Server.McpServer") is not { } server
                || semanticModel.Compilation.GetTypeByMetadataName("ModelContextProtocol.Protocol.ElicitRequestParams") is not { } requestParams
                || semanticModel.Compilation.GetTypeByMetadataName("System.Threading.Tasks.Task") is not { } task)
            {
                return null;
            }

            var isAsync = method.Modifiers.Any(SyntaxKind.AsyncKeyword);
            var returnType = symbol.ReturnType;
            ReturnKind? returns = returnType switch
            {
                { SpecialType: SpecialType.System_Void } when !isAsync => ReturnKind.VoidToTask,
                { SpecialType: SpecialType.System_String } when !isAsync => ReturnKind.TextToTask,
                INamedTypeSymbol { Name: "Task" or "ValueTask", Arity: 0 } when isAsync => ReturnKind.Nothing,
                INamedTypeSymbol { Name: "Task" or "ValueTask", Arity: 1 } generic when isAsync && generic.TypeArguments[0].SpecialType == SpecialType.System_String => ReturnKind.Text,
                _ => null,
            };
            var toolName = diagnostic.Properties.TryGetValue(UnapprovedDestructiveToolAnalyzer.ToolNameProperty, out var name) && name is not null ? name : symbol.Name;
            return returns is { } kind ? new ElicitPlan(method, symbol, toolName, server, requestParams, task, kind) : null;
        }

        public MethodDeclarationSyntax Apply(SemanticModel semanticModel, ISet<string> usings)
        {
            var position = Method.SpanStart;
            var server = Symbol.Parameters.FirstOrDefault(p => SymbolEqualityComparer.Default.Equals(p.Type, McpServer))?.Name;
            var method = Method;
            if (server is null)
            {
                server = Identifiers.Unique(semanticModel, position, Method, Symbol.Parameters.Select(p => p.Name).ToList(), "server", "mcpServer");
                var parameter = Parameter(Identifiers.Token(server)).WithType(Imports.TypeName(semanticModel, position, McpServer, usings));
                method = method.WithParameterList(method.ParameterList.WithParameters(method.ParameterList.Parameters.Insert(0, parameter)));
            }

            var token = Symbol.Parameters.FirstOrDefault(p => p.Type is { Name: "CancellationToken", ContainingNamespace.Name: "Threading" })?.Name;
            var statements = Statements(semanticModel, position, server, token, usings);
            if (Returns is ReturnKind.VoidToTask or ReturnKind.TextToTask)
            {
                var returnType = Returns == ReturnKind.TextToTask && semanticModel.Compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1") is { } taskOfT
                    ? Imports.TypeName(semanticModel, position, taskOfT, usings, method.ReturnType.WithoutTrivia())
                    : Imports.TypeName(semanticModel, position, Task, usings);
                method = method.WithReturnType(returnType.WithTriviaFrom(method.ReturnType))
                    .AddModifiers(Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(Space));
            }

            if (method.ExpressionBody is not null)
            {
                var returnsValue = Returns is ReturnKind.Text or ReturnKind.TextToTask;
                return ((MethodDeclarationSyntax)Blocks.WithBlockBody(method, returnsValue, statements)).WithAdditionalAnnotations(Formatter.Annotation);
            }

            var body = Blocks.OnSeparateLines(method.Body!);
            for (var i = statements.Length - 1; i >= 0; i--)
            {
                body = Blocks.Insert(body, 0, statements[i]);
            }

            return method.WithBody(body);
        }

        /// <summary>
        /// <c>var approval = await server.ElicitAsync(new ElicitRequestParams { Message = "..." }, token);</c> and
        /// <c>if (!approval.IsAccepted) { return "Cancelled: ..."; }</c>.
        /// </summary>
        private ImmutableArray<StatementSyntax> Statements(SemanticModel semanticModel, int position, string server, string? token, ISet<string> usings)
        {
            var approval = Identifiers.Unique(semanticModel, position, Method, Symbol.Parameters.Select(p => p.Name).Append(server).ToList(), "approval", "userApproval");
            var request = ObjectCreationExpression(Imports.TypeName(semanticModel, position, RequestParams, usings))
                .WithArgumentList(ArgumentList())
                .WithInitializer(InitializerExpression(
                    SyntaxKind.ObjectInitializerExpression,
                    SingletonSeparatedList<ExpressionSyntax>(AssignmentExpression(
                        SyntaxKind.SimpleAssignmentExpression,
                        IdentifierName("Message"),
                        Literals.String($"Allow '{ToolName}' to run? It cannot be undone.")))));
            var arguments = new List<ArgumentSyntax> { Argument(request) };
            if (token is not null)
            {
                arguments.Add(Argument(IdentifierName(Identifiers.Token(token))));
            }

            var ask = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var")).AddVariables(
                VariableDeclarator(Identifiers.Token(approval)).WithInitializer(EqualsValueClause(AwaitExpression(
                    InvocationExpression(
                        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(Identifiers.Token(server)), IdentifierName("ElicitAsync")),
                        ArgumentList(SeparatedList(arguments))))))));
            var cancelled = Returns is ReturnKind.Text or ReturnKind.TextToTask
                ? ReturnStatement(Literals.String($"Cancelled: the user did not approve '{ToolName}'."))
                : ReturnStatement();
            var check = IfStatement(
                PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(Identifiers.Token(approval)), IdentifierName("IsAccepted"))),
                Block(cancelled));
            return ImmutableArray.Create<StatementSyntax>(ask.WithAdditionalAnnotations(Formatter.Annotation), check.WithAdditionalAnnotations(Formatter.Annotation));
        }
    }
}
