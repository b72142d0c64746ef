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
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.CodeFixes;

/// <summary>
/// AGS001 fixes: read the secret from an environment variable, or from an <c>IConfiguration</c> in scope, and fail
/// loudly when it is missing. A <c>const</c> holding the secret becomes a plain local, or a static property read at
/// each use (a <c>static readonly</c> field holding only the secret too): a static field's initializer runs in the
/// type initializer, where the missing value would surface as a <c>TypeInitializationException</c> hiding the
/// message. Neither fix is offered where C# needs a constant.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HardcodedSecretCodeFixProvider)), Shared]
public sealed class HardcodedSecretCodeFixProvider : AgentSafetyCodeFixProvider
{
    public const string EnvironmentKey = "AGS001.ReadFromEnvironment";
    public const string ConfigurationKey = "AGS001.ReadFromConfiguration";

    private const string SystemNamespace = "System";

    // The environment fix's title names the variable: NAME is replaced when the fix is offered.
    private static readonly FixKind ReadFromEnvironment = new("Read from environment variable NAME", EnvironmentKey);
    private static readonly FixKind ReadFromConfiguration = new("Read from configuration", ConfigurationKey);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.HardcodedSecret);

    protected override async Task<ImmutableArray<FixKind>> GetApplicableFixesAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null
            || await PlanAsync(document, root, semanticModel, diagnostic, cancellationToken).ConfigureAwait(false) is not { } plan)
        {
            return ImmutableArray<FixKind>.Empty;
        }

        var fixes = ImmutableArray.CreateBuilder<FixKind>();
        fixes.Add(new FixKind(ReadFromEnvironment.Title.Replace("NAME", plan.EnvironmentVariable), ReadFromEnvironment.EquivalenceKey));
        if (FindConfiguration(semanticModel, plan) is not null)
        {
            fixes.Add(ReadFromConfiguration);
        }

        return fixes.ToImmutable();
    }

    protected override async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return document;
        }

        var replacements = new Dictionary<SyntaxNode, ExpressionSyntax>();
        var constDeclarations = new HashSet<SyntaxNode>();
        var staticFields = new HashSet<SyntaxNode>();
        var usings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics)
        {
            if (await PlanAsync(document, root, semanticModel, diagnostic, cancellationToken).ConfigureAwait(false) is not { } plan
                || replacements.ContainsKey(plan.Secret))
            {
                continue;
            }

            ExpressionSyntax? source = equivalenceKey switch
            {
                EnvironmentKey => EnvironmentRead(semanticModel, plan, usings),
                ConfigurationKey when FindConfiguration(semanticModel, plan) is { } configuration => ConfigurationRead(configuration, plan),
                _ => null,
            };

            if (source is null)
            {
                continue;
            }

            var thrown = ThrowMissing(semanticModel, plan, equivalenceKey == EnvironmentKey
                ? $"Set the {plan.EnvironmentVariable} environment variable."
                : $"Set the {plan.ConfigurationKey} configuration value.", usings);
            replacements[plan.Secret] = ParenthesizedExpression(
                    BinaryExpression(SyntaxKind.CoalesceExpression, source, thrown))
                .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);
            if (plan.StaticField is not null)
            {
                staticFields.Add(plan.StaticField);
            }
            else if (plan.ConstDeclaration is not null)
            {
                constDeclarations.Add(plan.ConstDeclaration);
            }
        }

        if (replacements.Count == 0)
        {
            return document;
        }

        var newRoot = root.ReplaceNodes(
            replacements.Keys.Concat(constDeclarations).Concat(staticFields),
            (original, rewritten) => replacements.TryGetValue(original, out var replacement)
                ? replacement.WithTriviaFrom(original)
                : staticFields.Contains(original) ? AsStaticProperty((FieldDeclarationSyntax)rewritten) : WithoutConst(rewritten));
        foreach (var namespaceName in usings)
        {
            newRoot = Imports.AddUsing(newRoot, namespaceName);
        }

        var changed = document.WithSyntaxRoot(newRoot);
        changed = await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What a fix for <paramref name="diagnostic"/> changes: the secret expression, the names to read, and the
    /// <c>const</c> declaration to relax — or null when the secret cannot be replaced by a run-time read.
    /// </summary>
    private static async Task<Plan?> PlanAsync(Document document, SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Location.IsInSource
            || diagnostic.Location.SourceTree != root.SyntaxTree
            || !diagnostic.Properties.TryGetValue(HardcodedSecretAnalyzer.EnvironmentVariableProperty, out var environmentVariable) || environmentVariable is null
            || !diagnostic.Properties.TryGetValue(HardcodedSecretAnalyzer.ConfigurationKeyProperty, out var configurationKey) || configurationKey is null)
        {
            return null;
        }

        var secret = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var replaceable = secret switch
        {
            LiteralExpressionSyntax literal => literal.IsKind(SyntaxKind.StringLiteralExpression),
            InterpolatedStringExpressionSyntax interpolated => !interpolated.Contents.Any(c => c is InterpolationSyntax),
            IdentifierNameSyntax or MemberAccessExpressionSyntax => true,
            _ => false,
        };

        if (!replaceable || NeedsConstant(secret) || InExpressionTree(secret, semanticModel, cancellationToken))
        {
            return null;
        }

        var constDeclaration = ConstDeclarationOf(secret);
        if (constDeclaration is not null && !await CanRelaxAsync(document.Project.Solution, semanticModel, constDeclaration, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var staticField = await StaticFieldHoldingOnlyAsync(document.Project.Solution, semanticModel, secret, cancellationToken).ConfigureAwait(false);
        return new Plan((ExpressionSyntax)secret, environmentVariable, configurationKey, constDeclaration, staticField);
    }

    /// <summary>
    /// The field declaration whose whole initializer is <paramref name="secret"/>, when it declares one <c>const</c>
    /// or <c>static readonly</c> field, with no attributes, that nothing assigns or passes by reference: it can become
    /// a static property read at each use. Null otherwise (an instance field is read in the constructor, where the
    /// missing value surfaces as itself).
    /// </summary>
    private static async Task<FieldDeclarationSyntax?> StaticFieldHoldingOnlyAsync(Solution solution, SemanticModel semanticModel, SyntaxNode secret, CancellationToken cancellationToken)
    {
        var value = secret;
        while (value.Parent is ParenthesizedExpressionSyntax)
        {
            value = value.Parent;
        }

        if (value.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field } declarator }
            || field.Declaration.Variables.Count != 1
            || field.AttributeLists.Count > 0
            || field.Parent is not TypeDeclarationSyntax
            || !(field.Modifiers.Any(SyntaxKind.ConstKeyword)
                 || (field.Modifiers.Any(SyntaxKind.StaticKeyword) && field.Modifiers.Any(SyntaxKind.ReadOnlyKeyword)))
            || semanticModel.GetDeclaredSymbol(declarator, cancellationToken) is not { } symbol)
        {
            return null;
        }

        foreach (var referenced in await SymbolFinder.FindReferencesAsync(symbol, solution, cancellationToken).ConfigureAwait(false))
        {
            foreach (var location in referenced.Locations)
            {
                var root = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                var use = root?.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                while (use?.Parent is MemberAccessExpressionSyntax access && access.Name == use)
                {
                    use = access;
                }

                if (use is null
                    || (use.Parent is AssignmentExpressionSyntax assignment && assignment.Left == use)
                    || (use.Parent is ArgumentSyntax argument && !argument.RefKindKeyword.IsKind(SyntaxKind.None))
                    || use.Parent is RefExpressionSyntax
                    || use.Parent is PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax)
                {
                    return null;
                }
            }
        }

        return field;
    }

    /// <summary><c>private static readonly string Key = read;</c> (or <c>const</c>) → <c>private static string Key =&gt; read;</c>.</summary>
    private static SyntaxNode AsStaticProperty(FieldDeclarationSyntax field)
    {
        var declarator = field.Declaration.Variables[0];
        var modifiers = new List<SyntaxToken>();
        var hasStatic = false;
        foreach (var modifier in field.Modifiers)
        {
            if (modifier.IsKind(SyntaxKind.ConstKeyword))
            {
                modifiers.Add(Token(modifier.LeadingTrivia, SyntaxKind.StaticKeyword, modifier.TrailingTrivia));
                hasStatic = true;
            }
            else if (modifier.IsKind(SyntaxKind.ReadOnlyKeyword))
            {
                if (modifiers.Count == 0)
                {
                    // A leading readonly carried the declaration's comments: they go to the next token.
                    continue;
                }
            }
            else
            {
                hasStatic |= modifier.IsKind(SyntaxKind.StaticKeyword);
                modifiers.Add(modifier);
            }
        }

        if (!hasStatic)
        {
            modifiers.Add(Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(Space));
        }

        return PropertyDeclaration(field.Declaration.Type, declarator.Identifier.WithTrailingTrivia(Space))
            .WithModifiers(TokenList(modifiers))
            .WithExpressionBody(ArrowExpressionClause(Token(TriviaList(), SyntaxKind.EqualsGreaterThanToken, TriviaList(Space)), declarator.Initializer!.Value))
            .WithSemicolonToken(field.SemicolonToken)
            .WithLeadingTrivia(field.GetLeadingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// True where C# needs a constant: attribute arguments, parameter defaults, case labels and patterns, enum
    /// members. (A <c>const</c> declaration is relaxed instead, unless its uses need a constant.)
    /// </summary>
    private static bool NeedsConstant(SyntaxNode node)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case AttributeArgumentSyntax:
                case EqualsValueClauseSyntax { Parent: ParameterSyntax }:
                case CaseSwitchLabelSyntax:
                case PatternSyntax:
                case EnumMemberDeclarationSyntax:
                    return true;
                case StatementSyntax:
                case MemberDeclarationSyntax:
                case AnonymousFunctionExpressionSyntax:
                    return false;
            }
        }

        return false;
    }

    /// <summary>A lambda turned into an expression tree cannot hold a throw expression (CS8188).</summary>
    private static bool InExpressionTree(SyntaxNode node, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        foreach (var lambda in node.Ancestors().OfType<AnonymousFunctionExpressionSyntax>())
        {
            var converted = semanticModel.GetTypeInfo(lambda, cancellationToken).ConvertedType;
            if (converted is INamedTypeSymbol { Name: "Expression", ContainingNamespace: { } ns } && ns.ToDisplayString() == "System.Linq.Expressions")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The <c>const</c> field or local declaration whose initializer holds <paramref name="secret"/>, if any.</summary>
    private static SyntaxNode? ConstDeclarationOf(SyntaxNode secret)
    {
        var declarator = secret.FirstAncestorOrSelf<EqualsValueClauseSyntax>()?.Parent as VariableDeclaratorSyntax;
        return declarator?.Parent?.Parent switch
        {
            FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.ConstKeyword) => field,
            LocalDeclarationStatementSyntax local when local.IsConst => local,
            _ => null,
        };
    }

    /// <summary>True when no use of the constants a declaration declares needs a constant (every document of the solution).</summary>
    private static async Task<bool> CanRelaxAsync(Solution solution, SemanticModel semanticModel, SyntaxNode declaration, CancellationToken cancellationToken)
    {
        var declarators = declaration switch
        {
            FieldDeclarationSyntax field => field.Declaration.Variables,
            LocalDeclarationStatementSyntax local => local.Declaration.Variables,
            _ => default,
        };

        foreach (var declarator in declarators)
        {
            if (semanticModel.GetDeclaredSymbol(declarator, cancellationToken) is not { } symbol)
            {
                return false;
            }

            foreach (var referenced in await SymbolFinder.FindReferencesAsync(symbol, solution, cancellationToken).ConfigureAwait(false))
            {
                foreach (var location in referenced.Locations)
                {
                    var root = await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                    var use = root?.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                    if (use is null || NeedsConstant(use) || ConstDeclarationOf(use) is not null)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>
    /// An <c>IConfiguration</c> the code at the secret may use — a local, parameter, field or property, or the
    /// <c>Configuration</c> of a host builder in scope (<c>builder.Configuration</c>) — or null.
    /// </summary>
    private static ExpressionSyntax? FindConfiguration(SemanticModel semanticModel, Plan plan)
    {
        var configuration = Model.For(semanticModel.Compilation).Types.IConfiguration;
        if (configuration is null)
        {
            return null;
        }

        var position = plan.Secret.SpanStart;
        var assumeStatic = plan.ConstDeclaration is FieldDeclarationSyntax;
        if (ScopeSymbols.FindValue(semanticModel, position, t => KnownTypes.IsOrImplements(t, configuration), assumeStatic) is { } direct)
        {
            return IdentifierName(Identifiers.Token(direct.Name));
        }

        if (ScopeSymbols.FindValue(semanticModel, position, t => ConfigurationProperty(t, configuration) is not null, assumeStatic) is { } owner)
        {
            var ownerType = owner switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field => field.Type,
                IPropertySymbol ownerProperty => ownerProperty.Type,
                _ => null,
            };

            if (ConfigurationProperty(ownerType, configuration) is { } property)
            {
                return MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(Identifiers.Token(owner.Name)), IdentifierName(property.Name));
            }
        }

        return null;
    }

    private static IPropertySymbol? ConfigurationProperty(ITypeSymbol? type, INamedTypeSymbol configuration)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers("Configuration"))
            {
                if (member is IPropertySymbol { IsStatic: false, GetMethod: not null } property && KnownTypes.IsOrImplements(property.Type, configuration))
                {
                    return property;
                }
            }
        }

        return null;
    }

    private static ExpressionSyntax ConfigurationRead(ExpressionSyntax configuration, Plan plan)
        => ElementAccessExpression(configuration, BracketedArgumentList(SingletonSeparatedList(Argument(Literals.String(plan.ConfigurationKey)))));

    private static ExpressionSyntax EnvironmentRead(SemanticModel semanticModel, Plan plan, HashSet<string> usings)
        => InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SystemType(semanticModel, plan, "Environment", usings), IdentifierName("GetEnvironmentVariable")),
            ArgumentList(SingletonSeparatedList(Argument(Literals.String(plan.EnvironmentVariable)))));

    private static ThrowExpressionSyntax ThrowMissing(SemanticModel semanticModel, Plan plan, string message, HashSet<string> usings)
        => ThrowExpression(ObjectCreationExpression(SystemType(semanticModel, plan, "InvalidOperationException", usings))
            .WithArgumentList(ArgumentList(SingletonSeparatedList(Argument(Literals.String(message))))));

    /// <summary>A <c>System</c> type by its simple name where that binds (adding <c>using System;</c> if needed), else fully qualified.</summary>
    private static TypeSyntax SystemType(SemanticModel semanticModel, Plan plan, string name, HashSet<string> usings)
    {
        var type = semanticModel.Compilation.GetTypeByMetadataName(SystemNamespace + "." + name);
        var state = type is null ? Imports.TypeNameState.Conflicts : Imports.CanUseSimpleName(semanticModel, plan.Secret.SpanStart, type);
        switch (state)
        {
            case Imports.TypeNameState.Available:
                return IdentifierName(name);
            case Imports.TypeNameState.NeedsUsing:
                usings.Add(SystemNamespace);
                return IdentifierName(name);
            default:
                return QualifiedName(AliasQualifiedName(IdentifierName(Token(SyntaxKind.GlobalKeyword)), IdentifierName(SystemNamespace)), IdentifierName(name));
        }
    }

    /// <summary><c>const</c> → <c>static readonly</c> for a field, and dropped for a local.</summary>
    private static SyntaxNode WithoutConst(SyntaxNode declaration)
    {
        switch (declaration)
        {
            case FieldDeclarationSyntax field:
                var constToken = field.Modifiers.First(m => m.IsKind(SyntaxKind.ConstKeyword));
                var index = field.Modifiers.IndexOf(constToken);
                var modifiers = field.Modifiers.RemoveAt(index).InsertRange(index, new[]
                {
                    Token(constToken.LeadingTrivia, SyntaxKind.StaticKeyword, TriviaList(Space)),
                    Token(TriviaList(), SyntaxKind.ReadOnlyKeyword, constToken.TrailingTrivia),
                });
                return field.WithModifiers(modifiers);
            case LocalDeclarationStatementSyntax local:
                var localConst = local.Modifiers.First(m => m.IsKind(SyntaxKind.ConstKeyword));
                var relaxed = local.WithModifiers(local.Modifiers.Remove(localConst));
                return relaxed.WithLeadingTrivia(localConst.LeadingTrivia);
            default:
                return declaration;
        }
    }

    private sealed class Plan
    {
        public Plan(ExpressionSyntax secret, string environmentVariable, string configurationKey, SyntaxNode? constDeclaration, FieldDeclarationSyntax? staticField)
        {
            StaticField = staticField;
            Secret = secret;
            EnvironmentVariable = environmentVariable;
            ConfigurationKey = configurationKey;
            ConstDeclaration = constDeclaration;
        }

        /// <summary>The literal (or <c>const</c> reference) to replace.</summary>
        public ExpressionSyntax Secret { get; }

        public string EnvironmentVariable { get; }

        public string ConfigurationKey { get; }

        /// <summary>The <c>const</c> declaration that holds the secret, to relax; null when there is none.</summary>
        public SyntaxNode? ConstDeclaration { get; }

        /// <summary>The static field holding only the secret, to turn into a property read at each use; or null.</summary>
        public FieldDeclarationSyntax? StaticField { get; }
    }
}
