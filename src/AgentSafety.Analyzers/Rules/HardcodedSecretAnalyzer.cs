using System.Collections.Concurrent;
using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel;
using AgentSafety.Analyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using Model = AgentSafety.Analyzers.AgentModel.AgentModel;

namespace AgentSafety.Analyzers.Rules;

/// <summary>
/// AGS001: a hardcoded secret — in a string literal (regular, verbatim, raw, UTF-8, the literal parts of an
/// interpolated string), in a <c>const</c> passed to a credential parameter, or in a configuration file next to the
/// project. Known key formats count anywhere; other values count by where they go (a credential sink) or what they
/// are called (a secret name). The message names the kind of secret and a redacted form, never the secret.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HardcodedSecretAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the environment variable the fix reads (the provider's usual one, or one named after the code).</summary>
    public const string EnvironmentVariableProperty = "EnvironmentVariable";

    /// <summary>Diagnostic property: the configuration key the fix reads (<c>Section:Key</c>).</summary>
    public const string ConfigurationKeyProperty = "ConfigurationKey";

    /// <summary>MSBuild property, visible to the compiler, that turns config-file scanning off.</summary>
    internal const string ScanConfigFilesBuildProperty = "build_property.AgentSafetyScanConfigFiles";

    /// <summary>Parameter and member names too generic to name an environment variable after.</summary>
    private static readonly HashSet<string> GenericNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "value", "key", "parameter", "s", "str", "text", "input", "arg", "uriString", "name", "x", "content", "data",
        "item", "headerValue", "values", "format",
    };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.HardcodedSecret, DiagnosticDescriptors.HardcodedSecretInConfiguredFile);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.RegisterCompilationStartAction(start =>
        {
            var model = Model.For(start.Compilation);
            var detectors = new Detectors(start.Compilation, start.CancellationToken);
            // A value passed to a call needs the parameter it goes to: it is judged on the call's operation, which the
            // driver hands over bound (binding the argument from a syntax action would bind its member out of order).
            // One action per call, not per literal and per argument: most calls pass no string and no constant.
            start.RegisterSyntaxNodeAction(
                c => AnalyzeLiteral(c, model, detectors),
                SyntaxKind.StringLiteralExpression, SyntaxKind.Utf8StringLiteralExpression);
            start.RegisterSyntaxNodeAction(c => AnalyzeInterpolatedString(c, model, detectors), SyntaxKind.InterpolatedStringExpression);
            start.RegisterOperationAction(
                c => AnalyzeCall(c, model, detectors),
                OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.FunctionPointerInvocation,
                OperationKind.DynamicInvocation, OperationKind.DynamicObjectCreation, OperationKind.Invalid);
            start.RegisterOperationAction(c => AnalyzeMemberAssignment(c, model, detectors), OperationKind.SimpleAssignment);
            start.RegisterAdditionalFileAction(c => AnalyzeConfigFile(c, detectors));
        });
    }

    private static void AnalyzeLiteral(SyntaxNodeAnalysisContext context, Model model, Detectors detectors)
    {
        var literal = (LiteralExpressionSyntax)context.Node;
        if (detectors.IsOff(literal.SyntaxTree, context.CancellationToken))
        {
            return;
        }

        if (literal.Parent is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression))
        {
            AnalyzeConcatenation(context, literal, binary, model, detectors);
        }

        if (Target.CallArgumentOf(literal) is null)
        {
            AnalyzeValue(new SyntaxSite(context, literal), model, detectors, literal.Token.ValueText);
        }
    }

    /// <summary>
    /// The arguments of a call: the strings passed in each (through parentheses, casts and branches), judged with the
    /// parameter they go to, and the constants passed to a credential parameter. A dynamic or unbound call, and the
    /// elements of a params array, have no parameter of their own: their strings go by the argument's own name.
    /// </summary>
    private static void AnalyzeCall(OperationAnalysisContext context, Model model, Detectors detectors)
    {
        if (detectors.IsOff(context.Operation.Syntax.SyntaxTree, context.CancellationToken))
        {
            return;
        }

        switch (context.Operation)
        {
            case IInvocationOperation invocation:
                AnalyzeArguments(context, invocation.Arguments, model, detectors);
                if (invocation.TargetMethod.Name == "Format" && invocation.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String)
                {
                    AnalyzeFormat(context, invocation, model, detectors);
                }

                break;
            case IObjectCreationOperation creation:
                AnalyzeArguments(context, creation.Arguments, model, detectors);
                if (creation.Initializer is { } initializer)
                {
                    AnalyzeInitializer(context, creation, initializer, model, detectors);
                }

                break;
            case IFunctionPointerInvocationOperation pointer:
                AnalyzeArguments(context, pointer.Arguments, model, detectors);
                break;
            default:
                // Dynamic and unbound calls: their argument list, read from syntax.
                if (ArgumentListOf(context.Operation.Syntax) is { } list)
                {
                    foreach (var argument in list.Arguments)
                    {
                        AnalyzeArgumentStrings(context, argument, argument.Expression, operation: null, model, detectors);
                    }
                }

                break;
        }
    }

    private static void AnalyzeArguments(in OperationAnalysisContext context, ImmutableArray<IArgumentOperation> arguments, Model model, Detectors detectors)
    {
        // Whether the call may take a credential is one question per call, asked at the first name passed.
        var takesCredential = (bool?)null;
        foreach (var operation in arguments)
        {
            if (operation.Syntax is ArgumentSyntax { Parent: ArgumentListSyntax } argument)
            {
                AnalyzeArgumentStrings(context, argument, argument.Expression, operation.ArgumentKind == ArgumentKind.ParamArray ? null : operation, model, detectors);
                if (argument.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax
                    && (takesCredential ??= CalledName(argument) is not { } calledName || CredentialSinks.MayTakeCredential(calledName)))
                {
                    AnalyzeConstantArgument(context, operation, argument, model, detectors);
                }
            }
            else if (operation.ArgumentKind == ArgumentKind.ParamArray && operation.Value is IArrayCreationOperation { Initializer: { } elements })
            {
                foreach (var element in elements.ElementValues)
                {
                    if (Target.CallArgumentOf(element.Syntax as ExpressionSyntax) is { } elementArgument)
                    {
                        AnalyzeArgumentStrings(context, elementArgument, elementArgument.Expression, operation: null, model, detectors);
                    }
                }
            }
        }
    }

    /// <summary>The strings <paramref name="expression"/> passes as <paramref name="argument"/>: itself, or through parentheses, casts and branches.</summary>
    private static void AnalyzeArgumentStrings(
        in OperationAnalysisContext context, ArgumentSyntax argument, ExpressionSyntax expression, IArgumentOperation? operation, Model model, Detectors detectors)
    {
        // Every argument of every call comes here, most of them names: one switch on the kind settles them.
        switch (expression.Kind())
        {
            case SyntaxKind.StringLiteralExpression:
            case SyntaxKind.Utf8StringLiteralExpression:
            case SyntaxKind.InterpolatedStringExpression:
                if (ValueText(expression) is { } value)
                {
                    AnalyzeValue(new ArgumentSite(context, expression, argument, operation, model.CredentialSinks), model, detectors, value);
                }

                break;
            case SyntaxKind.ParenthesizedExpression:
                AnalyzeArgumentStrings(context, argument, ((ParenthesizedExpressionSyntax)expression).Expression, operation, model, detectors);
                break;
            case SyntaxKind.CastExpression:
                AnalyzeArgumentStrings(context, argument, ((CastExpressionSyntax)expression).Expression, operation, model, detectors);
                break;
            case SyntaxKind.SuppressNullableWarningExpression:
                AnalyzeArgumentStrings(context, argument, ((PostfixUnaryExpressionSyntax)expression).Operand, operation, model, detectors);
                break;
            case SyntaxKind.CoalesceExpression:
                AnalyzeArgumentStrings(context, argument, ((BinaryExpressionSyntax)expression).Right, operation, model, detectors);
                break;
            case SyntaxKind.ConditionalExpression:
                var conditional = (ConditionalExpressionSyntax)expression;
                AnalyzeArgumentStrings(context, argument, conditional.WhenTrue, operation, model, detectors);
                AnalyzeArgumentStrings(context, argument, conditional.WhenFalse, operation, model, detectors);
                break;
            case SyntaxKind.SwitchExpression:
                foreach (var arm in ((SwitchExpressionSyntax)expression).Arms)
                {
                    AnalyzeArgumentStrings(context, argument, arm.Expression, operation, model, detectors);
                }

                break;
        }
    }

    /// <summary>The argument list of a call written in syntax (a method, a constructor, a constructor initializer, a base type's).</summary>
    private static ArgumentListSyntax? ArgumentListOf(SyntaxNode syntax) => syntax switch
    {
        InvocationExpressionSyntax invocation => invocation.ArgumentList,
        BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
        ConstructorInitializerSyntax initializer => initializer.ArgumentList,
        PrimaryConstructorBaseTypeSyntax baseType => baseType.ArgumentList,
        _ => null,
    };

    /// <summary>The text of a string literal, or of an interpolated string without holes; null for anything else.</summary>
    private static string? ValueText(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) || literal.IsKind(SyntaxKind.Utf8StringLiteralExpression)
            => literal.Token.ValueText,
        InterpolatedStringExpressionSyntax interpolated when !HasHoles(interpolated) => TextOf(interpolated),
        _ => null,
    };

    /// <summary>True when the interpolated string has an interpolation (a loop: this runs for every interpolated string).</summary>
    private static bool HasHoles(InterpolatedStringExpressionSyntax interpolated)
    {
        foreach (var content in interpolated.Contents)
        {
            if (content is InterpolationSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text of an interpolated string without holes: its one text part, or the parts joined.</summary>
    private static string TextOf(InterpolatedStringExpressionSyntax interpolated)
    {
        var contents = interpolated.Contents;
        if (contents.Count == 1 && contents[0] is InterpolatedStringTextSyntax single)
        {
            return single.TextToken.ValueText;
        }

        var text = new System.Text.StringBuilder();
        foreach (var content in contents)
        {
            if (content is InterpolatedStringTextSyntax part)
            {
                text.Append(part.TextToken.ValueText);
            }
        }

        return text.ToString();
    }

    private static void AnalyzeInterpolatedString(SyntaxNodeAnalysisContext context, Model model, Detectors detectors)
    {
        if (detectors.IsOff(context.Node.SyntaxTree, context.CancellationToken))
        {
            return;
        }

        var interpolated = (InterpolatedStringExpressionSyntax)context.Node;
        if (!HasHoles(interpolated))
        {
            if (Target.CallArgumentOf(interpolated) is null)
            {
                AnalyzeValue(new SyntaxSite(context, interpolated), model, detectors, TextOf(interpolated));
            }

            return;
        }

        // With holes, each literal part is checked alone and by shape only: "Bearer {token}" holds no secret.
        var detector = detectors.For(context.Options, interpolated.SyntaxTree);
        foreach (var content in interpolated.Contents)
        {
            if (content is not InterpolatedStringTextSyntax part)
            {
                continue;
            }

            var value = part.TextToken.ValueText;
            if (detector.TryScan(value, out var finding) && !model.GeneratedCode.Skips(part, context.Options))
            {
                Report(context.ReportDiagnostic, part.GetLocation(), value, finding, targetName: null, TypeName(part));
            }
        }

        // A hole right after a key ($"...Password={DbPassword}", $"amqp://agent:{BrokerPassword}@host") holding a
        // constant, or a local or field of this type holding one literal: the assembled text is judged too. Most
        // interpolations ($"Unknown tool: {name}" aside) have no hole after a separator: nothing is assembled.
        if (!MayBindAHole(interpolated))
        {
            return;
        }

        CompositeText? composite = null;
        InterpolatedStringTextSyntax? first = null;
        foreach (var content in interpolated.Contents)
        {
            if (content is InterpolatedStringTextSyntax part)
            {
                first ??= part;
                (composite ??= new CompositeText()).AppendLiteral(part.TextToken.ValueText);
            }
            else if (content is InterpolationSyntax hole)
            {
                composite ??= new CompositeText();
                AppendHole(composite, composite.EndsWithSecretKey(detector) && hole.FormatClause is null && hole.AlignmentClause is null
                    ? KnownText(hole.Expression, context.SemanticModel, context.ContainingSymbol, model, context.CancellationToken)
                    : null, detector);
            }
        }

        if (composite is { HasKnownHole: true } && first is not null)
        {
            ReportComposite(context, first, composite, target: null, model, detector);
        }
    }

    /// <summary>
    /// False when no hole of <paramref name="interpolated"/> can be bound to assemble its text: the composite binds a
    /// hole only when the text before it ends with a key's separator (<see cref="CompositeText.EndsWithSecretKey"/>),
    /// and a hole after another hole only when that one was bound.
    /// </summary>
    private static bool MayBindAHole(InterpolatedStringExpressionSyntax interpolated)
    {
        var contents = interpolated.Contents;
        for (var i = 1; i < contents.Count; i++)
        {
            if (contents[i] is InterpolationSyntax && contents[i - 1] is InterpolatedStringTextSyntax text && MayEndWithSeparator(text.TextToken.ValueText))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first test of <see cref="CompositeText.EndsWithSecretKey"/> on a text part: an optional quote, spaces, then
    /// <c>=</c> or <c>:</c>. A part made only of a quote and spaces runs into what came before it: maybe.
    /// </summary>
    internal static bool MayEndWithSeparator(string text)
    {
        var p = text.Length - 1;
        if (p >= 0 && text[p] is '\'' or '"')
        {
            p--;
        }

        while (p >= 0 && text[p] == ' ')
        {
            p--;
        }

        return p < 0 || text[p] is '=' or ':';
    }

    /// <summary>
    /// A concatenation, judged once at its first literal: the secrets its assembled text holds across parts
    /// (<c>"...;Password=" + "S3cret"</c>, <c>"...Password=" + DbPassword</c>), and an all-literal one under a secret
    /// name (<c>secret = "part1" + "part2"</c>). A part from a parameter, a call or configuration is not hardcoded.
    /// </summary>
    private static void AnalyzeConcatenation(SyntaxNodeAnalysisContext context, LiteralExpressionSyntax literal, BinaryExpressionSyntax binary, Model model, Detectors detectors)
    {
        // The first literal of the chain judges it: any other literal stops as soon as it sees one to its left.
        ExpressionSyntax node = literal;
        var top = binary;
        while (true)
        {
            if (top.Right == node && HasLiteral(top.Left))
            {
                return;
            }

            if (top.Parent is BinaryExpressionSyntax parent && parent.IsKind(SyntaxKind.AddExpression))
            {
                node = top;
                top = parent;
                continue;
            }

            break;
        }

        var leaves = new List<ExpressionSyntax>();
        Leaves(top, leaves);
        var literals = 0;
        foreach (var leaf in leaves)
        {
            literals += ValueText(leaf) is not null ? 1 : 0;
        }

        var detector = detectors.For(context.Options, literal.SyntaxTree);
        var composite = new CompositeText();
        foreach (var leaf in leaves)
        {
            if (ValueText(leaf) is { } text)
            {
                composite.AppendLiteral(text);
            }
            else
            {
                AppendHole(composite, composite.EndsWithSecretKey(detector)
                    ? KnownText(leaf, context.SemanticModel, context.ContainingSymbol, model, context.CancellationToken)
                    : null, detector);
            }
        }

        if (literals < 2 && !composite.HasKnownHole)
        {
            return;
        }

        SecretContext? target = null;
        if (composite.IsComplete && !composite.HasKnownHole)
        {
            var value = composite.ToString();
            target = value.Length > 0 && MayHoldSecretInContext(value) ? Target.Of(top, context.SemanticModel, context.ContainingSymbol, context.CancellationToken) : default;
        }

        ReportComposite(context, literal, composite, target, model, detector);
    }

    /// <summary>
    /// True when a chain of <c>+</c> holds a string literal operand. Chains nest to the left (a right operand that is
    /// itself a sum is parenthesized, a leaf here): a walk down the left spine, no recursion however long the chain.
    /// </summary>
    private static bool HasLiteral(ExpressionSyntax expression)
    {
        while (expression is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression))
        {
            if (ValueText(binary.Right) is not null)
            {
                return true;
            }

            expression = binary.Left;
        }

        return ValueText(expression) is not null;
    }

    /// <summary>The operands of a chain of <c>+</c>, left to right (the left spine walked down, then reversed).</summary>
    private static void Leaves(ExpressionSyntax expression, List<ExpressionSyntax> leaves)
    {
        while (expression is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression))
        {
            leaves.Add(binary.Right);
            expression = binary.Left;
        }

        leaves.Add(expression);
        leaves.Reverse();
    }

    /// <summary>Reports the assembled text's secret at <paramref name="at"/> (the first literal); no fix: the secret spans several parts.</summary>
    private static void ReportComposite(SyntaxNodeAnalysisContext context, SyntaxNode at, CompositeText composite, SecretContext? target, Model model, SecretDetector detector)
    {
        SecretFinding finding;
        var found = composite.TryScan(detector, out finding);
        if (!found && target is { IsEmpty: false } secretContext)
        {
            found = detector.TryClassify(composite.ToString(), secretContext, out finding);
        }

        if (found && !model.GeneratedCode.Skips(at, context.Options))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.HardcodedSecret, at.GetLocation(), finding.Kind.Description, finding.Redact(composite.ToString())));
        }
    }

    /// <summary>
    /// The text of a value known in code: a constant, or a local or a field of <paramref name="containingSymbol"/>'s
    /// type whose only value is one literal; and the name it is declared under (null for a literal). Null for anything
    /// else (a parameter, a call, configuration).
    /// </summary>
    private static (string Text, string? Name)? KnownText(ExpressionSyntax expression, SemanticModel semanticModel, ISymbol? containingSymbol, Model model, CancellationToken cancellationToken)
    {
        if (expression is IdentifierNameSyntax or MemberAccessExpressionSyntax)
        {
            return semanticModel.GetOperation(expression, cancellationToken) is { } operation ? KnownText(operation, containingSymbol, model) : null;
        }

        var constant = semanticModel.GetConstantValue(expression, cancellationToken);
        return constant is { HasValue: true, Value: string text } ? (text, null) : null;
    }

    private static (string Text, string? Name)? KnownText(IOperation operation, ISymbol? containingSymbol, Model model)
    {
        operation = ValueOrigins.Unwrap(operation);
        var symbol = operation switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IFieldReferenceOperation field => field.Field,
            _ => null,
        };

        if (operation.ConstantValue is { HasValue: true } constant)
        {
            return constant.Value is string text && (symbol is null || !symbol.DeclaringSyntaxReferences.IsEmpty) ? (text, symbol?.Name) : null;
        }

        var withinType = containingSymbol as INamedTypeSymbol ?? containingSymbol?.ContainingType;
        return symbol is not null && model.Origins.SingleLiteral(operation, withinType) is { } value ? (value, symbol.Name) : null;
    }

    /// <summary>Adds a hole worth binding (after a key's separator) with its known value, if any.</summary>
    private static void AppendHole(CompositeText composite, (string Text, string? Name)? known, SecretDetector detector)
    {
        if (known is not { } value)
        {
            composite.AppendHole(null);
            return;
        }

        // A value reported where it is declared (a secret by shape or by its name) is not reported again here.
        var reported = detector.TryScan(value.Text, out _)
                       || (value.Name is { } name && detector.TryClassify(value.Text, new SecretContext(name, CredentialSink.None), out _));
        composite.AppendHole(value.Text, reported);
    }

    /// <summary>Judges one string value at <paramref name="site"/>; the name it goes to is looked up only when needed.</summary>
    private static void AnalyzeValue<TSite>(in TSite site, Model model, Detectors detectors, string value)
        where TSite : struct, IValueSite
    {
        var expression = site.Expression;
        var options = site.Options;
        if (value.Length == 0)
        {
            return;
        }

        // Most literals hold nothing: the generated-code test (which walks up to the type) runs only for the rest.
        var detector = detectors.For(options, expression.SyntaxTree);
        if (detector.TryScan(value, out var finding))
        {
            if (!model.GeneratedCode.Skips(expression, options))
            {
                site.Report(Create(expression.GetLocation(), value, finding, site.Target().Name, TypeName(expression)));
            }

            return;
        }

        // The cheap tests first: the value's length and spaces, then where it goes (a name is one lookup, a sink a
        // few symbol tests, an attribute's parameter is read from the constructor its owner records); a template is
        // looked for only in a value going to a secret name or a sink, and generated code only where a finding is.
        if (!MayHoldSecretByLength(value))
        {
            return;
        }

        var context = site.Target();
        if (detector.MayClassify(context) && !Placeholders.IsTemplate(value) && detector.TryClassify(value, context, out finding)
            && !model.GeneratedCode.Skips(expression, options))
        {
            site.Report(Create(expression.GetLocation(), value, finding, context.Name, TypeName(expression)));
        }
    }

    /// <summary>Where a string value sits: what it goes to (looked up on demand) and how to report there.</summary>
    private interface IValueSite
    {
        ExpressionSyntax Expression { get; }

        AnalyzerOptions Options { get; }

        SecretContext Target();

        void Report(Diagnostic diagnostic);
    }

    /// <summary>A value judged from syntax: not passed to a call.</summary>
    private readonly struct SyntaxSite : IValueSite
    {
        private readonly SyntaxNodeAnalysisContext _context;

        public SyntaxSite(SyntaxNodeAnalysisContext context, ExpressionSyntax expression)
        {
            _context = context;
            Expression = expression;
        }

        public ExpressionSyntax Expression { get; }

        public AnalyzerOptions Options => _context.Options;

        public SecretContext Target() => HardcodedSecretAnalyzer.Target.Of(Expression, _context.SemanticModel, _context.ContainingSymbol, _context.CancellationToken);

        public void Report(Diagnostic diagnostic) => _context.ReportDiagnostic(diagnostic);
    }

    /// <summary>A value passed to a call, judged on the argument's operation.</summary>
    private readonly struct ArgumentSite : IValueSite
    {
        private readonly OperationAnalysisContext _context;
        private readonly ArgumentSyntax _argument;
        private readonly IArgumentOperation? _operation;
        private readonly CredentialSinks _sinks;

        /// <param name="operation">The argument's operation, null when the value has no parameter of its own.</param>
        public ArgumentSite(OperationAnalysisContext context, ExpressionSyntax expression, ArgumentSyntax argument, IArgumentOperation? operation, CredentialSinks sinks)
        {
            _context = context;
            Expression = expression;
            _argument = argument;
            _operation = operation;
            _sinks = sinks;
        }

        public ExpressionSyntax Expression { get; }

        public AnalyzerOptions Options => _context.Options;

        public SecretContext Target() => HardcodedSecretAnalyzer.Target.OfCallArgument(_argument, _operation, _sinks);

        public void Report(Diagnostic diagnostic) => _context.ReportDiagnostic(diagnostic);
    }

    /// <summary>
    /// A name passed to a credential parameter (<c>new AzureKeyCredential(AzureKey)</c>, <c>new
    /// NetworkCredential("agent", secret)</c>): a <c>const</c>, or a local or a field of this type whose only value is one
    /// literal. Reported at the argument when the value holds a secret that its declaration, read alone, does not
    /// show. The caller has checked that the argument is a name and that the call may take a credential.
    /// </summary>
    private static void AnalyzeConstantArgument(OperationAnalysisContext context, IArgumentOperation operation, ArgumentSyntax argument, Model model, Detectors detectors)
    {
        var sink = model.CredentialSinks.ForArgument(operation);
        if (sink.IsSink)
        {
            AnalyzeNamedValue(context, operation.Value, argument.Expression, sink, operation.Parameter?.Name, model, detectors);
        }
    }

    /// <summary>
    /// Credential members set from a name in an object initializer: <c>new NetworkCredential { Password = secret }</c>,
    /// <c>new Options { ApiKey = KeyConst }</c>.
    /// </summary>
    private static void AnalyzeInitializer(OperationAnalysisContext context, IObjectCreationOperation creation, IObjectOrCollectionInitializerOperation initializer, Model model, Detectors detectors)
    {
        foreach (var member in initializer.Initializers)
        {
            if (member is ISimpleAssignmentOperation { Target: IMemberReferenceOperation target, Value: var value }
                && value.Syntax is IdentifierNameSyntax or MemberAccessExpressionSyntax
                && CredentialSinks.ForInitializedMember(target.Member.Name, createdType: null).IsSink)
            {
                var sink = CredentialSinks.ForInitializedMember(target.Member.Name, creation.Type);
                AnalyzeNamedValue(context, value, (ExpressionSyntax)value.Syntax, sink, target.Member.Name, model, detectors);
            }
        }
    }

    private static void AnalyzeNamedValue(
        OperationAnalysisContext context, IOperation value, ExpressionSyntax reportAt, CredentialSink sink, string? targetName, Model model, Detectors detectors)
    {
        if (KnownText(value, context.ContainingSymbol, model) is not { Name: { } name } known
            || known.Text.Length == 0
            || model.GeneratedCode.Skips(reportAt, context.Options))
        {
            return;
        }

        var text = known.Text;
        var detector = detectors.For(context.Options, reportAt.SyntaxTree);
        if (detector.TryScan(text, out _) || detector.TryClassify(text, new SecretContext(name, CredentialSink.None), out _))
        {
            // The declaration's own literal is reported already.
            return;
        }

        if (detector.TryClassify(text, new SecretContext(null, sink), out var finding))
        {
            Report(context.ReportDiagnostic, reportAt.GetLocation(), text, finding, targetName, TypeName(reportAt));
        }
    }

    /// <summary>
    /// A credential member set from a name in a statement: <c>credential.Password = secret;</c>,
    /// <c>options.ApiKey = KeyConst;</c> — as in an initializer (those are judged with their object creation).
    /// </summary>
    private static void AnalyzeMemberAssignment(OperationAnalysisContext context, Model model, Detectors detectors)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Value.Syntax is not (IdentifierNameSyntax or MemberAccessExpressionSyntax)
            || assignment.Target is not IMemberReferenceOperation target
            || !CredentialSinks.ForInitializedMember(target.Member.Name, createdType: null).IsSink
            || assignment.Parent is IObjectOrCollectionInitializerOperation
            || detectors.IsOff(assignment.Syntax.SyntaxTree, context.CancellationToken))
        {
            return;
        }

        var sink = CredentialSinks.ForInitializedMember(target.Member.Name, target.Instance?.Type ?? target.Member.ContainingType);
        AnalyzeNamedValue(context, assignment.Value, (ExpressionSyntax)assignment.Value.Syntax, sink, target.Member.Name, model, detectors);
    }

    /// <summary>
    /// <c>string.Format("...Password={0}", DbPassword)</c>: the format with its known arguments put in, judged at the
    /// format literal like a concatenation.
    /// </summary>
    private static void AnalyzeFormat(OperationAnalysisContext context, IInvocationOperation invocation, Model model, Detectors detectors)
    {
        IArgumentOperation? format = null;
        var arguments = new List<IOperation>();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "format")
            {
                format = argument;
            }
            else if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } elements })
            {
                arguments.AddRange(elements.ElementValues);
            }
            else if (argument.Parameter?.Name.StartsWith("arg", StringComparison.Ordinal) == true)
            {
                arguments.Add(argument.Value);
            }
        }

        if (format?.Syntax is not ArgumentSyntax { Expression: LiteralExpressionSyntax literal }
            || format.Value.ConstantValue is not { HasValue: true, Value: string text }
            || (text.IndexOf('=') < 0 && text.IndexOf(':') < 0))
        {
            return;
        }

        var detector = detectors.For(context.Options, literal.SyntaxTree);
        var composite = new CompositeText();
        var part = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                part.Append(c);
                i++;
                continue;
            }

            var close = c == '{' ? text.IndexOf('}', i + 1) : -1;
            if (close < 0)
            {
                part.Append(c);
                continue;
            }

            // {index[,alignment][:format]}: only a plain {index} is filled in.
            var item = text.Substring(i + 1, close - i - 1);
            composite.AppendLiteral(part.ToString());
            part.Clear();
            var known = int.TryParse(item, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                        && index < arguments.Count && composite.EndsWithSecretKey(detector)
                ? KnownText(arguments[index], context.ContainingSymbol, model)
                : null;
            AppendHole(composite, known, detector);
            i = close;
        }

        composite.AppendLiteral(part.ToString());
        if (composite.HasKnownHole && composite.TryScan(detector, out var finding) && !model.GeneratedCode.Skips(literal, context.Options))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.HardcodedSecret, literal.GetLocation(), finding.Kind.Description, finding.Redact(composite.ToString())));
        }
    }

    private static void AnalyzeConfigFile(AdditionalFileAnalysisContext context, Detectors detectors)
    {
        var file = context.AdditionalFile;
        var kind = ConfigFiles.KindOf(file.Path);
        if (kind == ConfigFileKind.None)
        {
            return;
        }

        var options = AgentSafetyOptions.For(context.Options, file);
        var global = AgentSafetyOptions.Global(context.Options);
        var scan = options.Get(AgentSafetyOptions.Keys.Ags001ScanConfigFiles)
                   ?? global.Get(AgentSafetyOptions.Keys.Ags001ScanConfigFiles)
                   ?? global.Get(ScanConfigFilesBuildProperty);
        if (string.Equals(scan, "false", StringComparison.OrdinalIgnoreCase) || IsDuplicate(file, context.Options.AdditionalFiles)
            || RuleSeverity.IsSuppressedByProject(context.Compilation, RuleIds.HardcodedSecret))
        {
            return;
        }

        // A severity set for this file in an .editorconfig section is applied here: the compiler would not.
        var descriptor = DiagnosticDescriptors.HardcodedSecret;
        var severity = descriptor.DefaultSeverity;
        if (RuleSeverity.ForFile(file.Path, RuleIds.HardcodedSecret, context.Options.AdditionalFiles, context.CancellationToken) is { } configured)
        {
            descriptor = DiagnosticDescriptors.HardcodedSecretInConfiguredFile;
            if (RuleSeverity.ToSeverity(configured, descriptor) is not { } set)
            {
                return;
            }

            severity = set;
        }

        var text = file.GetText(context.CancellationToken);
        if (text is null)
        {
            return;
        }

        var detector = detectors.For(options);
        foreach (var entry in ConfigFiles.Entries(kind, text.ToString()))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (entry.Value.Length == 0)
            {
                continue;
            }

            if (detector.TryScan(entry.Value, out var finding)
                || detector.TryClassify(entry.Value, new SecretContext(entry.Name, CredentialSinks.ForHeaderName(entry.Name)), out finding))
            {
                var location = Location.Create(file.Path, entry.Span, text.Lines.GetLinePositionSpan(entry.Span));
                context.ReportDiagnostic(Diagnostic.Create(
                    descriptor, location, severity, additionalLocations: null, properties: null, finding.Kind.Description, finding.Redact(entry.Value)));
            }
        }
    }

    /// <summary>A file listed twice (the package's item and the user's own) is read once: the first listing wins.</summary>
    private static bool IsDuplicate(AdditionalText file, ImmutableArray<AdditionalText> files)
    {
        foreach (var other in files)
        {
            if (ReferenceEquals(other, file))
            {
                return false;
            }

            if (string.Equals(other.Path, file.Path, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The cheap test before binding anything: a value that no context can make a secret (a template, text with
    /// spaces other than an authorization header) stops here. Short values go on: under a password name any value counts.
    /// </summary>
    internal static bool MayHoldSecretInContext(string value) => MayHoldSecretByLength(value) && !Placeholders.IsTemplate(value);

    /// <summary>
    /// The first part of <see cref="MayHoldSecretInContext"/>, without the template test: long text, short
    /// punctuation and text with spaces (other than one after a scheme) are ruled out.
    /// </summary>
    internal static bool MayHoldSecretByLength(string value)
    {
        if (value.Length > 4096 || (value.Length < 3 && !Chars.IsAlphanumeric(value[0]) && (value.Length == 1 || !Chars.IsAlphanumeric(value[1]))))
        {
            // Long text, and short punctuation (",", " ", "\r\n"), are never a password.
            return false;
        }

        // Text with spaces (most strings in code) is ruled out by the cheaper test first.
        var space = value.IndexOf(' ');
        if (space < 0)
        {
            return true;
        }

        if (space <= 2 || value.IndexOf(' ', space + 1) >= 0)
        {
            return false;
        }

        for (var i = space + 1; i < value.Length; i++)
        {
            if (Chars.IsWhiteSpace(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Reports at a literal in code, with the names the fixes use: the provider's environment variable and
    /// configuration key, or ones made from the name the value goes to (<c>_weatherApiKey</c> → WEATHER_API_KEY,
    /// <c>WeatherTools:WeatherApiKey</c>), or from the kind of secret.
    /// </summary>
    private static void Report(Action<Diagnostic> report, Location location, string value, SecretFinding finding, string? targetName, string? typeName)
        => report(Create(location, value, finding, targetName, typeName));

    private static Diagnostic Create(Location location, string value, SecretFinding finding, string? targetName, string? typeName)
    {
        var name = targetName is { } n && !GenericNames.Contains(n) && Words.Split(n).Count > 0 ? n : null;
        var environmentVariable = finding.Kind.EnvironmentVariable ?? Words.ScreamingSnakeCase(name ?? finding.Kind.DefaultName);
        var configurationKey = finding.Kind.ConfigurationKey ?? (typeName ?? "App") + ":" + Words.PascalCase(name ?? finding.Kind.DefaultName);
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(EnvironmentVariableProperty, environmentVariable)
            .Add(ConfigurationKeyProperty, configurationKey);
        return Diagnostic.Create(
            DiagnosticDescriptors.HardcodedSecret, location, properties, finding.Kind.Description, finding.Redact(value));
    }

    private static string? TypeName(SyntaxNode node)
        => node.FirstAncestorOrSelf<BaseTypeDeclarationSyntax>()?.Identifier.ValueText;

    /// <summary>The simple name of the method called or the type created with the argument's list.</summary>
    private static string? CalledName(ArgumentSyntax argument)
        => argument.Parent?.Parent switch
        {
            InvocationExpressionSyntax invocation => invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                SimpleNameSyntax simple => simple.Identifier.ValueText,
                MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                _ => null,
            },
            ObjectCreationExpressionSyntax creation => creation.Type switch
            {
                QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                SimpleNameSyntax simple => simple.Identifier.ValueText,
                _ => null,
            },
            _ => null,
        };

    /// <summary>
    /// Where a literal goes: the name it initializes or is assigned to (variable, field, property, parameter default,
    /// named or positional argument, initializer member, anonymous member, dictionary key), and the credential sink it
    /// is passed to.
    /// </summary>
    private static class Target
    {
        /// <summary>The call argument (in a parenthesized argument list) the value goes to, through parentheses, casts and branches; else null.</summary>
        public static ArgumentSyntax? CallArgumentOf(ExpressionSyntax? expression)
            => expression is not null && Outermost(expression).Parent is ArgumentSyntax { Parent: ArgumentListSyntax } argument ? argument : null;

        /// <summary>
        /// The name and credential sink of a call argument: its parameter's when it has one, else only its own name. A
        /// value compared by <c>Equals</c> goes by the name it is compared with: <c>apiKey.Equals("...")</c>,
        /// <c>string.Equals(token, "...")</c>.
        /// </summary>
        public static SecretContext OfCallArgument(ArgumentSyntax argument, IArgumentOperation? operation, CredentialSinks sinks)
        {
            if (ComparedName(argument) is { } compared)
            {
                return Named(compared);
            }

            var name = argument.NameColon?.Name.Identifier.ValueText;
            return operation is null ? Named(name) : new SecretContext(name ?? operation.Parameter?.Name, sinks.ForArgument(operation));
        }

        /// <summary>The name a value passed to <c>Equals</c> is compared with: the receiver's, or the other argument's of a static call.</summary>
        private static string? ComparedName(ArgumentSyntax argument)
        {
            if (argument.Parent is not ArgumentListSyntax list
                || list.Parent is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Equals" } access })
            {
                return null;
            }

            if (access.Expression is PredefinedTypeSyntax || access.Expression is IdentifierNameSyntax { Identifier.ValueText: "String" })
            {
                // string.Equals(a, b[, comparison]): the other of the first two.
                var index = list.Arguments.IndexOf(argument);
                return index is 0 or 1 && list.Arguments.Count >= 2 ? NameOf(list.Arguments[1 - index].Expression) : null;
            }

            return list.Arguments.IndexOf(argument) == 0 ? NameOf(access.Expression) : null;
        }

        /// <summary>The simple name an expression reads: a variable, a member (<c>_options.ApiKey</c> → ApiKey).</summary>
        private static string? NameOf(ExpressionSyntax expression) => expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            ConditionalAccessExpressionSyntax conditional => NameOf(conditional.WhenNotNull),
            _ => null,
        };

        /// <summary>Where a value that is not a call argument goes (binding only for object initializers and attributes).</summary>
        public static SecretContext Of(ExpressionSyntax expression, SemanticModel semanticModel, ISymbol? containingSymbol, CancellationToken cancellationToken)
        {
            var node = Outermost(expression);
            switch (node.Parent)
            {
                case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }:
                    return Named(declarator.Identifier.ValueText);
                case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                    return Named(property.Identifier.ValueText);
                case EqualsValueClauseSyntax { Parent: ParameterSyntax parameter }:
                    return Named(parameter.Identifier.ValueText);
                case AssignmentExpressionSyntax assignment when assignment.Right == node
                                                                && (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                                                                    || assignment.IsKind(SyntaxKind.AddAssignmentExpression)
                                                                    || assignment.IsKind(SyntaxKind.CoalesceAssignmentExpression)):
                    return OfAssignment(assignment, semanticModel, cancellationToken);
                case BinaryExpressionSyntax comparison when comparison.IsKind(SyntaxKind.EqualsExpression) || comparison.IsKind(SyntaxKind.NotEqualsExpression):
                    // A hardcoded key checked by a server is a hardcoded secret: authToken == "...".
                    return Named(NameOf(comparison.Left == node ? comparison.Right : comparison.Left));
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Equals" } access
                    when access.Expression == node && access.Parent is InvocationExpressionSyntax { ArgumentList.Arguments: { Count: > 0 } compared }:
                    // "...".Equals(apiKey)
                    return Named(NameOf(compared[0].Expression));
                case ArgumentSyntax argument:
                    // Tuple elements; call arguments are judged on their operations (OfCallArgument).
                    return argument.Parent is BracketedArgumentListSyntax ? default : Named(argument.NameColon?.Name.Identifier.ValueText);
                case AttributeArgumentSyntax attributeArgument:
                    return OfAttributeArgument(attributeArgument, semanticModel, containingSymbol, cancellationToken);
                case AnonymousObjectMemberDeclaratorSyntax { NameEquals: { } nameEquals }:
                    return Named(nameEquals.Name.Identifier.ValueText);
                case ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                    return Named(property.Identifier.ValueText);
                case ArrowExpressionClauseSyntax { Parent: AccessorDeclarationSyntax accessor } when accessor.IsKind(SyntaxKind.GetAccessorDeclaration):
                    return Named(PropertyName(accessor));
                case ReturnStatementSyntax returnStatement
                    when returnStatement.FirstAncestorOrSelf<AccessorDeclarationSyntax>() is { } getter && getter.IsKind(SyntaxKind.GetAccessorDeclaration)
                         && returnStatement.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>() is null:
                    return Named(PropertyName(getter));
                case InitializerExpressionSyntax { Expressions: { Count: 2 } pair } element
                    when element.IsKind(SyntaxKind.ComplexElementInitializerExpression) && pair[1] == node:
                    return Keyed(pair[0]);
                default:
                    return default;
            }
        }

        private static SecretContext Named(string? name) => new(name, CredentialSink.None);

        private static SyntaxNode Outermost(ExpressionSyntax expression)
        {
            SyntaxNode node = expression;
            while (node.Parent is { } parent && IsTransparent(parent, node))
            {
                node = parent;
            }

            return node;
        }

        /// <summary>A dictionary or header key: its last segment names the value (<c>OpenAI:ApiKey</c> → ApiKey).</summary>
        private static SecretContext Keyed(ExpressionSyntax key)
        {
            if (key is not LiteralExpressionSyntax literal || !literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                return default;
            }

            var text = literal.Token.ValueText;
            var colon = text.LastIndexOf(':');
            var underscores = text.LastIndexOf("__", StringComparison.Ordinal);
            var segmentStart = Math.Max(colon < 0 ? 0 : colon + 1, underscores < 0 ? 0 : underscores + 2);
            return new SecretContext(text.Substring(segmentStart), CredentialSinks.ForHeaderName(text));
        }

        private static bool IsTransparent(SyntaxNode parent, SyntaxNode node) => parent switch
        {
            ParenthesizedExpressionSyntax => true,
            CastExpressionSyntax cast => cast.Expression == node,
            PostfixUnaryExpressionSyntax postfix => postfix.IsKind(SyntaxKind.SuppressNullableWarningExpression),
            BinaryExpressionSyntax binary => binary.IsKind(SyntaxKind.CoalesceExpression) && binary.Right == node,
            ConditionalExpressionSyntax conditional => conditional.Condition != node,
            SwitchExpressionArmSyntax arm => arm.Expression == node,
            SwitchExpressionSyntax switchExpression => switchExpression.GoverningExpression != node,
            _ => false,
        };

        private static SecretContext OfAssignment(AssignmentExpressionSyntax assignment, SemanticModel semanticModel, CancellationToken cancellationToken)
        {
            switch (assignment.Left)
            {
                case IdentifierNameSyntax identifier when assignment.Parent is InitializerExpressionSyntax initializer
                                                          && (initializer.IsKind(SyntaxKind.ObjectInitializerExpression) || initializer.IsKind(SyntaxKind.WithInitializerExpression)):
                    var name = identifier.Identifier.ValueText;
                    var sink = CredentialSinks.ForInitializedMember(name, createdType: null);
                    if (sink.IsSink && initializer.Parent is { } created)
                    {
                        sink = CredentialSinks.ForInitializedMember(name, semanticModel.GetTypeInfo(created, cancellationToken).Type);
                    }

                    return new SecretContext(name, sink);
                case IdentifierNameSyntax { Identifier.ValueText: "field" } when AccessorPropertyName(assignment) is { } property:
                    // The backing field of a property, before C# 14.
                    return Named(property);
                case IdentifierNameSyntax identifier:
                    return Named(identifier.Identifier.ValueText);
                case MemberAccessExpressionSyntax access:
                    return Named(access.Name.Identifier.ValueText);
                case MemberBindingExpressionSyntax binding:
                    // a?.token = "..."
                    return Named(binding.Name.Identifier.ValueText);
                case var left when left.GetFirstToken().ValueText == "field" && left.Span == left.GetFirstToken().Span:
                    // C# 14's field keyword in an accessor: the property's own value.
                    return Named(AccessorPropertyName(assignment));
                case ElementAccessExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments }:
                    return Keyed(arguments[0].Expression);
                case ImplicitElementAccessSyntax { ArgumentList.Arguments: { Count: 1 } arguments }:
                    return Keyed(arguments[0].Expression);
                default:
                    return default;
            }
        }

        private static SecretContext OfAttributeArgument(
            AttributeArgumentSyntax argument, SemanticModel semanticModel, ISymbol? containingSymbol, CancellationToken cancellationToken)
        {
            var name = argument.NameEquals?.Name.Identifier.ValueText ?? argument.NameColon?.Name.Identifier.ValueText;
            if (name is null && argument.Parent is AttributeArgumentListSyntax list && list.Parent is AttributeSyntax attribute
                && (AppliedAttributes.Find(attribute, containingSymbol, semanticModel.Compilation, out var applied)
                    ? applied
                    : semanticModel.GetSymbolInfo(attribute, cancellationToken).Symbol) is IMethodSymbol constructor)
            {
                var index = list.Arguments.IndexOf(argument);
                name = index < constructor.Parameters.Length ? constructor.Parameters[index].Name : null;
            }

            return Named(name);
        }

        private static string? AccessorPropertyName(SyntaxNode node)
            => node.FirstAncestorOrSelf<AccessorDeclarationSyntax>() is { } accessor ? PropertyName(accessor) : null;

        private static string? PropertyName(AccessorDeclarationSyntax accessor)
            => accessor.Parent?.Parent is PropertyDeclarationSyntax property ? property.Identifier.ValueText : null;
    }

    /// <summary>
    /// One detector per distinct option text, per compilation: parsing (and regex compilation) happens once. Within
    /// one analysis the options are fixed, so a tree's detector is kept too: every literal asks for it.
    /// </summary>
    private sealed class Detectors
    {
        private sealed class TreeDetector
        {
            public TreeDetector(SyntaxTree tree, SecretDetector detector)
            {
                Tree = tree;
                Detector = detector;
            }

            public SyntaxTree Tree { get; }

            public SecretDetector Detector { get; }
        }

        private readonly Compilation? _compilation;
        private readonly ConcurrentDictionary<SyntaxTree, bool> _off = Caches.Create<SyntaxTree, bool>(ReferenceComparer<SyntaxTree>.Instance);
        private readonly ConcurrentDictionary<(string?, string?, string?), SecretDetector> _detectors = new();

        // The last tree asked about and whether the rule is off there (the driver hands over a file's nodes one after another).
        private Tuple<SyntaxTree, bool>? _lastOff;

        // False when no tree of the compilation turns the rule off (asked once, at the start): then no callback asks
        // its tree (a cache lookup per callback was about 5 % of the rule on real code).
        private readonly bool _anyOff;

        /// <param name="compilation">The compilation whose trees may turn the rule off; null for config files only.</param>
        /// <param name="cancellationToken">The compilation start's token.</param>
        public Detectors(Compilation? compilation = null, CancellationToken cancellationToken = default)
        {
            _compilation = compilation;
            _anyOff = compilation is not null && RuleSeverity.IsOffInAnyTree(compilation, RuleIds.HardcodedSecret, cancellationToken);
        }

        /// <summary>
        /// True when AGS001 is off for <paramref name="tree"/>. The rule's config-file descriptor sets its own severity,
        /// so the compiler runs this analyzer even where the rule is off: its C# actions stop here instead.
        /// </summary>
        public bool IsOff(SyntaxTree tree, CancellationToken cancellationToken)
        {
            if (!_anyOff || _compilation is null)
            {
                return false;
            }

            if (_lastOff is { } last && ReferenceEquals(last.Item1, tree))
            {
                return last.Item2;
            }

            return IsOffSlow(_compilation, tree, cancellationToken);
        }

        // Apart from IsOff: the lambda's closure (it captures the token) is made only here, not on every call.
        private bool IsOffSlow(Compilation compilation, SyntaxTree tree, CancellationToken cancellationToken)
        {
            var off = _off.GetOrAdd(tree, t => RuleSeverity.IsOff(compilation, t, RuleIds.HardcodedSecret, cancellationToken));
            _lastOff = Tuple.Create(tree, off);
            return off;
        }

        private readonly ConcurrentDictionary<SyntaxTree, SecretDetector> _trees = Caches.Create<SyntaxTree, SecretDetector>(ReferenceComparer<SyntaxTree>.Instance);

        // The last tree asked for and its detector: the driver hands over a file's literals one after another.
        private TreeDetector? _last;

        public SecretDetector For(AnalyzerOptions options, SyntaxTree tree)
        {
            if (_last is { } last && ReferenceEquals(last.Tree, tree))
            {
                return last.Detector;
            }

            if (!_trees.TryGetValue(tree, out var detector))
            {
                detector = For(AgentSafetyOptions.For(options, tree));
                _trees.TryAdd(tree, detector);
            }

            _last = new TreeDetector(tree, detector);
            return detector;
        }

        public SecretDetector For(AgentSafetyOptions options)
        {
            var key = (options.Get(AgentSafetyOptions.Keys.Ags001SecretWords),
                       options.Get(AgentSafetyOptions.Keys.Ags001ExcludedValues),
                       options.Get(AgentSafetyOptions.Keys.Ags001MinEntropy));
            return _detectors.GetOrAdd(key, static k => new SecretDetector(SecretSettings.Parse(k.Item1, k.Item2, k.Item3)));
        }
    }
}
