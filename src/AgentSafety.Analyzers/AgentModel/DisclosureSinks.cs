using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel.Flows;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>Who reads a disclosed value.</summary>
internal enum DisclosureKind
{
    /// <summary>A log: <c>ILogger</c>, <c>[LoggerMessage]</c>, <c>LoggerMessage.Define</c>, configured methods.</summary>
    Log,

    /// <summary>A trace: <c>Activity</c> tags, events and baggage, OpenTelemetry span attributes and events, <c>Trace</c>/<c>Debug</c> output.</summary>
    Trace,

    /// <summary>The console (<c>Console.Write*</c>, <c>Console.Out</c>/<c>Console.Error</c>).</summary>
    Console,

    /// <summary>The message of a thrown exception.</summary>
    Exception,

    /// <summary>The text of a prompt or a chat message sent to a model or an agent.</summary>
    Prompt,
}

/// <summary>One value a sink writes out: the argument (or message) and the call as people name it.</summary>
internal readonly struct DisclosureSink
{
    public DisclosureSink(DisclosureKind kind, string display, IOperation value)
    {
        Kind = kind;
        Display = display;
        Value = value;
    }

    public DisclosureKind Kind { get; }

    /// <summary><c>LoggerExtensions.LogInformation</c>, <c>Activity.SetTag</c>, <c>new InvalidOperationException</c>.</summary>
    public string Display { get; }

    public IOperation Value { get; }

    /// <summary>How a message names it: "a log ('LoggerExtensions.LogInformation')".</summary>
    public string Text => Kind switch
    {
        DisclosureKind.Log => "a log",
        DisclosureKind.Trace => "a trace",
        DisclosureKind.Console => "the console",
        DisclosureKind.Exception => "an exception message",
        _ => "a prompt",
    } + " ('" + Display + "')";
}

/// <summary>
/// Where text leaves the process for someone else to read (AGS008): log calls (<see cref="TraceCalls"/>: their message
/// and arguments, never the logger, level, event id or exception), trace calls (<c>Activity.SetTag</c>/<c>AddTag</c>/
/// <c>SetBaggage</c> values, <c>AddEvent</c> names, <c>TelemetrySpan.SetAttribute</c> values and event names,
/// <c>Trace.Trace*</c>), <c>Console.Write*</c> (and <c>Console.Out</c>/<c>Console.Error</c>), <c>Debug</c>/<c>Trace</c>
/// <c>Write*</c>/<c>Print</c>/<c>Fail</c>, a thrown exception's message, and prompts: the text arguments of a model or
/// agent turn (<see cref="OutboundCalls.ModelTurn"/>: <c>IChatClient.GetResponseAsync</c>, <c>AIAgent.RunAsync</c>,
/// OpenAI <c>CompleteChat*</c>, Semantic Kernel prompts), the text of a chat message (M.E.AI <c>new ChatMessage(role,
/// text)</c>, OpenAI <c>new UserChatMessage(text)</c> and its kin, <c>ChatMessage.Create*Message(text)</c>), and Semantic
/// Kernel <c>ChatHistory.Add*Message(text)</c>. Methods the user names (<c>agentsafety.AGS008.sink_methods</c>) log every
/// text argument.
/// </summary>
internal sealed class DisclosureSinks
{
    private static readonly HashSet<string> ActivityValueMethods = NameSet.Of("SetTag", "AddTag", "SetBaggage");

    private static readonly HashSet<string> DebugMethods = NameSet.Of("Write", "WriteLine", "WriteIf", "WriteLineIf", "Print", "Fail", "Assert");

    private static readonly HashSet<string> LoggerParameters = NameSet.Of("message", "args", "state");

    private static readonly HashSet<string> ChatHistoryMethods = NameSet.Of("AddUserMessage", "AddSystemMessage", "AddAssistantMessage", "AddDeveloperMessage", "AddMessage");

    private static readonly HashSet<string> OpenAIMessageFactories = NameSet.Of(
        "CreateUserMessage", "CreateSystemMessage", "CreateAssistantMessage", "CreateDeveloperMessage");

    private readonly Lazy<KnownTypes> _types;
    private readonly Lazy<FlowTypes> _flowTypes;
    private readonly TraceCalls _traceCalls;
    private readonly OutboundCalls _outboundCalls;

    public DisclosureSinks(Lazy<KnownTypes> types, Lazy<FlowTypes> flowTypes, TraceCalls traceCalls, OutboundCalls outboundCalls)
    {
        _types = types;
        _flowTypes = flowTypes;
        _traceCalls = traceCalls;
        _outboundCalls = outboundCalls;
    }

    private KnownTypes Types => _types.Value;

    private FlowTypes FlowTypes => _flowTypes.Value;

    /// <summary>
    /// Names only, no symbols: false settles that <paramref name="operation"/> is no sink, unless it calls a partial
    /// method (a <c>[LoggerMessage]</c> method has any name) or <paramref name="configured"/> is set.
    /// </summary>
    public static bool MayBeSink(IOperation operation, bool configured) => operation switch
    {
        IInvocationOperation invocation => MayNameSinkCall(invocation.TargetMethod) || configured || IsPartial(invocation.TargetMethod),
        IObjectCreationOperation { Type.Name: var name } => name.EndsWith("ChatMessage", StringComparison.Ordinal),
        IThrowOperation => true,
        _ => false,
    };

    /// <summary>A partial method (the call binds to its definition part): the shape of a <c>[LoggerMessage]</c> method.</summary>
    private static bool IsPartial(IMethodSymbol method)
        => method.MethodKind == MethodKind.Ordinary && (method.IsPartialDefinition || method.PartialDefinitionPart is not null);

    /// <summary>The exact names <see cref="MayNameSinkCall"/> accepts besides its prefixes: one lookup for every call.</summary>
    private static readonly HashSet<string> SinkCallNames = NameSet.Of(ActivityValueMethods
        .Concat(new[] { "AddEvent", "SetAttribute", "SetStatus", "Print", "Fail", "Assert", "Invoke" })
        .Concat(ChatHistoryMethods).Concat(OpenAIMessageFactories).Concat(OutboundCalls.ModelTurnNames).ToArray());

    private static bool MayNameSinkCall(IMethodSymbol method)
    {
        var name = method.Name;
        return name.StartsWith("Log", StringComparison.Ordinal) || name.StartsWith("Write", StringComparison.Ordinal) || name.StartsWith("Trace", StringComparison.Ordinal)
               || SinkCallNames.Contains(name);
    }

    /// <summary>The values <paramref name="operation"/> writes out (empty when it is no sink).</summary>
    public ImmutableArray<DisclosureSink> Classify(IOperation operation, SymbolNameMatcher configured)
        => operation switch
        {
            IInvocationOperation invocation => ClassifyInvocation(invocation, configured),
            IObjectCreationOperation creation => ClassifyMessage(creation),
            IThrowOperation thrown => ClassifyThrow(thrown),
            _ => ImmutableArray<DisclosureSink>.Empty,
        };

    private ImmutableArray<DisclosureSink> ClassifyInvocation(IInvocationOperation invocation, SymbolNameMatcher configured)
    {
        var method = invocation.TargetMethod;
        var declaring = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        if (declaring is null)
        {
            return ImmutableArray<DisclosureSink>.Empty;
        }

        var name = method.Name;
        var display = declaring.Name + "." + name;
        switch (_traceCalls.RecorderOf(method, configured))
        {
            case TraceRecorder.Logger:
                return Arguments(invocation, DisclosureKind.Log, display, p => LoggerParameters.Contains(p.Name));
            case TraceRecorder.LoggerDelegate:
                return Arguments(invocation, DisclosureKind.Log, "LoggerMessage.Define", p => p.Ordinal > 0 && IsText(p.Type));
            case TraceRecorder.LoggerMessageMethod:
                return Arguments(invocation, DisclosureKind.Log, method.Name, p => IsText(p.Type));
            case TraceRecorder.Activity when ActivityValueMethods.Contains(name):
                return Arguments(invocation, DisclosureKind.Trace, display, p => p.Name == "value");
            case TraceRecorder.Activity when name == "AddEvent":
                return EventNames(invocation, display);
            case TraceRecorder.Span when name == "SetAttribute":
                return Arguments(invocation, DisclosureKind.Trace, display, p => p.Name == "value" && p.Type.SpecialType == SpecialType.System_String);
            case TraceRecorder.Span when name == "AddEvent":
                return Arguments(invocation, DisclosureKind.Trace, display, p => p.Name == "name");
            case TraceRecorder.Trace:
                return Arguments(invocation, DisclosureKind.Trace, display, p => IsText(p.Type));
            case TraceRecorder.Configured:
                return Arguments(invocation, DisclosureKind.Log, method.Name, p => IsText(p.Type));
            case TraceRecorder.None:
                break;
            default:
                return ImmutableArray<DisclosureSink>.Empty;
        }

        if (name.StartsWith("Write", StringComparison.Ordinal))
        {
            if (FlowTypes.Is(declaring, FlowTypes.Console))
            {
                return Arguments(invocation, DisclosureKind.Console, display, p => IsText(p.Type));
            }

            // Console.Out.WriteLine, Console.Error.Write
            if (FlowTypes.Is(declaring, FlowTypes.TextWriter)
                && invocation.Instance is IPropertyReferenceOperation { Property.Name: "Out" or "Error" } stream
                && FlowTypes.Is(stream.Property.ContainingType, FlowTypes.Console))
            {
                return Arguments(invocation, DisclosureKind.Console, "Console." + stream.Property.Name + "." + name, p => IsText(p.Type));
            }
        }

        if (DebugMethods.Contains(name) && (FlowTypes.Is(declaring, FlowTypes.Debug) || FlowTypes.Is(declaring, Types.Trace)))
        {
            return Arguments(invocation, DisclosureKind.Trace, display, p => IsText(p.Type));
        }

        if (ChatHistoryMethods.Contains(name) && KnownTypes.IsOrDerivesFrom(declaring, FlowTypes.KernelChatHistory))
        {
            return Arguments(invocation, DisclosureKind.Prompt, "ChatHistory." + name, p => p.Type.SpecialType == SpecialType.System_String);
        }

        if (OpenAIMessageFactories.Contains(name) && method.IsStatic && KnownTypes.IsOrDerivesFrom(declaring, FlowTypes.OpenAIChatMessage))
        {
            return Arguments(invocation, DisclosureKind.Prompt, display, p => p.Type.SpecialType == SpecialType.System_String);
        }

        if (OutboundCalls.IsModelTurnName(name) && _outboundCalls.ModelTurn(invocation) is { } turn)
        {
            // The prompt's text: string parameters, and strings converted to a message (OpenAI's ChatMessage from string).
            return Arguments(invocation, DisclosureKind.Prompt, turn, p => p.Type.SpecialType == SpecialType.System_String || IsMessageType(p.Type));
        }

        return ImmutableArray<DisclosureSink>.Empty;
    }

    /// <summary><c>new ChatMessage(ChatRole.User, text)</c>, <c>new UserChatMessage(text)</c>: the text becomes a prompt.</summary>
    private ImmutableArray<DisclosureSink> ClassifyMessage(IObjectCreationOperation creation)
    {
        if (creation.Type is not INamedTypeSymbol type || creation.Constructor is null)
        {
            return ImmutableArray<DisclosureSink>.Empty;
        }

        if (FlowTypes.Is(type, FlowTypes.ChatMessage) || KnownTypes.IsOrDerivesFrom(type, FlowTypes.OpenAIChatMessage))
        {
            return Arguments(creation.Arguments, DisclosureKind.Prompt, "new " + type.Name, p => p.Type.SpecialType == SpecialType.System_String);
        }

        return ImmutableArray<DisclosureSink>.Empty;
    }

    /// <summary><c>throw new X(message)</c>: the message parameters (<c>message</c>, <c>errorMessage</c>) of an exception's constructor.</summary>
    private ImmutableArray<DisclosureSink> ClassifyThrow(IThrowOperation thrown)
    {
        var exception = thrown.Exception;
        while (exception is IConversionOperation conversion)
        {
            exception = conversion.Operand;
        }

        if (exception is not IObjectCreationOperation { Type: { } type } creation || !KnownTypes.IsOrDerivesFrom(type, Types.Exception))
        {
            return ImmutableArray<DisclosureSink>.Empty;
        }

        return Arguments(creation.Arguments, DisclosureKind.Exception, "new " + type.Name,
            p => p.Type.SpecialType == SpecialType.System_String && p.Name.IndexOf("message", StringComparison.OrdinalIgnoreCase) >= 0);
    }

    /// <summary><c>activity.AddEvent(new ActivityEvent(name))</c>: the event's name.</summary>
    private ImmutableArray<DisclosureSink> EventNames(IInvocationOperation invocation, string display)
    {
        foreach (var argument in invocation.Arguments)
        {
            var value = argument.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (value is IObjectCreationOperation creation && FlowTypes.Is(creation.Type, FlowTypes.ActivityEvent))
            {
                return Arguments(creation.Arguments, DisclosureKind.Trace, display, p => p.Name == "name");
            }
        }

        return ImmutableArray<DisclosureSink>.Empty;
    }

    private bool IsMessageType(ITypeSymbol type)
        => type is IArrayTypeSymbol array ? IsMessageType(array.ElementType) : KnownTypes.IsOrDerivesFrom(type, FlowTypes.OpenAIChatMessage);

    /// <summary>Parameters that take text: <c>string</c>, <c>object</c>, and arrays of them (<c>params object[] args</c>).</summary>
    private static bool IsText(ITypeSymbol type)
        => type.SpecialType is SpecialType.System_String or SpecialType.System_Object
           || (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_String or SpecialType.System_Object });

    private static ImmutableArray<DisclosureSink> Arguments(IInvocationOperation invocation, DisclosureKind kind, string display, Func<IParameterSymbol, bool> isSinkParameter)
        => Arguments(invocation.Arguments, kind, display, isSinkParameter);

    private static ImmutableArray<DisclosureSink> Arguments(ImmutableArray<IArgumentOperation> arguments, DisclosureKind kind, string display, Func<IParameterSymbol, bool> isSinkParameter)
    {
        var result = ImmutableArray<DisclosureSink>.Empty;
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is not { } parameter || !isSinkParameter(parameter))
            {
                continue;
            }

            // params: each element is a value of its own (the fix replaces one argument, not the array).
            if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } initializer })
            {
                foreach (var element in initializer.ElementValues)
                {
                    result = result.Add(new DisclosureSink(kind, display, element));
                }
            }
            else if (argument.Value.ConstantValue is not { HasValue: true })
            {
                result = result.Add(new DisclosureSink(kind, display, argument.Value));
            }
        }

        return result;
    }
}
