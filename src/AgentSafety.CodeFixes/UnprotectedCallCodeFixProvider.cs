using System.Collections.Immutable;
using System.Composition;
using AgentSafety.Analyzers;
using AgentSafety.Analyzers.AgentModel;
using AgentSafety.CodeFixes.Editing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.CodeFixes;

/// <summary>
/// AGS002 fixes, in the order offered (<c>dotnet format</c> applies the first): for an HTTP call on a client from
/// <c>IHttpClientFactory</c> whose <c>AddHttpClient(...)</c> registration is in the compilation, and when
/// Microsoft.Extensions.Http.Resilience is referenced, register <c>AddStandardResilienceHandler()</c> on that client
/// (a solution-level edit of the registration, wherever it is); then run the awaited call through a Polly resilience
/// pipeline (a pipeline field of the type, or one added per type), or, without Polly, through a retry helper added
/// once per type. The call gets the executor's cancellation token (it replaces the one the call had, which goes to
/// the executor).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnprotectedCallCodeFixProvider)), Shared]
public sealed class UnprotectedCallCodeFixProvider : AgentSafetyCodeFixProvider
{
    public const string ResiliencePipelineKey = "AGS002.ResiliencePipeline";
    public const string RetryWithBackoffKey = "AGS002.RetryWithBackoff";
    public const string StandardResilienceHandlerKey = "AGS002.StandardResilienceHandler";

    /// <summary>Where <c>AddStandardResilienceHandler</c> is declared (Microsoft.Extensions.Http.Resilience).</summary>
    private const string ResilienceBuilderExtensions = "Microsoft.Extensions.DependencyInjection.ResilienceHttpClientBuilderExtensions";

    /// <summary>Where <c>DisableForUnsafeHttpMethods</c> is declared (Microsoft.Extensions.Http.Resilience).</summary>
    private const string RetryOptionsExtensions = "Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptionsExtensions";

    internal const string PipelineFieldName = "RetryPipeline";
    internal const string HelperName = "RetryWithBackoffAsync";
    internal const string PredicateName = "IsTransientHttpFailure";

    /// <summary>Retries after the first attempt, for both fixes (Polly's <c>MaxRetryAttempts</c>).</summary>
    private const int MaxRetryAttempts = 3;

    /// <summary>The pipeline's timeout for one attempt: model calls that generate long answers need tens of seconds.</summary>
    private const int AttemptTimeoutSeconds = 60;

    /// <summary>The helper's first backoff; each retry doubles it, and jitter spreads it by ±50%.</summary>
    private const int FirstBackoffMilliseconds = 500;

    private static readonly FixKind Pipeline = new("Run through a resilience pipeline (retry with backoff, timeout)", ResiliencePipelineKey);
    private static readonly FixKind RetryHelper = new("Retry with exponential backoff", RetryWithBackoffKey);

    /// <summary>The handler fix; its title names the client: "... on the 'weather' client".</summary>
    private static readonly FixKind Handler = new("Register AddStandardResilienceHandler()", StandardResilienceHandlerKey);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UnprotectedCall);

    protected override async Task<ImmutableArray<FixKind>> GetApplicableFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return ImmutableArray<FixKind>.Empty;
        }

        var fixes = ImmutableArray.CreateBuilder<FixKind>();
        var registrations = HandlerRegistrations(root, semanticModel, diagnostic, cancellationToken);
        if (!registrations.IsEmpty)
        {
            var clients = registrations.Select(ClientName).Distinct().ToList();
            fixes.Add(new FixKind(
                $"{Handler.Title} on the '{string.Join("', '", clients)}' client{(clients.Count > 1 ? "s" : string.Empty)}",
                Handler.EquivalenceKey));
        }

        var types = Model.For(semanticModel.Compilation).Types;
        if (FixableCall.Find(root, semanticModel, types, diagnostic, cancellationToken) is not null)
        {
            fixes.Add(PollyAvailable(types) ? Pipeline : RetryHelper);
        }

        return fixes.ToImmutable();
    }

    /// <summary>The name (or typed client) the <c>AddHttpClient</c> at the start of a registration's chain registers.</summary>
    private static string? ClientName(InvocationExpressionSyntax chainEnd)
    {
        var start = chainEnd;
        while (start.Expression is MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax inner } && !IsAddHttpClient(start))
        {
            start = inner;
        }

        var client = Resilience.RegisteredClient(start);
        return client.Name ?? client.TypeName;

        static bool IsAddHttpClient(InvocationExpressionSyntax invocation)
            => invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AddHttpClient" };
    }

    protected override bool EditsSolution(string equivalenceKey) => equivalenceKey == StandardResilienceHandlerKey;

    protected override string FixAllTitle(string equivalenceKey) => Handler.Title + " on the factory clients";

    /// <summary>
    /// Appends the standard resilience handler to each registration of the factory clients the diagnosed calls use,
    /// once per registration however many calls share it, in whichever document it is:
    /// <code>
    /// services.AddHttpClient("weather").AddStandardResilienceHandler(options =&gt; options.Retry.DisableForUnsafeHttpMethods());
    /// </code>
    /// The handler retries transient failures (no answer, 408, 429, 5xx) with backoff, honours Retry-After, and
    /// times out attempts; its retry is turned off for POST, PATCH, PUT and DELETE, which it would send again whatever
    /// the server did with the first one (the registration covers every call of the client, not only idempotent ones).
    /// </summary>
    protected override async Task<Solution> FixSolutionAsync(
        Solution solution, ImmutableArray<(DocumentId Document, ImmutableArray<Diagnostic> Diagnostics)> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (equivalenceKey != StandardResilienceHandlerKey)
        {
            return solution;
        }

        var byTree = new Dictionary<SyntaxTree, List<InvocationExpressionSyntax>>();
        foreach (var (documentId, documentDiagnostics) in diagnostics)
        {
            if (solution.GetDocument(documentId) is not { } document
                || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
                || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } semanticModel)
            {
                continue;
            }

            foreach (var diagnostic in documentDiagnostics)
            {
                foreach (var registration in HandlerRegistrations(root, semanticModel, diagnostic, cancellationToken))
                {
                    if (!byTree.TryGetValue(registration.SyntaxTree, out var list))
                    {
                        byTree.Add(registration.SyntaxTree, list = new List<InvocationExpressionSyntax>());
                    }

                    if (!list.Contains(registration))
                    {
                        list.Add(registration);
                    }
                }
            }
        }

        var changed = solution;
        foreach (var pair in byTree)
        {
            if (solution.GetDocumentId(pair.Key) is not { } documentId
                || solution.GetDocument(documentId) is not { } document
                || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } semanticModel)
            {
                continue;
            }

            var root = await pair.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            var usings = new HashSet<string>(StringComparer.Ordinal);
            var parameters = new Dictionary<InvocationExpressionSyntax, string>();
            foreach (var registration in pair.Value)
            {
                Imports.RequireTypes(semanticModel, registration.SpanStart, usings, ResilienceBuilderExtensions, RetryOptionsExtensions);
                parameters.Add(registration, Identifiers.Unique(semanticModel, registration.SpanStart, registration, Array.Empty<string>(), "options", "resilience"));
            }

            // A registration nested in another one's arguments is rewritten inside it: ReplaceNodes hands the rewritten node.
            var endOfLine = Layout.EndOfLine(root);
            var newRoot = root.ReplaceNodes(pair.Value, (original, rewritten) => WithHandler(rewritten, parameters[original], endOfLine));
            foreach (var namespaceName in usings.OrderBy(n => n, StringComparer.Ordinal))
            {
                newRoot = Imports.AddUsing(newRoot, namespaceName);
            }

            changed = changed.WithDocumentSyntaxRoot(documentId, newRoot);
        }

        return changed;
    }

    /// <summary>
    /// <c>registration.AddStandardResilienceHandler(options =&gt; options.Retry.DisableForUnsafeHttpMethods())</c>, the
    /// registration's trailing trivia after it; on a line of its own when the registration's chain puts each call on one.
    /// </summary>
    private static InvocationExpressionSyntax WithHandler(InvocationExpressionSyntax registration, string parameter, SyntaxTrivia endOfLine)
    {
        var options = IdentifierName(Identifiers.Token(parameter));
        var configure = SimpleLambdaExpression(Parameter(Identifiers.Token(parameter)))
            .WithExpressionBody(InvocationExpression(MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, options, IdentifierName("Retry")),
                IdentifierName("DisableForUnsafeHttpMethods"))))
            .NormalizeWhitespace(elasticTrivia: false);
        ExpressionSyntax receiver = registration.WithoutTrailingTrivia();
        var dot = Token(SyntaxKind.DotToken);
        if (registration.Expression is MemberAccessExpressionSyntax { OperatorToken: var previousDot } previous
            && previousDot.LeadingTrivia.Count > 0
            && previousDot.LeadingTrivia.All(t => t.IsKind(SyntaxKind.WhitespaceTrivia))
            && previous.Expression.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            receiver = receiver.WithTrailingTrivia(endOfLine);
            dot = dot.WithLeadingTrivia(previousDot.LeadingTrivia);
        }

        return InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, dot, IdentifierName("AddStandardResilienceHandler")),
                ArgumentList(SingletonSeparatedList(Argument(configure))))
            .WithTrailingTrivia(registration.GetTrailingTrivia());
    }

    /// <summary>
    /// The end of the builder chain an <c>AddHttpClient(...)</c> call starts (<c>.ConfigureHttpClient(...)</c> and other
    /// calls that return <c>IHttpClientBuilder</c>), where the handler goes: <c>AddStandardResilienceHandler</c>
    /// returns another builder type, so nothing that needs an <c>IHttpClientBuilder</c> may follow it. Null unless the
    /// chain's value is discarded (a statement, or the body of a void member), which then may change type.
    /// </summary>
    private static InvocationExpressionSyntax? ChainEnd(InvocationExpressionSyntax addHttpClient, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var end = addHttpClient;
        while (end.Parent is MemberAccessExpressionSyntax access
               && access.Expression == end
               && access.Parent is InvocationExpressionSyntax next
               && next.Expression == access
               && IsHttpClientBuilder(semanticModel.GetTypeInfo(next, cancellationToken).Type))
        {
            end = next;
        }

        return end.Parent switch
        {
            ExpressionStatementSyntax => end,
            ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax { ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } } } => end,
            ArrowExpressionClauseSyntax { Parent: LocalFunctionStatementSyntax { ReturnType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword } } } => end,
            _ => null,
        };
    }

    private static bool IsHttpClientBuilder(ITypeSymbol? type)
        => type is { Name: "IHttpClientBuilder", ContainingNamespace: { Name: "DependencyInjection" } };

    /// <summary>
    /// The <c>AddHttpClient(...)</c> registrations a standard resilience handler would go on to protect the HTTP call
    /// of <paramref name="diagnostic"/>: the factory client's (see <see cref="Resilience.FactoryClientRegistrations"/>),
    /// each binding to an <c>AddHttpClient</c> that returns <c>IHttpClientBuilder</c>. Empty when
    /// Microsoft.Extensions.Http.Resilience is not referenced, the call is not an <c>HttpClient</c> call, or some
    /// client it may use has no such registration.
    /// </summary>
    private static ImmutableArray<InvocationExpressionSyntax> HandlerRegistrations(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var compilation = semanticModel.Compilation;
        if (compilation.GetTypeByMetadataName(ResilienceBuilderExtensions) is null
            || compilation.GetTypeByMetadataName(RetryOptionsExtensions) is null)
        {
            return ImmutableArray<InvocationExpressionSyntax>.Empty;
        }

        var model = Model.For(compilation);
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || semanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || (operation.TargetMethod.ReducedFrom ?? operation.TargetMethod).ContainingType is not { } declaring
            || !(SymbolEqualityComparer.Default.Equals(declaring, model.Types.HttpClient) || SymbolEqualityComparer.Default.Equals(declaring, model.Types.HttpClientJsonExtensions))
            || OutboundCalls.Receiver(operation) is not { } receiver)
        {
            return ImmutableArray<InvocationExpressionSyntax>.Empty;
        }

        var ends = ImmutableArray.CreateBuilder<InvocationExpressionSyntax>();
        foreach (var registration in model.Resilience.FactoryClientRegistrations(receiver))
        {
            var registrationModel = registration.SyntaxTree == semanticModel.SyntaxTree ? semanticModel : compilation.GetSemanticModel(registration.SyntaxTree);
            if (registrationModel.GetSymbolInfo(registration, cancellationToken).Symbol is not IMethodSymbol { ReturnType: var returned }
                || !IsHttpClientBuilder(returned)
                || ChainEnd(registration, registrationModel, cancellationToken) is not { } end)
            {
                return ImmutableArray<InvocationExpressionSyntax>.Empty;
            }

            if (!ends.Contains(end))
            {
                ends.Add(end);
            }
        }

        return ends.ToImmutable();
    }

    protected override async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return document;
        }

        var types = Model.For(semanticModel.Compilation).Types;
        var polly = PollyAvailable(types);
        if (equivalenceKey != (polly ? ResiliencePipelineKey : RetryWithBackoffKey))
        {
            return document;
        }

        // A call nested in another one being fixed ends up inside that one's executor: it needs no fix of its own.
        var calls = new List<FixableCall>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (FixableCall.Find(root, semanticModel, types, diagnostic, cancellationToken) is { } call
                && !calls.Any(c => c.Await.Span.Contains(call.Await.Span)))
            {
                calls.Add(call);
            }
        }

        if (calls.Count == 0)
        {
            return document;
        }

        var usings = new HashSet<string>(StringComparer.Ordinal);
        var endOfLine = Layout.EndOfLine(root);
        var awaitEdits = new Dictionary<SyntaxNode, Func<AwaitExpressionSyntax, ExpressionSyntax>>();
        var typeEdits = new Dictionary<SyntaxNode, Func<TypeDeclarationSyntax, TypeDeclarationSyntax>>();
        foreach (var group in calls.GroupBy(c => c.Type))
        {
            var declaration = group.Key;
            var type = group.First().TypeSymbol;
            var position = declaration.OpenBraceToken.Span.End;
            if (polly)
            {
                string? newField = null;
                var newHttpFields = new Dictionary<HttpPipelineKind, string>();
                var httpTypes = HttpPipelineTypes.Find(semanticModel.Compilation);
                foreach (var call in group)
                {
                    string pipeline;
                    if (call.HttpIdempotent is { } idempotent && httpTypes is not null)
                    {
                        // HTTP calls get a pipeline that retries what may succeed later and nothing else: an earlier
                        // fix's own pipelines are taken only when made for the same kind of HTTP call.
                        var kind = new HttpPipelineKind(SymbolEqualityComparer.Default.Equals(call.ResultType, httpTypes.HttpResponseMessage), idempotent);
                        var reusable = FindOwnField(type, call.IsStatic, kind.FieldName)
                            ?? TypeMembers.FindReusable(type, call.IsStatic, t => IsPipelineFor(t, call.ResultType, types), m => !IsFixPipelineName(m.Name));
                        if (reusable is not null)
                        {
                            pipeline = reusable.Name;
                        }
                        else if (!newHttpFields.TryGetValue(kind, out pipeline!))
                        {
                            pipeline = TypeMembers.UniqueMemberName(type, declaration, kind.FieldName);
                            newHttpFields.Add(kind, pipeline);
                        }
                    }
                    else
                    {
                        var reusable = TypeMembers.FindReusable(type, call.IsStatic, t => IsPipelineFor(t, call.ResultType, types), m => !IsHttpPipelineName(m.Name));
                        pipeline = reusable?.Name ?? (newField ??= TypeMembers.UniqueMemberName(type, declaration, PipelineFieldName));
                    }

                    awaitEdits.Add(call.Await, rewritten => Wrap(rewritten, call, arguments => InvocationExpression(
                        MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(Identifiers.Token(pipeline)), IdentifierName("ExecuteAsync")),
                        arguments)));
                }

                var fields = new List<MemberDeclarationSyntax>();
                if (newField is not null)
                {
                    fields.Add(PipelineField(semanticModel, position, newField, types, usings, endOfLine));
                }

                if (newHttpFields.Count > 0)
                {
                    var predicate = FindPredicate(type) ?? TypeMembers.UniqueMemberName(type, declaration, PredicateName);
                    foreach (var pair in newHttpFields.OrderBy(p => p.Value, StringComparer.Ordinal))
                    {
                        fields.Add(HttpPipelineField(semanticModel, position, pair.Value, pair.Key, predicate, httpTypes!, types, usings, endOfLine));
                    }

                    if (FindPredicate(type) is null)
                    {
                        fields.Add(PredicateMethod(semanticModel, position, predicate, httpTypes!, types, usings, endOfLine));
                    }
                }

                if (fields.Count > 0)
                {
                    typeEdits.Add(declaration, rewritten =>
                    {
                        // The retry decision goes last in the type, below the code that uses it.
                        foreach (var method in fields.OfType<MethodDeclarationSyntax>())
                        {
                            rewritten = TypeMembers.AddMethodAfter(rewritten, null, method);
                        }

                        foreach (var field in fields.OfType<FieldDeclarationSyntax>())
                        {
                            rewritten = TypeMembers.AddField(rewritten, field);
                        }

                        return rewritten;
                    });
                }
            }
            else
            {
                var existing = FindHelper(type, types);
                var helper = existing?.Name ?? TypeMembers.UniqueMemberName(type, declaration, HelperName);
                foreach (var call in group)
                {
                    awaitEdits.Add(call.Await, rewritten => Wrap(rewritten, call, arguments => InvocationExpression(IdentifierName(Identifiers.Token(helper)), arguments)));
                }

                if (existing is null)
                {
                    var method = HelperMethod(semanticModel, position, helper, types, usings, endOfLine);
                    var anchor = group.First().Member is { } member ? declaration.Members.IndexOf(member) : -1;
                    typeEdits.Add(declaration, rewritten => TypeMembers.AddMethodAfter(rewritten, anchor >= 0 ? rewritten.Members[anchor] : null, method));
                }
            }
        }

        var newRoot = root.ReplaceNodes(
            awaitEdits.Keys.Concat(typeEdits.Keys),
            (original, rewritten) => typeEdits.TryGetValue(original, out var typeEdit)
                ? typeEdit((TypeDeclarationSyntax)rewritten)
                : awaitEdits[original]((AwaitExpressionSyntax)rewritten));
        foreach (var namespaceName in usings.OrderBy(n => n, StringComparer.Ordinal))
        {
            newRoot = Imports.AddUsing(newRoot, namespaceName);
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool PollyAvailable(KnownTypes types)
        => types.PollyResiliencePipeline is not null && types.PollyResiliencePipelineBuilder is not null
           && types.PollyRetryStrategyOptions is not null && types.PollyDelayBackoffType is not null;

    /// <summary>A non-generic pipeline runs any call; a <c>ResiliencePipeline&lt;T&gt;</c> runs calls that return T.</summary>
    private static bool IsPipelineFor(ITypeSymbol type, ITypeSymbol resultType, KnownTypes types)
        => SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, types.PollyResiliencePipeline)
           || (type is INamedTypeSymbol { TypeArguments.Length: 1 } generic
               && SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, types.PollyResiliencePipelineOfT)
               && SymbolEqualityComparer.Default.Equals(generic.TypeArguments[0], resultType));

    /// <summary>The name of a pipeline field this fix writes (generic or HTTP, maybe numbered when the name was taken).</summary>
    private static bool IsFixPipelineName(string name) => name.IndexOf(PipelineFieldName, StringComparison.Ordinal) >= 0;

    /// <summary>The name of an HTTP pipeline field this fix writes: its retry decision fits HTTP calls only.</summary>
    private static bool IsHttpPipelineName(string name) => name.StartsWith("Http", StringComparison.Ordinal) && IsFixPipelineName(name);

    /// <summary>A static pipeline field this fix added to the type before, under exactly <paramref name="name"/>.</summary>
    private static ISymbol? FindOwnField(INamedTypeSymbol type, bool fromStatic, string name)
        => type.GetMembers(name).OfType<IFieldSymbol>().FirstOrDefault(f => f.IsStatic || !fromStatic);

    /// <summary>The HTTP failure predicate this fix added to the type before.</summary>
    private static string? FindPredicate(INamedTypeSymbol type)
        => type.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(m =>
            m.Name.StartsWith(PredicateName, StringComparison.Ordinal) && m.IsStatic && m.Parameters.Length == 3)?.Name;

    /// <summary>A retry helper this fix added to the type before (maybe numbered when the name was taken).</summary>
    private static IMethodSymbol? FindHelper(INamedTypeSymbol type, KnownTypes types)
        => type.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(m =>
            m.Name.StartsWith(HelperName, StringComparison.Ordinal)
            && m.IsStatic
            && m.TypeParameters.Length == 1
            && m.Parameters.Length == 2
            && m.Parameters[0].Type.TypeKind == TypeKind.Delegate
            && SymbolEqualityComparer.Default.Equals(m.Parameters[1].Type, types.CancellationToken));

    /// <summary><c>await executor(async token =&gt; await call(..., token), outerToken)</c>, keeping a <c>ConfigureAwait</c> on both awaits.</summary>
    private static ExpressionSyntax Wrap(AwaitExpressionSyntax rewritten, FixableCall call, Func<ArgumentListSyntax, ExpressionSyntax> executor)
    {
        var configure = call.ConfigureAwait is null ? null : (InvocationExpressionSyntax)rewritten.Expression;
        var invocation = (InvocationExpressionSyntax)(configure is null ? rewritten.Expression : ((MemberAccessExpressionSyntax)configure.Expression).Expression);

        var arguments = invocation.ArgumentList.Arguments;
        if (call.TokenArgumentIndex == arguments.Count)
        {
            arguments = arguments.Add(Argument(IdentifierName(Identifiers.Token(call.TokenName))));
        }
        else if (call.TokenArgumentIndex >= 0)
        {
            var argument = arguments[call.TokenArgumentIndex];
            arguments = arguments.Replace(argument, argument.WithExpression(IdentifierName(Identifiers.Token(call.TokenName)).WithTriviaFrom(argument.Expression)));
        }
        else if (call.TokenParameterName is not null)
        {
            arguments = arguments.Add(Argument(IdentifierName(Identifiers.Token(call.TokenName)))
                .WithNameColon(NameColon(IdentifierName(Identifiers.Token(call.TokenParameterName)))));
        }

        ExpressionSyntax inner = invocation.WithArgumentList(invocation.ArgumentList.WithArguments(arguments));
        if (configure is not null)
        {
            inner = configure.WithExpression(((MemberAccessExpressionSyntax)configure.Expression).WithExpression(inner));
        }

        var lambda = SimpleLambdaExpression(Parameter(Identifiers.Token(call.TokenName)))
            .WithAsyncKeyword(Token(SyntaxKind.AsyncKeyword))
            // The call's own trivia stays outside: a line break after it (before `?? throw ...`) would otherwise end
            // up inside the lambda and push the executor's `, cancellationToken)` to column 0.
            .WithExpressionBody(AwaitExpression(inner.WithoutTrivia()));
        var executorArguments = new List<ArgumentSyntax> { Argument(lambda) };
        if (call.OuterToken is not null)
        {
            executorArguments.Add(Argument(call.OuterToken.WithoutTrivia()));
        }

        var executed = executor(ArgumentList(SeparatedList(executorArguments)));
        if (configure is not null)
        {
            executed = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, executed, IdentifierName("ConfigureAwait")),
                configure.ArgumentList.WithoutTrivia());
        }

        return rewritten.WithExpression(executed.WithTriviaFrom(rewritten.Expression)).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// <code>
    /// private static readonly ResiliencePipeline RetryPipeline = new ResiliencePipelineBuilder()
    ///     .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
    ///     .AddTimeout(TimeSpan.FromSeconds(60))
    ///     .Build();
    /// </code>
    /// </summary>
    private static FieldDeclarationSyntax PipelineField(SemanticModel semanticModel, int position, string name, KnownTypes types, ISet<string> usings, SyntaxTrivia endOfLine)
    {
        // AddRetry and AddTimeout are extension methods in Polly: the namespace is needed whatever the type names bind to.
        usings.Add("Polly");
        var options = ObjectCreationExpression(Imports.TypeName(semanticModel, position, types.PollyRetryStrategyOptions!, usings))
            .WithInitializer(InitializerExpression(SyntaxKind.ObjectInitializerExpression, SeparatedList<ExpressionSyntax>(new[]
            {
                Assign("MaxRetryAttempts", Literals.Number(MaxRetryAttempts)),
                Assign("BackoffType", MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression, Imports.TypeName(semanticModel, position, types.PollyDelayBackoffType!, usings), IdentifierName("Exponential"))),
                Assign("UseJitter", LiteralExpression(SyntaxKind.TrueLiteralExpression)),
            })));
        var timeout = Call(Imports.TypeName(semanticModel, position, types.TimeSpan!, usings), "FromSeconds",
            Literals.Number(AttemptTimeoutSeconds));

        ExpressionSyntax builder = ObjectCreationExpression(Imports.TypeName(semanticModel, position, types.PollyResiliencePipelineBuilder!, usings))
            .WithArgumentList(ArgumentList());
        builder = NextLineCall(builder, "AddRetry", options);
        builder = NextLineCall(builder, "AddTimeout", timeout);
        builder = NextLineCall(builder, "Build");
        return TypeMembers.PrivateStaticReadonlyField(Imports.TypeName(semanticModel, position, types.PollyResiliencePipeline!, usings), name, builder);

        static ExpressionSyntax Assign(string property, ExpressionSyntax value)
            => AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(property), value);

        // The formatter keeps a chain's line breaks, and indents the new field's lines as a whole: one level in from the declaration.
        InvocationExpressionSyntax NextLineCall(ExpressionSyntax receiver, string method, params ExpressionSyntax[] arguments)
            => InvocationExpression(
                MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    receiver.WithTrailingTrivia(endOfLine),
                    Token(SyntaxKind.DotToken).WithLeadingTrivia(Whitespace("    ")),
                    IdentifierName(method)),
                ArgumentList(SeparatedList(arguments.Select(Argument))));
    }

    /// <summary>
    /// <code>
    /// private static async Task&lt;TResult&gt; RetryWithBackoffAsync&lt;TResult&gt;(Func&lt;CancellationToken, Task&lt;TResult&gt;&gt; operation, CancellationToken cancellationToken = default)
    /// {
    ///     const int maxRetries = 3;
    ///     for (var attempt = 1; ; attempt++)
    ///     {
    ///         try
    ///         {
    ///             return await operation(cancellationToken).ConfigureAwait(false);
    ///         }
    ///         catch (Exception exception) when (attempt &lt;= maxRetries &amp;&amp; !(exception is OperationCanceledException &amp;&amp; cancellationToken.IsCancellationRequested))
    ///         {
    ///             var backoff = TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()));
    ///             await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
    ///         }
    ///     }
    /// }
    /// </code>
    /// </summary>
    private static MethodDeclarationSyntax HelperMethod(SemanticModel semanticModel, int position, string name, KnownTypes types, ISet<string> usings, SyntaxTrivia endOfLine)
    {
        TypeSyntax Name(INamedTypeSymbol type, params TypeSyntax[] arguments) => Imports.TypeName(semanticModel, position, type, usings, arguments);

        var result = IdentifierName("TResult");
        var token = IdentifierName("cancellationToken");
        var attempt = IdentifierName("attempt");
        var maxRetries = IdentifierName("maxRetries");
        var exception = IdentifierName("exception");
        var cancellationType = Name(types.CancellationToken!);

        var maxRetriesDeclaration = LocalDeclarationStatement(VariableDeclaration(PredefinedType(Token(SyntaxKind.IntKeyword)))
                .AddVariables(VariableDeclarator(maxRetries.Identifier).WithInitializer(EqualsValueClause(Literals.Number(MaxRetryAttempts)))))
            .AddModifiers(Token(SyntaxKind.ConstKeyword));

        var attemptOperation = Await(InvocationExpression(IdentifierName("operation"), ArgumentList(SingletonSeparatedList(Argument(token)))));
        var retryable = BinaryExpression(
            SyntaxKind.LogicalAndExpression,
            BinaryExpression(SyntaxKind.LessThanOrEqualExpression, attempt, maxRetries),
            PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, ParenthesizedExpression(BinaryExpression(
                SyntaxKind.LogicalAndExpression,
                BinaryExpression(SyntaxKind.IsExpression, exception, Name(types.OperationCanceledException!)),
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, token, IdentifierName("IsCancellationRequested"))))));

        // Jitter: Random.Shared where it exists (.NET 6+); elsewhere a Random of this call's own.
        var random = Name(types.Random!);
        ExpressionSyntax randomSource = types.Random!.GetMembers("Shared").Any()
            ? MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, random, IdentifierName("Shared"))
            : ObjectCreationExpression(random).WithArgumentList(ArgumentList());
        var backoffValue = Call(Name(types.TimeSpan!), "FromMilliseconds", BinaryExpression(
            SyntaxKind.MultiplyExpression,
            BinaryExpression(
                SyntaxKind.MultiplyExpression,
                Literals.Number(FirstBackoffMilliseconds),
                Call(Name(types.Math!), "Pow", Literals.Number(2), BinaryExpression(SyntaxKind.SubtractExpression, attempt, Literals.Number(1)))),
            ParenthesizedExpression(BinaryExpression(
                SyntaxKind.AddExpression,
                Literals.Number(0.5),
                Call(randomSource, "NextDouble")))));
        var backoff = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"))
            .AddVariables(VariableDeclarator(Identifier("backoff")).WithInitializer(EqualsValueClause(backoffValue))));
        var delay = ExpressionStatement(Await(Call(Name(types.Task!), "Delay", IdentifierName("backoff"), token)));

        var tryStatement = TryStatement(
            Block(ReturnStatement(attemptOperation)),
            SingletonList(CatchClause(
                CatchDeclaration(Name(types.Exception!), exception.Identifier),
                CatchFilterClause(retryable),
                Block(backoff, delay))),
            @finally: null);
        var loop = ForStatement(
            VariableDeclaration(IdentifierName("var")).AddVariables(VariableDeclarator(attempt.Identifier).WithInitializer(EqualsValueClause(Literals.Number(1)))),
            SeparatedList<ExpressionSyntax>(),
            condition: null,
            SingletonSeparatedList<ExpressionSyntax>(PostfixUnaryExpression(SyntaxKind.PostIncrementExpression, attempt)),
            Block(tryStatement));

        var method = MethodDeclaration(Name(types.TaskOfT!, result), Identifiers.Token(name))
            .AddModifiers(Token(SyntaxKind.PrivateKeyword), Token(SyntaxKind.StaticKeyword), Token(SyntaxKind.AsyncKeyword))
            .AddTypeParameterListParameters(TypeParameter("TResult"))
            .AddParameterListParameters(
                Parameter(Identifier("operation")).WithType(Name(types.FuncOfTwo!, cancellationType, Name(types.TaskOfT!, result))),
                Parameter(token.Identifier).WithType(cancellationType).WithDefault(EqualsValueClause(LiteralExpression(SyntaxKind.DefaultLiteralExpression, Token(SyntaxKind.DefaultKeyword)))))
            .WithBody(Block(maxRetriesDeclaration, loop))
            .NormalizeWhitespace(indentation: "    ", eol: endOfLine.ToFullString());

        // A blank line before the helper, a comment that says what it guarantees, and a line break after it.
        return method
            .WithLeadingTrivia(
                endOfLine,
                Comment("// Retries transient failures with exponential backoff and jitter; never retries the caller's cancellation."),
                endOfLine)
            .WithTrailingTrivia(endOfLine);

        static ExpressionSyntax Await(ExpressionSyntax awaited)
            => AwaitExpression(Call(awaited, "ConfigureAwait", LiteralExpression(SyntaxKind.FalseLiteralExpression)));
    }

    /// <summary>
    /// <code>
    /// private static readonly ResiliencePipeline&lt;HttpResponseMessage&gt; HttpResponseRetryPipeline = new ResiliencePipelineBuilder&lt;HttpResponseMessage&gt;()
    ///     .AddRetry(new RetryStrategyOptions&lt;HttpResponseMessage&gt;
    ///     {
    ///         MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true,
    ///         ShouldHandle = args =&gt; new ValueTask&lt;bool&gt;(IsTransientHttpFailure(args.Outcome.Exception, args.Outcome.Result, idempotent: true)),
    ///         DelayGenerator = args =&gt; new ValueTask&lt;TimeSpan?&gt;(args.Outcome.Result?.Headers.RetryAfter?.Delta),
    ///     })
    ///     .AddTimeout(TimeSpan.FromSeconds(60))
    ///     .Build();
    /// </code>
    /// A call that throws on failure (<c>GetStringAsync</c>, <c>GetFromJsonAsync</c>) gets the non-generic pipeline,
    /// judged on the exception alone; a response's <c>Retry-After</c> delay is honoured where there is a response.
    /// </summary>
    private static FieldDeclarationSyntax HttpPipelineField(
        SemanticModel semanticModel, int position, string name, HttpPipelineKind kind, string predicate,
        HttpPipelineTypes http, KnownTypes types, ISet<string> usings, SyntaxTrivia endOfLine)
    {
        usings.Add("Polly");
        string Name(INamedTypeSymbol type, params TypeSyntax[] arguments) => Imports.TypeName(semanticModel, position, type, usings, arguments).ToString();
        var response = Imports.TypeName(semanticModel, position, http.HttpResponseMessage, usings);
        var timeSpan = Imports.TypeName(semanticModel, position, types.TimeSpan!, usings);
        var pipeline = kind.Response ? Name(types.PollyResiliencePipelineOfT!, response) : Name(types.PollyResiliencePipeline!);
        var builder = kind.Response ? Name(http.PipelineBuilderOfT, response) : Name(types.PollyResiliencePipelineBuilder!);
        var options = kind.Response ? Name(http.RetryOptionsOfT, response) : Name(types.PollyRetryStrategyOptions!);
        var valueTaskOfBool = Name(http.ValueTaskOfT, PredefinedType(Token(SyntaxKind.BoolKeyword)));
        var valueTaskOfDelay = Name(http.ValueTaskOfT, NullableType(timeSpan));
        var eol = endOfLine.ToFullString();
        var text = new System.Text.StringBuilder()
            .Append("private static readonly ").Append(pipeline).Append(' ').Append(name).Append(" = new ").Append(builder).Append("()").Append(eol)
            .Append("    .AddRetry(new ").Append(options).Append(eol)
            .Append("    {").Append(eol)
            .Append("        MaxRetryAttempts = ").Append(MaxRetryAttempts).Append(',').Append(eol)
            .Append("        BackoffType = ").Append(Name(types.PollyDelayBackoffType!)).Append(".Exponential,").Append(eol)
            .Append("        UseJitter = true,").Append(eol)
            .Append("        ShouldHandle = args => new ").Append(valueTaskOfBool).Append('(').Append(predicate)
            .Append("(args.Outcome.Exception, ").Append(kind.Response ? "args.Outcome.Result" : "null")
            .Append(", idempotent: ").Append(kind.Idempotent ? "true" : "false").Append(")),").Append(eol);
        if (kind.Response)
        {
            text.Append("        DelayGenerator = args => new ").Append(valueTaskOfDelay).Append("(args.Outcome.Result?.Headers.RetryAfter?.Delta),").Append(eol);
        }

        text.Append("    })").Append(eol)
            .Append("    .AddTimeout(").Append(timeSpan).Append(".FromSeconds(").Append(AttemptTimeoutSeconds).Append("))").Append(eol)
            .Append("    .Build();").Append(eol);
        // Elastic ends, as a field built from nodes has: the formatter then puts a blank line between it and a
        // method or property below it (none between fields).
        return ((FieldDeclarationSyntax)ParseMemberDeclaration(text.ToString().TrimEnd())!)
            .WithLeadingTrivia(ElasticMarker)
            .WithTrailingTrivia(ElasticMarker);
    }

    /// <summary>
    /// The retry decision of the HTTP pipelines: no answer (a network failure, the attempt's timeout), 408, 429 and
    /// 5xx may succeed later; other 4xx answers (400, 401, 403, 404) never will. A request that is not idempotent
    /// (POST, PATCH, with no idempotency key in sight) is sent again only when the server turned it away (429).
    /// </summary>
    private static MethodDeclarationSyntax PredicateMethod(
        SemanticModel semanticModel, int position, string name, HttpPipelineTypes http, KnownTypes types, ISet<string> usings, SyntaxTrivia endOfLine)
    {
        string Name(INamedTypeSymbol type) => Imports.TypeName(semanticModel, position, type, usings).ToString();
        var nullable = semanticModel.GetNullableContext(position).AnnotationsEnabled() ? "?" : string.Empty;
        var status = Name(http.HttpStatusCode);
        var requestException = Name(http.HttpRequestException);
        var exceptionStatus = http.HttpRequestException.GetMembers("StatusCode").Any()
            ? " ?? (exception as " + requestException + ")?.StatusCode"
            : string.Empty;
        string Status(string member, int value) => http.HttpStatusCode.GetMembers(member).Any() ? status + "." + member : "(" + status + ")" + value;
        var eol = endOfLine.ToFullString();
        var text = string.Join(eol, new[]
        {
            "// Whether a failed HTTP attempt may succeed when made again: no answer (a network failure, a timeout), 408, 429 or 5xx;",
            "// never another 4xx such as 400, 401, 403 or 404. A request that is not idempotent is sent again only after a 429.",
            "private static bool " + name + "(" + Name(types.Exception!) + nullable + " exception, " + Name(http.HttpResponseMessage) + nullable + " response, bool idempotent)",
            "{",
            "    if ((exception is null && response is null) || (exception is not null && !(exception is " + requestException + ") && !(exception is " + Name(http.TimeoutRejectedException) + ")))",
            "    {",
            "        return false;",
            "    }",
            string.Empty,
            "    " + status + "? status = response?.StatusCode" + exceptionStatus + ";",
            "    if (!idempotent)",
            "    {",
            "        return status == " + Status("TooManyRequests", 429) + ";",
            "    }",
            string.Empty,
            "    return status is null || status == " + Status("RequestTimeout", 408) + " || status == " + Status("TooManyRequests", 429) + " || (int)status >= 500;",
            "}",
        });
        return ((MethodDeclarationSyntax)ParseMemberDeclaration(text)!)
            .WithLeadingTrivia(ParseLeadingTrivia(eol + text.Substring(0, text.IndexOf("private", StringComparison.Ordinal))))
            .WithTrailingTrivia(endOfLine);
    }

    /// <summary>The pipeline an HTTP call needs: for a response or for a call that throws, and whether it may be sent again.</summary>
    private readonly struct HttpPipelineKind : IEquatable<HttpPipelineKind>
    {
        public HttpPipelineKind(bool response, bool idempotent)
        {
            Response = response;
            Idempotent = idempotent;
        }

        public bool Response { get; }

        public bool Idempotent { get; }

        public string FieldName => "Http" + (Response ? "Response" : string.Empty) + (Idempotent ? string.Empty : "Throttle") + PipelineFieldName;

        public bool Equals(HttpPipelineKind other) => Response == other.Response && Idempotent == other.Idempotent;

        public override bool Equals(object? obj) => obj is HttpPipelineKind other && Equals(other);

        public override int GetHashCode() => (Response ? 2 : 0) + (Idempotent ? 1 : 0);
    }

    /// <summary>The types the HTTP pipeline needs beyond the known ones; null when one is missing (then the generic pipeline).</summary>
    private sealed class HttpPipelineTypes
    {
        private HttpPipelineTypes(INamedTypeSymbol[] found)
        {
            HttpResponseMessage = found[0];
            HttpRequestException = found[1];
            HttpStatusCode = found[2];
            TimeoutRejectedException = found[3];
            PipelineBuilderOfT = found[4];
            RetryOptionsOfT = found[5];
            ValueTaskOfT = found[6];
        }

        public INamedTypeSymbol HttpResponseMessage { get; }
        public INamedTypeSymbol HttpRequestException { get; }
        public INamedTypeSymbol HttpStatusCode { get; }
        public INamedTypeSymbol TimeoutRejectedException { get; }
        public INamedTypeSymbol PipelineBuilderOfT { get; }
        public INamedTypeSymbol RetryOptionsOfT { get; }
        public INamedTypeSymbol ValueTaskOfT { get; }

        public static HttpPipelineTypes? Find(Compilation compilation)
        {
            var names = new[]
            {
                "System.Net.Http.HttpResponseMessage", "System.Net.Http.HttpRequestException", "System.Net.HttpStatusCode",
                "Polly.Timeout.TimeoutRejectedException", "Polly.ResiliencePipelineBuilder`1", "Polly.Retry.RetryStrategyOptions`1",
                "System.Threading.Tasks.ValueTask`1",
            };
            var found = new INamedTypeSymbol[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                if (compilation.GetTypeByMetadataName(names[i]) is not { } type)
                {
                    return null;
                }

                found[i] = type;
            }

            return new HttpPipelineTypes(found);
        }
    }

    private static InvocationExpressionSyntax Call(ExpressionSyntax receiver, string method, params ExpressionSyntax[] arguments)
        => InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, IdentifierName(method)),
            ArgumentList(SeparatedList(arguments.Select(Argument))));

    /// <summary>An awaited call the fixes can route through an executor, with what the rewrite needs to know.</summary>
    private sealed class FixableCall
    {
        private FixableCall(
            AwaitExpressionSyntax awaitExpression, InvocationExpressionSyntax? configureAwait, ITypeSymbol resultType,
            TypeDeclarationSyntax type, INamedTypeSymbol typeSymbol, MemberDeclarationSyntax? member, bool isStatic,
            int tokenArgumentIndex, string? tokenParameterName, ExpressionSyntax? outerToken, string tokenName, bool? httpIdempotent)
        {
            HttpIdempotent = httpIdempotent;
            Await = awaitExpression;
            ConfigureAwait = configureAwait;
            ResultType = resultType;
            Type = type;
            TypeSymbol = typeSymbol;
            Member = member;
            IsStatic = isStatic;
            TokenArgumentIndex = tokenArgumentIndex;
            TokenParameterName = tokenParameterName;
            OuterToken = outerToken;
            TokenName = tokenName;
        }

        /// <summary>The <c>await</c> that is replaced.</summary>
        public AwaitExpressionSyntax Await { get; }

        /// <summary>The <c>.ConfigureAwait(...)</c> call between the await and the call, if any.</summary>
        public InvocationExpressionSyntax? ConfigureAwait { get; }

        /// <summary>T of the call's <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
        public ITypeSymbol ResultType { get; }

        public TypeDeclarationSyntax Type { get; }

        public INamedTypeSymbol TypeSymbol { get; }

        /// <summary>The member of <see cref="Type"/> that holds the call.</summary>
        public MemberDeclarationSyntax? Member { get; }

        /// <summary>The call runs where there is no <c>this</c>.</summary>
        public bool IsStatic { get; }

        /// <summary>The index of the cancellation-token argument the lambda's token replaces (the argument count: appended), or -1.</summary>
        public int TokenArgumentIndex { get; }

        /// <summary>The optional cancellation-token parameter the call left out: the lambda's token is passed to it by name.</summary>
        public string? TokenParameterName { get; }

        /// <summary>The token the call had, handed to the executor instead (null: none, or <c>default</c>/<c>None</c>).</summary>
        public ExpressionSyntax? OuterToken { get; }

        /// <summary>The lambda's parameter: a free name, or <c>_</c> when the call takes no token.</summary>
        public string TokenName { get; }

        /// <summary>For an <c>HttpClient</c> call, whether the request may be sent twice; null for other calls.</summary>
        public bool? HttpIdempotent { get; }

        public static FixableCall? Find(SyntaxNode root, SemanticModel semanticModel, KnownTypes types, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
                || semanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
                || ResultOf(operation.TargetMethod.ReturnType, types) is not { } resultType)
            {
                return null;
            }

            InvocationExpressionSyntax? configureAwait = null;
            ExpressionSyntax awaited = invocation;
            if (invocation.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } access
                && access.Expression == invocation
                && access.Parent is InvocationExpressionSyntax configure)
            {
                configureAwait = configure;
                awaited = configure;
            }

            // Only an awaited call keeps its type when wrapped; ref and out arguments cannot move into a lambda.
            if (awaited.Parent is not AwaitExpressionSyntax awaitExpression
                || invocation.ArgumentList.Arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            {
                return null;
            }

            // A request message is sent once: retrying one created outside the call would throw on the second attempt.
            if (operation.Arguments.Any(a => Is(a.Parameter?.Type, types.HttpRequestMessage) && ValueOrigins.Unwrap(a.Value) is not IObjectCreationOperation))
            {
                return null;
            }

            if (invocation.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
                || type is InterfaceDeclarationSyntax
                || semanticModel.GetDeclaredSymbol(type, cancellationToken) is not { } typeSymbol)
            {
                return null;
            }

            var isStatic = ScopeSymbols.IsStaticContext(semanticModel.GetEnclosingSymbol(invocation.SpanStart, cancellationToken));
            if (typeSymbol.IsValueType && !isStatic)
            {
                // A lambda in a struct's instance member cannot capture this.
                return null;
            }

            var tokenArgumentIndex = -1;
            string? tokenParameterName = null;
            ExpressionSyntax? outerToken = null;
            foreach (var argument in operation.Arguments)
            {
                if (!Is(argument.Parameter?.Type, types.CancellationToken))
                {
                    continue;
                }

                if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Syntax is ArgumentSyntax syntax)
                {
                    tokenArgumentIndex = invocation.ArgumentList.Arguments.IndexOf(syntax);
                    outerToken = IsNone(argument.Value, types) ? null : syntax.Expression;
                }
                else if (argument.ArgumentKind == ArgumentKind.DefaultValue)
                {
                    tokenParameterName = argument.Parameter!.Name;
                }

                break;
            }

            // Without a token the pipeline's timeout cannot cancel the call: use the overload that takes one, if any.
            var appendToken = tokenArgumentIndex < 0 && tokenParameterName is null && HasOverloadWithToken(operation.TargetMethod, types);
            var tokenName = tokenArgumentIndex >= 0 || tokenParameterName is not null || appendToken
                ? Identifiers.Unique(semanticModel, invocation.SpanStart, invocation, Array.Empty<string>(), "token", "retryToken")
                : "_";
            var member = invocation.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault(m => m.Parent == type);
            return new FixableCall(awaitExpression, configureAwait, resultType, type, typeSymbol, member, isStatic,
                appendToken ? invocation.ArgumentList.Arguments.Count : tokenArgumentIndex, tokenParameterName, outerToken, tokenName,
                HttpIdempotency(operation, invocation, types));
        }

        /// <summary>
        /// For a call on <c>HttpClient</c> (its JSON extensions included): GET, HEAD, PUT, DELETE, OPTIONS and TRACE may
        /// be sent again; POST and PATCH (and a request whose method is not written in the call) only when the member
        /// sets an <c>Idempotency-Key</c>. Null for any other call.
        /// </summary>
        private static bool? HttpIdempotency(IInvocationOperation operation, InvocationExpressionSyntax invocation, KnownTypes types)
        {
            var method = operation.TargetMethod.ReducedFrom ?? operation.TargetMethod;
            if (!Is(method.ContainingType, types.HttpClient) && !Is(method.ContainingType, types.HttpClientJsonExtensions))
            {
                return null;
            }

            var idempotent = method.Name.StartsWith("Get", StringComparison.Ordinal)
                || method.Name.StartsWith("Put", StringComparison.Ordinal)
                || method.Name.StartsWith("Delete", StringComparison.Ordinal)
                || (method.Name.StartsWith("Send", StringComparison.Ordinal) && operation.Arguments.Any(a =>
                    Is(a.Parameter?.Type, types.HttpRequestMessage) && ValueOrigins.Unwrap(a.Value) is IObjectCreationOperation creation && IsIdempotent(creation)));
            return idempotent
                || (invocation.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault() is { } member
                    && member.ToString().IndexOf("Idempotency-Key", StringComparison.OrdinalIgnoreCase) >= 0);
        }

        /// <summary><c>new HttpRequestMessage(HttpMethod.Get, ...)</c>, or with no method at all (GET).</summary>
        private static bool IsIdempotent(IObjectCreationOperation creation)
        {
            IOperation? method = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "method")?.Value;
            if (creation.Initializer is { } initializer)
            {
                foreach (var assignment in initializer.Initializers.OfType<ISimpleAssignmentOperation>())
                {
                    if (assignment.Target is IPropertyReferenceOperation { Property.Name: "Method" })
                    {
                        method = assignment.Value;
                    }
                }
            }

            return method is null
                || (ValueOrigins.Unwrap(method) is IPropertyReferenceOperation { Property: { IsStatic: true, Name: "Get" or "Head" or "Put" or "Delete" or "Options" or "Trace" } property }
                    && property.ContainingType.Name == "HttpMethod");
        }

        /// <summary>An overload of <paramref name="method"/> with the same parameters and a cancellation token after them.</summary>
        private static bool HasOverloadWithToken(IMethodSymbol method, KnownTypes types)
        {
            var definition = method.ReducedFrom ?? method;
            return definition.ContainingType.GetMembers(definition.Name).OfType<IMethodSymbol>().Any(overload =>
                overload.Parameters.Length == definition.Parameters.Length + 1
                && overload.IsStatic == definition.IsStatic
                && Is(overload.Parameters.Last().Type, types.CancellationToken)
                && definition.Parameters.Select((p, i) => SymbolEqualityComparer.Default.Equals(p.Type.OriginalDefinition, overload.Parameters[i].Type.OriginalDefinition)).All(same => same));
        }

        /// <summary>T of <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>; null for anything else (sync calls, streams).</summary>
        private static ITypeSymbol? ResultOf(ITypeSymbol returnType, KnownTypes types)
            => returnType is INamedTypeSymbol { TypeArguments.Length: 1 } named
               && (Is(named, types.TaskOfT) || Is(named, types.ValueTaskOfT))
                ? named.TypeArguments[0]
                : null;

        /// <summary><c>default</c>, <c>default(CancellationToken)</c>, <c>CancellationToken.None</c>: no token worth handing on.</summary>
        private static bool IsNone(IOperation value, KnownTypes types)
            => ValueOrigins.Unwrap(value) is IDefaultValueOperation
               || (ValueOrigins.Unwrap(value) is IPropertyReferenceOperation { Property: { IsStatic: true, Name: "None" } property }
                   && Is(property.ContainingType, types.CancellationToken));

        private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
            => known is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, known);
    }
}
