using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AgentSafety.Analyzers.AgentModel.Flows;

/// <summary>A value that carries a source's text (model-chosen text for AGS006, a secret for AGS008), and where that text sits in it.</summary>
internal sealed class Taint
{
    public Taint(string source, string? leading, SyntaxNode? origin = null)
    {
        Source = source;
        Leading = leading;
        Origin = origin;
    }

    /// <summary>How a message names the origin: <c>parameter 'path' of tool 'ReadFile'</c>, <c>model output 'ChatResponse.Text'</c>, <c>OpenAI:ApiKey</c>.</summary>
    public string Source { get; }

    /// <summary>
    /// The constant text before the first model-chosen part (empty: the value starts with it), or null when that
    /// text is not known (a configured base URL, a value read at run time).
    /// </summary>
    public string? Leading { get; }

    /// <summary>The expression where the value was read (a secret's read, for AGS008's fix), when the source says it.</summary>
    public SyntaxNode? Origin { get; }

    public Taint WithLeading(string? leading) => string.Equals(leading, Leading, StringComparison.Ordinal) ? this : new Taint(Source, leading, Origin);
}

/// <summary>
/// Where a value comes from, asked backwards from the place it is used (a sink): through locals and parameters
/// (the last assignment written before the use), concatenation, interpolation, <c>string.Format/Concat/Join</c>,
/// <c>Path</c> methods, string methods (<c>Trim</c>, <c>Replace</c>, <c>Substring</c>, ...), <c>StringBuilder</c>,
/// <c>new Uri</c>, collections, JSON elements and data objects; into same-type helpers and local functions (their
/// returns), and up from a helper's parameter to the tools that call it. For AGS006 (<see cref="ModelTextQuestion"/>) a
/// value is model-controlled when it reaches a tool's text parameter (<see cref="ToolInputs"/>) or a model's answer.
/// <para>
/// Not followed: fields (AGS008 takes a secret-named one as a source), calls outside the framework's string, path, URI, collection and JSON types (an unknown
/// method's result is not guessed), numbers, <c>bool</c>, <c>Guid</c>, enums and dates (<c>int.Parse(x)</c> is clean).
/// Cleaned, for AGS006: <c>Path.GetFileName</c>/<c>GetFileNameWithoutExtension</c>/<c>GetExtension</c> for a path;
/// <c>Uri.EscapeDataString</c>, <c>WebUtility.UrlEncode</c> for a URL; configured sanitizers' results; and a value
/// behind a guard — an <c>if</c> before the use whose condition tests the value's content (or a value derived from it)
/// and whose branch leaves (<c>throw</c>, <c>return</c>, <c>break</c>, <c>continue</c>), an <c>if</c>, ternary or
/// <c>switch</c> around the use testing it, or a statement call to a configured sanitizer or a same-type method that
/// throws. Null, emptiness, length and existence checks (<c>File.Exists</c>) test no content: they guard nothing.
/// </para>
/// What counts as a source, what cleans, and whether guards, helpers and callers count is the question's
/// (<see cref="FlowQuestion"/>): the walk is built once for every rule that follows values (AGS006 model-chosen text,
/// AGS008 secret values).
/// </summary>
internal sealed class ValueFlow
{
    /// <summary>How many calls deep a value is followed into helpers' returns or up to their callers.</summary>
    public const int CallDepth = 2;

    private const int StepBudget = 400;

    private static readonly HashSet<string> NoContentChecks = NameSet.Of(
        "IsNullOrEmpty", "IsNullOrWhiteSpace", "Exists", "IsWellFormedUriString", "TryCreate", "ThrowIfNull", "ThrowIfNullOrEmpty", "ThrowIfNullOrWhiteSpace");
    private static readonly HashSet<string> NoContentProperties = NameSet.Of("Length", "Count", "IsEmpty", "HasValue");

    private readonly ToolInputs _inputs;
    private readonly ToolCode _toolCode;
    private readonly MethodBodies _bodies;
    private readonly Lazy<FlowTypes> _types;
    private readonly Lazy<KnownTypes> _knownTypes;
    private readonly ConcurrentDictionary<IOperation, RootFacts> _roots = Caches.Create<IOperation, RootFacts>();

    public ValueFlow(ToolInputs inputs, ToolCode toolCode, MethodBodies bodies, Lazy<FlowTypes> types, Lazy<KnownTypes> knownTypes)
    {
        _knownTypes = knownTypes;
        _inputs = inputs;
        _toolCode = toolCode;
        _bodies = bodies;
        _types = types;
    }

    private FlowTypes Types => _types.Value;

    /// <summary>
    /// The model-chosen text <paramref name="value"/> carries into a sink of <paramref name="kind"/>, or null.
    /// <paramref name="homeType"/> is the type whose code holds the use: its methods are followed as helpers.
    /// <paramref name="sanitizers"/>: methods whose result is clean and whose call, as a statement, guards its argument.
    /// </summary>
    public Taint? Trace(IOperation value, SinkKind kind, INamedTypeSymbol? homeType, string? toolAttributes, SymbolNameMatcher sanitizers)
        => Trace(value, new ModelTextQuestion(_inputs, Types, kind, toolAttributes, sanitizers), homeType);

    /// <summary>
    /// What <paramref name="value"/> carries of the sources <paramref name="question"/> looks for, or null.
    /// <paramref name="homeType"/> is the type whose code holds the use: its methods are followed as helpers when the
    /// question enters helpers.
    /// </summary>
    public Taint? Trace(IOperation value, FlowQuestion question, INamedTypeSymbol? homeType)
        => new Walker(this, question, question.EntersHelpers ? homeType : null).Value(value, Frame.Top);

    /// <summary>The arguments a helper's parameters stand for, when it is entered from a call site.</summary>
    private sealed class Frame
    {
        public static readonly Frame Top = new(null, 0);

        public Frame(IReadOnlyDictionary<IParameterSymbol, Taint?>? arguments, int depth)
        {
            Arguments = arguments;
            Depth = depth;
        }

        public IReadOnlyDictionary<IParameterSymbol, Taint?>? Arguments { get; }

        public int Depth { get; }
    }

    private sealed class Walker
    {
        private readonly ValueFlow _flow;
        private readonly FlowQuestion _question;
        private readonly INamedTypeSymbol? _homeType;
        private readonly HashSet<(ISymbol, int)> _visiting = new();
        private int _budget = StepBudget;

        public Walker(ValueFlow flow, FlowQuestion question, INamedTypeSymbol? homeType)
        {
            _flow = flow;
            _question = question;
            _homeType = homeType;
        }

        private FlowTypes Types => _flow.Types;

        public Taint? Value(IOperation? operation, Frame frame)
        {
            if (operation is null || --_budget < 0 || operation.ConstantValue.HasValue || (operation.Type is { } type && !CanCarryText(type)))
            {
                return null;
            }

            switch (operation)
            {
                case IConversionOperation conversion:
                    return Value(conversion.Operand, frame);
                case IParenthesizedOperation parenthesized:
                    return Value(parenthesized.Operand, frame);
                case IAwaitOperation awaited:
                    return Value(awaited.Operation, frame);
                case IParameterReferenceOperation parameter:
                    return Parameter(parameter, frame);
                case ILocalReferenceOperation local:
                    return Symbol(local.Local, local, frame, entry: null);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary:
                    return Concat(binary.LeftOperand, binary.RightOperand, frame);
                case IInterpolatedStringOperation interpolated:
                    return Interpolated(interpolated, frame);
                case IConditionalOperation conditional:
                    return Value(conditional.WhenTrue, frame) ?? Value(conditional.WhenFalse, frame);
                case ICoalesceOperation coalesce:
                    return Value(coalesce.Value, frame) ?? Value(coalesce.WhenNull, frame);
                case ISwitchExpressionOperation switchExpression:
                    return switchExpression.Arms.Select(a => Value(a.Value, frame)).FirstOrDefault(t => t is not null);
                case IInvocationOperation invocation:
                    return Invocation(invocation, frame);
                case IObjectCreationOperation creation:
                    return Creation(creation, frame);
                case IPropertyReferenceOperation property:
                    return _question.Read(property) ?? (property.Instance is { } instance ? Value(instance, frame) : null);
                case IFieldReferenceOperation field:
                    return _question.Read(field);
                case IArrayElementReferenceOperation element:
                    return Value(element.ArrayReference, frame);
                case IDynamicMemberReferenceOperation dynamicMember:
                    return Value(dynamicMember.Instance, frame);
                case IDynamicIndexerAccessOperation dynamicIndexer:
                    return Value(dynamicIndexer.Operation, frame);
                case IDynamicInvocationOperation dynamicInvocation:
                    return Value(dynamicInvocation.Operation, frame);
                case IConditionalAccessOperation conditionalAccess:
                    return Value(conditionalAccess.WhenNotNull, frame);
                case IConditionalAccessInstanceOperation accessInstance:
                    return ConditionalInstance(accessInstance) is { } accessed ? Value(accessed, frame) : null;
                case IArrayCreationOperation array:
                    return array.Initializer?.ElementValues.Select(e => Value(e, frame)).FirstOrDefault(t => t is not null);
                default:
                    return null;
            }
        }

        private static IOperation? ConditionalInstance(IConditionalAccessInstanceOperation instance)
        {
            for (var current = instance.Parent; current is not null; current = current.Parent)
            {
                if (current is IConditionalAccessOperation access && access.WhenNotNull.Syntax.Span.Contains(instance.Syntax.Span))
                {
                    return access.Operation;
                }
            }

            return null;
        }

        private Taint? Concat(IOperation left, IOperation right, Frame frame)
        {
            if (Value(left, frame) is { } leftTaint)
            {
                return leftTaint;
            }

            return Value(right, frame) is { } rightTaint
                ? rightTaint.WithLeading(ConstantText(left) is { } prefix && rightTaint.Leading is { } rest ? prefix + rest : null)
                : null;
        }

        private Taint? Interpolated(IInterpolatedStringOperation interpolated, Frame frame)
        {
            var prefix = new StringBuilder();
            var known = true;
            foreach (var part in interpolated.Parts)
            {
                switch (part)
                {
                    case IInterpolatedStringTextOperation text:
                        prefix.Append(text.Text.ConstantValue.Value as string);
                        break;
                    case IInterpolationOperation hole:
                        if (Value(hole.Expression, frame) is { } taint)
                        {
                            return taint.WithLeading(known && taint.Leading is { } rest ? prefix + rest : null);
                        }

                        if (ConstantText(hole.Expression) is { } constant)
                        {
                            prefix.Append(constant);
                        }
                        else
                        {
                            known = false;
                        }

                        break;
                }
            }

            return null;
        }

        private static string? ConstantText(IOperation operation)
            => operation.ConstantValue is { HasValue: true, Value: var value } ? value?.ToString() ?? string.Empty : null;

        private Taint? Parameter(IParameterReferenceOperation reference, Frame frame)
        {
            var parameter = reference.Parameter;
            return Symbol(parameter, reference, frame, entry: () =>
            {
                if (frame.Arguments is { } arguments && arguments.TryGetValue(parameter.OriginalDefinition, out var argument))
                {
                    return argument;
                }

                if (_question.Parameter(parameter, reference) is { } source)
                {
                    return source;
                }

                return frame.Arguments is null && _question.CallersOfTools is { } toolAttributes ? FromCallers(parameter, frame, toolAttributes) : null;
            });
        }

        /// <summary>A helper's parameter: the arguments the tools reaching it pass (one call up per level).</summary>
        private Taint? FromCallers(IParameterSymbol parameter, Frame frame, string toolAttributes)
        {
            if (frame.Depth >= CallDepth || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
            {
                return null;
            }

            var definition = method.OriginalDefinition;
            var seen = new HashSet<IOperation>();
            foreach (var tool in _flow._toolCode.ToolsReaching(definition, toolAttributes.Length == 0 ? null : toolAttributes))
            {
                foreach (var body in new[] { tool.Body }.Concat(_flow._toolCode.HelpersOf(tool).Select(h => _flow._bodies.GetBody(h)).Where(b => b is not null)))
                {
                    if (!seen.Add(body!))
                    {
                        continue;
                    }

                    foreach (var call in _flow._bodies.Invocations(body!))
                    {
                        if (SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, definition)
                            && call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal) is { ArgumentKind: ArgumentKind.Explicit } argument
                            && Value(argument.Value, new Frame(null, frame.Depth + 1)) is { } taint)
                        {
                            return taint;
                        }
                    }
                }
            }

            return null;
        }

        /// <summary>A local or parameter read at <paramref name="reference"/>: its last definition before the read, unless a guard stands between.</summary>
        private Taint? Symbol(ISymbol symbol, IOperation reference, Frame frame, Func<Taint?>? entry)
        {
            var root = Root(reference);
            var facts = _flow.Facts(root);
            var position = reference.Syntax.SpanStart;
            if (!_visiting.Add((symbol, position)))
            {
                return null;
            }

            try
            {
                Taint? taint;
                var definition = facts.LastDefinition(symbol, position);
                if (definition is not null)
                {
                    taint = Definition(definition, frame);
                }
                else
                {
                    taint = entry?.Invoke();
                }

                if (taint is null && symbol is ILocalSymbol local)
                {
                    taint = _question.Local(local, definition?.Kind == DefinitionKind.Assign ? definition.Value : null, reference);
                }

                return taint is not null && _question.GuardsClean && facts.IsGuarded(symbol, reference.Syntax.Span, _question.Sanitizers, _flow) ? null : taint;
            }
            finally
            {
                _visiting.Remove((symbol, position));
            }
        }

        private Taint? Definition(Definition definition, Frame frame)
        {
            switch (definition.Kind)
            {
                case DefinitionKind.Compound:
                    return Value(definition.Value, frame) ?? (definition.Target is { } target ? Value(target, frame) : null);
                case DefinitionKind.OutArgument:
                    return OutArgument((IInvocationOperation)definition.Value, frame);
                default:
                    return Value(definition.Value, frame);
            }
        }

        /// <summary><c>dictionary.TryGetValue(key, out var value)</c>, <c>Uri.TryCreate(text, kind, out var uri)</c>: the out value carries the source's text.</summary>
        private Taint? OutArgument(IInvocationOperation invocation, Frame frame)
        {
            var method = invocation.TargetMethod;
            if (method.Name == "TryGetValue" && invocation.Instance is { } dictionary)
            {
                return Value(dictionary, frame);
            }

            if (method.Name == "TryCreate" && FlowTypes.Is(method.ContainingType, Types.Uri))
            {
                return invocation.Arguments.Length > 0 ? Value(invocation.Arguments[0].Value, frame) : null;
            }

            if (method.Name == "TryGetProperty" && FlowTypes.Is(method.ContainingType, Types.JsonElement) && invocation.Instance is { } element)
            {
                return Value(element, frame);
            }

            return null;
        }

        private Taint? Invocation(IInvocationOperation invocation, Frame frame)
        {
            var method = invocation.TargetMethod;
            if (_question.Cleans(invocation))
            {
                return null;
            }

            if (_question.Read(invocation) is { } source)
            {
                return source;
            }

            if (IsFollowedHelper(method) && frame.Depth < CallDepth)
            {
                return Helper(invocation, method, frame);
            }

            var declaring = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
            if (declaring is null)
            {
                return null;
            }

            var name = method.Name;
            if (FlowTypes.Is(declaring, Types.Path))
            {
                return AnyArgument(invocation, frame);
            }

            if (FlowTypes.Is(declaring, Types.Uri) || FlowTypes.Is(declaring, Types.WebUtility) || FlowTypes.Is(declaring, Types.HttpUtility))
            {
                return method.IsStatic ? AnyArgument(invocation, frame) : Value(invocation.Instance, frame);
            }

            if (declaring.SpecialType == SpecialType.System_String)
            {
                if (method.IsStatic)
                {
                    return name switch
                    {
                        "Concat" => ConcatArguments(invocation, frame),
                        "Format" when invocation.Arguments.Length > 0 && FormatStartsWithValue(invocation) => AnyArgument(invocation, frame),
                        "Format" or "Join" => AnyArgument(invocation, frame)?.WithLeading(null),
                        "Copy" or "Intern" => AnyArgument(invocation, frame),
                        _ => null,
                    };
                }

                return Value(invocation.Instance, frame) ?? AnyArgument(invocation, frame)?.WithLeading(null);
            }

            if (FlowTypes.Is(declaring, Types.StringBuilder))
            {
                return Value(invocation.Instance, frame) ?? AnyArgument(invocation, frame)?.WithLeading(null)
                       ?? (invocation.Instance is ILocalReferenceOperation builder ? Appended(builder, frame) : null);
            }

            if (method.IsExtensionMethod || method.ReducedFrom is not null)
            {
                // LINQ and the collection extensions: the receiving sequence carries its items' text.
                var receiver = invocation.Instance ?? (invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
                return IsFramework(declaring, "System.Linq") || IsFramework(declaring, "System.Collections") ? Value(receiver, frame) : null;
            }

            if (method.IsStatic)
            {
                return name == "ToString" && declaring.Name == "Convert" && IsFramework(declaring, "System") ? AnyArgument(invocation, frame) : null;
            }

            // Members of the framework's own data types (object.ToString, JsonElement.GetString, collections, Uri).
            return invocation.Instance is { } instance && IsFramework(declaring, "System") ? Value(instance, frame) : null;
        }

        private static bool FormatStartsWithValue(IInvocationOperation invocation)
            => invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "format")?.Value.ConstantValue is { HasValue: true, Value: string format }
               && format.StartsWith("{0", StringComparison.Ordinal);

        private bool IsFramework(INamedTypeSymbol type, string namespaceName)
            => _flow._knownTypes.Value.IsIn(type, namespaceName);

        /// <summary>Same-type methods and local functions with a body: their returns are followed.</summary>
        private bool IsFollowedHelper(IMethodSymbol method)
            => method.MethodKind == MethodKind.LocalFunction
               || (method.MethodKind == MethodKind.Ordinary && _homeType is not null && !method.DeclaringSyntaxReferences.IsEmpty
                   && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, _homeType.OriginalDefinition));

        private Taint? Helper(IInvocationOperation invocation, IMethodSymbol method, Frame frame)
        {
            var arguments = new Dictionary<IParameterSymbol, Taint?>(SymbolEqualityComparer.Default);
            var any = false;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter)
                {
                    var taint = argument.ArgumentKind == ArgumentKind.Explicit ? Value(argument.Value, frame) : null;
                    arguments[parameter.OriginalDefinition] = taint;
                    any |= taint is not null;
                }
            }

            if (!any)
            {
                return null;
            }

            var body = method.MethodKind == MethodKind.LocalFunction ? LocalFunctionBody(invocation, method) : _flow._bodies.GetBody(method);
            if (body is null)
            {
                return null;
            }

            var inner = new Frame(arguments, frame.Depth + 1);
            foreach (var returned in Returns(body))
            {
                if (Value(returned, inner) is { } taint)
                {
                    return taint;
                }
            }

            return null;
        }

        private static IOperation? LocalFunctionBody(IOperation from, IMethodSymbol local)
        {
            var root = Root(from);
            return root.DescendantsAndSelf().OfType<ILocalFunctionOperation>().FirstOrDefault(l => SymbolEqualityComparer.Default.Equals(l.Symbol, local.OriginalDefinition));
        }

        /// <summary>The values a body returns (its own, not those of lambdas or local functions inside it).</summary>
        private static IEnumerable<IOperation> Returns(IOperation body)
        {
            var stack = new Stack<IOperation>();
            foreach (var child in body.ChildOperations)
            {
                stack.Push(child);
            }

            while (stack.Count > 0)
            {
                var current = stack.Pop();
                if (current is IReturnOperation { ReturnedValue: { } value })
                {
                    yield return value;
                }

                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    continue;
                }

                foreach (var child in current.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }

        private Taint? AnyArgument(IInvocationOperation invocation, Frame frame)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation array)
                {
                    if (array.Initializer?.ElementValues.Select(e => Value(e, frame)).FirstOrDefault(t => t is not null) is { } element)
                    {
                        return element;
                    }
                }
                else if (argument.ArgumentKind != ArgumentKind.DefaultValue && Value(argument.Value, frame) is { } taint)
                {
                    return taint;
                }
            }

            return null;
        }

        private Taint? ConcatArguments(IInvocationOperation invocation, Frame frame)
        {
            var values = invocation.Arguments.SelectMany(a => a.ArgumentKind == ArgumentKind.ParamArray && a.Value is IArrayCreationOperation array
                ? array.Initializer?.ElementValues ?? ImmutableArray<IOperation>.Empty
                : ImmutableArray.Create(a.Value));
            var prefix = new StringBuilder();
            var known = true;
            foreach (var value in values)
            {
                if (Value(value, frame) is { } taint)
                {
                    return taint.WithLeading(known && taint.Leading is { } rest ? prefix + rest : null);
                }

                if (ConstantText(value) is { } text)
                {
                    prefix.Append(text);
                }
                else
                {
                    known = false;
                }
            }

            return null;
        }

        /// <summary>What was appended to a local <c>StringBuilder</c> before it is read.</summary>
        private Taint? Appended(ILocalReferenceOperation builder, Frame frame)
        {
            foreach (var call in Root(builder).Descendants().OfType<IInvocationOperation>())
            {
                if (call.Syntax.SpanStart >= builder.Syntax.SpanStart || !FlowTypes.Is(call.TargetMethod.ContainingType, Types.StringBuilder))
                {
                    continue;
                }

                var receiver = call.Instance;
                while (receiver is IInvocationOperation inner)
                {
                    receiver = inner.Instance;
                }

                if (receiver is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, builder.Local)
                    && AnyArgument(call, frame) is { } taint)
                {
                    return taint.WithLeading(null);
                }
            }

            return null;
        }

        private Taint? Creation(IObjectCreationOperation creation, Frame frame)
        {
            var type = creation.Type;
            if (FlowTypes.Is(type, Types.Uri))
            {
                // new Uri(baseUri, relative): the base decides the host; a model-chosen relative part is followed, not leading.
                if (creation.Arguments.Length >= 2 && creation.Arguments[0].Value.Type is { } first && FlowTypes.Is(first, Types.Uri))
                {
                    return Value(creation.Arguments[0].Value, frame) ?? Value(creation.Arguments[1].Value, frame)?.WithLeading(null);
                }

                return creation.Arguments.Length > 0 ? Value(creation.Arguments[0].Value, frame) : null;
            }

            if (FlowTypes.Is(type, Types.StringBuilder) || type?.Name is "UriBuilder" or "FileInfo" or "DirectoryInfo")
            {
                return creation.Arguments.Length > 0 ? Value(creation.Arguments[0].Value, frame) : null;
            }

            return null;
        }

        private bool CanCarryText(ITypeSymbol type)
        {
            if (!type.IsValueType)
            {
                return true;
            }

            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                return CanCarryText(nullable.TypeArguments[0]);
            }

            return FlowTypes.Is(type, Types.JsonElement) || type.Name is "KeyValuePair" or "ReadOnlySpan" or "ReadOnlyMemory" or "Span" or "Memory"
                   || type.IsTupleType;
        }
    }

    private static IOperation Root(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent)
        {
            current = parent;
        }

        return current;
    }

    private RootFacts Facts(IOperation root) => _roots.GetOrAdd(root, static r => new RootFacts(r));

    private bool ThrowsOnBadInput(IMethodSymbol method)
        => method.MethodKind == MethodKind.Ordinary && _bodies.GetBody(method) is { } body
           && body.Descendants().Any(o => o is IThrowOperation);

    private enum DefinitionKind
    {
        Assign,
        Compound,
        OutArgument,
    }

    private sealed class Definition
    {
        public Definition(DefinitionKind kind, int end, IOperation value, IOperation? target = null)
        {
            Kind = kind;
            End = end;
            Value = value;
            Target = target;
        }

        public DefinitionKind Kind { get; }

        /// <summary>Where the definition ends: a read after it sees it.</summary>
        public int End { get; }

        public IOperation Value { get; }

        /// <summary>For a compound assignment, the target (its earlier value is kept).</summary>
        public IOperation? Target { get; }
    }

    private sealed class Guard
    {
        public Guard(TextSpan span, ImmutableArray<TextSpan> branches, ImmutableHashSet<ISymbol> mentioned, bool leaves, IInvocationOperation? call)
        {
            Span = span;
            Branches = branches;
            Mentioned = mentioned;
            Leaves = leaves;
            Call = call;
        }

        public TextSpan Span { get; }

        /// <summary>The code the test decides about (an if's or ternary's branches, a switch's sections): a use inside is guarded.</summary>
        public ImmutableArray<TextSpan> Branches { get; }

        /// <summary>The locals and parameters whose content the test reads.</summary>
        public ImmutableHashSet<ISymbol> Mentioned { get; }

        /// <summary>A branch leaves (throw, return, break, continue): code after the test runs only when it passed.</summary>
        public bool Leaves { get; }

        /// <summary>A statement call that may guard its arguments (a sanitizer or a throwing same-type method).</summary>
        public IInvocationOperation? Call { get; }
    }

    /// <summary>The definitions and guards of one code root (a method body, or the code outside any type), found in one walk.</summary>
    private sealed class RootFacts
    {
        private readonly Dictionary<ISymbol, List<Definition>> _definitions = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, ImmutableHashSet<ISymbol>> _derived = new(SymbolEqualityComparer.Default);

        private readonly IOperation _root;
        private List<Guard>? _guardList;

        public RootFacts(IOperation root)
        {
            _root = root;
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                        Add(declarator.Symbol, new Definition(DefinitionKind.Assign, declarator.Syntax.Span.End, initializer.Value));
                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation or IParameterReferenceOperation } assignment:
                        Add(Referenced(assignment.Target)!, new Definition(DefinitionKind.Assign, assignment.Syntax.Span.End, assignment.Value));
                        break;
                    case ICompoundAssignmentOperation { Target: ILocalReferenceOperation or IParameterReferenceOperation } compound:
                        Add(Referenced(compound.Target)!, new Definition(DefinitionKind.Compound, compound.Syntax.Span.End, compound.Value, compound.Target));
                        break;
                    case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation or IParameterReferenceOperation } coalesce:
                        Add(Referenced(coalesce.Target)!, new Definition(DefinitionKind.Compound, coalesce.Syntax.Span.End, coalesce.Value, coalesce.Target));
                        break;
                    case IForEachLoopOperation loop:
                        foreach (var local in loop.Locals)
                        {
                            Add(local, new Definition(DefinitionKind.Assign, loop.Collection.Syntax.Span.End, loop.Collection));
                        }

                        break;
                    case IDeclarationPatternOperation { DeclaredSymbol: { } declared } pattern when pattern.Parent is IIsPatternOperation isPattern:
                        Add(declared, new Definition(DefinitionKind.Assign, pattern.Syntax.Span.End, isPattern.Value));
                        break;
                    case IArgumentOperation { Parameter.RefKind: RefKind.Out, Parent: IInvocationOperation invocation } argument
                        when Referenced(argument.Value is IDeclarationExpressionOperation declaration ? declaration.Expression : argument.Value) is { } target:
                        Add(target, new Definition(DefinitionKind.OutArgument, invocation.Syntax.Span.End, invocation));
                        break;
                }
            }

            foreach (var list in _definitions.Values)
            {
                list.Sort((a, b) => a.End.CompareTo(b.End));
            }
        }

        /// <summary>
        /// The guards of the root, found on first need: only a value that carries model text asks, and most values
        /// followed to a sink carry none.
        /// </summary>
        private List<Guard> Guards
        {
            get
            {
                var guards = Volatile.Read(ref _guardList);
                if (guards is null)
                {
                    guards = FindGuards(_root);
                    Volatile.Write(ref _guardList, guards);
                }

                return guards;
            }
        }

        private static List<Guard> FindGuards(IOperation root)
        {
            var guards = new List<Guard>();
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IConditionalOperation conditional:
                        AddGuard(guards, conditional.Syntax.Span, conditional.Condition, Branches(conditional.WhenTrue, conditional.WhenFalse),
                            Leaves(conditional.WhenTrue) || Leaves(conditional.WhenFalse), call: null);
                        break;
                    case ISwitchOperation switchStatement:
                        AddGuard(guards, switchStatement.Syntax.Span, switchStatement.Value,
                            switchStatement.Cases.Select(c => c.Syntax.Span).ToImmutableArray(), leaves: false, call: null);
                        break;
                    case IExpressionStatementOperation { Operation: IInvocationOperation call } statement:
                        AddGuard(guards, statement.Syntax.Span, call, ImmutableArray<TextSpan>.Empty, leaves: true, call);
                        break;
                }
            }

            return guards;
        }

        private static ISymbol? Referenced(IOperation operation) => operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };

        private void Add(ISymbol symbol, Definition definition)
        {
            if (!_definitions.TryGetValue(symbol, out var list))
            {
                list = new List<Definition>();
                _definitions[symbol] = list;
            }

            list.Add(definition);
        }

        private static ImmutableArray<TextSpan> Branches(IOperation? whenTrue, IOperation? whenFalse)
            => new[] { whenTrue, whenFalse }.Where(b => b is not null).Select(b => b!.Syntax.Span).ToImmutableArray();

        private static bool Leaves(IOperation? branch)
        {
            if (branch is null)
            {
                return false;
            }

            return branch is IThrowOperation or IReturnOperation or IBranchOperation
                   || (branch is IExpressionStatementOperation { Operation: IThrowOperation })
                   || (branch is IBlockOperation block && block.Operations.Any(Leaves));
        }

        private static void AddGuard(List<Guard> guards, TextSpan span, IOperation test, ImmutableArray<TextSpan> branches, bool leaves, IInvocationOperation? call)
        {
            var mentioned = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in test.DescendantsAndSelf())
            {
                if (Referenced(operation) is { } symbol && ReadsContent(operation, test))
                {
                    mentioned.Add(symbol);
                }
            }

            if (mentioned.Count > 0)
            {
                guards.Add(new Guard(span, branches, mentioned.ToImmutable(), leaves, call));
            }
        }

        /// <summary>False when the test only asks whether the value is null, empty, long enough, or names an existing file.</summary>
        private static bool ReadsContent(IOperation reference, IOperation test)
        {
            for (var current = reference.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                        when binary.LeftOperand.ConstantValue is { HasValue: true, Value: null } || binary.RightOperand.ConstantValue is { HasValue: true, Value: null }:
                    case IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } }:
                    case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } } }:
                    case IInvocationOperation invocation when NoContentChecks.Contains(invocation.TargetMethod.Name):
                    case IPropertyReferenceOperation property when NoContentProperties.Contains(property.Property.Name):
                        return false;
                }

                if (ReferenceEquals(current, test))
                {
                    break;
                }
            }

            return true;
        }

        /// <summary>The last definition of <paramref name="symbol"/> written before <paramref name="position"/>, or null (a parameter's entry value).</summary>
        public Definition? LastDefinition(ISymbol symbol, int position)
        {
            if (!_definitions.TryGetValue(symbol, out var list))
            {
                return null;
            }

            Definition? last = null;
            foreach (var definition in list)
            {
                if (definition.End > position)
                {
                    break;
                }

                last = definition;
            }

            return last;
        }

        /// <summary>
        /// True when a guard on <paramref name="symbol"/> (or on a local computed from it) stands before the read at
        /// <paramref name="use"/>, or around it.
        /// </summary>
        public bool IsGuarded(ISymbol symbol, TextSpan use, SymbolNameMatcher sanitizers, ValueFlow flow)
        {
            var guards = Guards;
            if (guards.Count == 0)
            {
                return false;
            }

            var related = _derived.GetOrAdd(symbol, Derived);
            foreach (var guard in guards)
            {
                if (!guard.Mentioned.Any(related.Contains))
                {
                    continue;
                }

                if (guard.Call is { } call)
                {
                    if (guard.Span.End <= use.Start
                        && (sanitizers.Matches(call.TargetMethod) || flow.ThrowsOnBadInput(call.TargetMethod)))
                    {
                        return true;
                    }

                    continue;
                }

                if ((guard.Leaves && guard.Span.End <= use.Start) || guard.Branches.Any(b => b.Contains(use)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The symbol and the locals computed from it (two steps: <c>full = GetFullPath(path)</c>, <c>host = new Uri(url).Host</c>).</summary>
        private ImmutableHashSet<ISymbol> Derived(ISymbol symbol)
        {
            var result = ImmutableHashSet.Create<ISymbol>(SymbolEqualityComparer.Default, symbol);
            for (var step = 0; step < 2; step++)
            {
                var next = result;
                foreach (var pair in _definitions)
                {
                    if (!next.Contains(pair.Key) && pair.Value.Any(d => d.Value.DescendantsAndSelf().Any(o => Referenced(o) is { } s && result.Contains(s))))
                    {
                        next = next.Add(pair.Key);
                    }
                }

                result = next;
            }

            return result;
        }
    }
}
