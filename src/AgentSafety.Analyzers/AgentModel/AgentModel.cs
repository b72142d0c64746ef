using System.Runtime.CompilerServices;
using AgentSafety.Analyzers.AgentModel.Flows;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// What AgentSafety knows about the agent code of one compilation. Created once per compilation and shared by
/// every rule; every symbol it needs is resolved once, on first use. A library that is not referenced simply leaves the
/// model knowing less. The model never reports a diagnostic.
/// </summary>
internal sealed class AgentModel
{
    // Keyed by compilation and collected with it: rules running on the same compilation share one model.
    private static readonly ConditionalWeakTable<Compilation, AgentModel> Models = new();

    private readonly Lazy<KnownTypes> _types;

    private AgentModel(Compilation compilation)
    {
        Compilation = compilation;
        // Resolved on first use, not when the model is made: a rule's start then binds nothing, and by the time a
        // rule asks, the compiler has built the merged namespaces the lookup walks (resolving them at the start
        // charged that work, about 10 ms, to whichever rule started first).
        _types = new Lazy<KnownTypes>(() => new KnownTypes(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        Bodies = new MethodBodies(compilation);
        Options = new OptionCache(compilation);
        TraceCalls = new TraceCalls(_types, Bodies);
        TypeSyntax = new TypeSyntaxFilter(compilation);
        ToolMethods = new ToolMethods(compilation, _types, Options, TypeSyntax);
        ToolCode = new ToolCode(ToolMethods, Bodies);
        WriteOperations = new WriteOperations(_types);
        ToolHints = new ToolHints(_types, ToolMethods);
        ToolWrites = new ToolWrites(Bodies, WriteOperations);
        Compensations = new Compensations(_types, Bodies);
        Origins = new ValueOrigins(compilation, Bodies);
        OutboundCalls = new OutboundCalls(_types, Origins, TypeSyntax);
        Resilience = new Resilience(compilation, _types, Bodies, TraceCalls, Origins, ToolMethods);
        CredentialSinks = new CredentialSinks(_types);
        GeneratedCode = new GeneratedCode(compilation);
        var flowTypes = new Lazy<FlowTypes>(() => new FlowTypes(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
        InjectionSinks = new InjectionSinks(_types, flowTypes);
        ToolInputs = new ToolInputs(ToolMethods, ToolCode, flowTypes, _types);
        ValueFlow = new ValueFlow(ToolInputs, ToolCode, Bodies, flowTypes, _types);
        SecretValues = new SecretValues(flowTypes, _types);
        DisclosureSinks = new DisclosureSinks(_types, flowTypes, TraceCalls, OutboundCalls);
        LoopBounds = new Flows.LoopBounds(_types, OutboundCalls, Bodies);
        DestructiveOperations = new DestructiveOperations(_types, Bodies, WriteOperations);
        HumanApprovals = new HumanApprovals(Bodies, ToolMethods);
    }

    public Compilation Compilation { get; }

    public KnownTypes Types => _types.Value;

    public MethodBodies Bodies { get; }

    public OptionCache Options { get; }

    /// <summary>Calls that record a failure or trace a state change (logging, activities, spans).</summary>
    public TraceCalls TraceCalls { get; }

    /// <summary>Which methods and lambdas are agent tools.</summary>
    public ToolMethods ToolMethods { get; }

    /// <summary>Tool code: tools plus the same-type helpers they reach (AGS002 HTTP scope, AGS004, AGS005).</summary>
    public ToolCode ToolCode { get; }

    /// <summary>Which calls change external state (AGS004, AGS005).</summary>
    public WriteOperations WriteOperations { get; }

    /// <summary>MCP hints as the tool's author wrote them (ReadOnly, Destructive).</summary>
    public ToolHints ToolHints { get; }

    /// <summary>The writes of a tool's code, tied to the sites in its body that cause them.</summary>
    public ToolWrites ToolWrites { get; }

    /// <summary>How a write tool's effects are undone (AGS004).</summary>
    public Compensations Compensations { get; }

    /// <summary>Where values come from (locals, field initializers, constructor assignments).</summary>
    public ValueOrigins Origins { get; }

    /// <summary>Which calls go out to a model, an agent, a tool or HTTP, and which clients retry by themselves (AGS002).</summary>
    public OutboundCalls OutboundCalls { get; }

    /// <summary>What protects an outbound call: executors, retry loops, fallbacks, resilient receivers (AGS002).</summary>
    public Resilience Resilience { get; }

    /// <summary>Parameters and properties that take a credential (API keys, passwords, authorization headers).</summary>
    public CredentialSinks CredentialSinks { get; }

    /// <summary>Which code is generated, and whether <c>agentsafety.generated_code</c> lets rules look at it.</summary>
    public GeneratedCode GeneratedCode { get; }

    /// <summary>Whether type syntax can name a known type, answered without the semantic model.</summary>
    public TypeSyntaxFilter TypeSyntax { get; }

    /// <summary>Where a string becomes a command, SQL text, a path or a URL (AGS006).</summary>
    public InjectionSinks InjectionSinks { get; }

    /// <summary>Which values a model chooses: tools' text parameters, a model's answer (AGS006).</summary>
    public ToolInputs ToolInputs { get; }

    /// <summary>Where a value comes from, followed back from its use (AGS006, AGS008).</summary>
    public ValueFlow ValueFlow { get; }

    /// <summary>Which values are secrets, and whether code can read one (AGS008).</summary>
    public SecretValues SecretValues { get; }

    /// <summary>Where text is written out for others to read: logs, traces, the console, exception messages, prompts (AGS008).</summary>
    public DisclosureSinks DisclosureSinks { get; }

    /// <summary>What runs a model turn in a loop and what bounds the loop (AGS009).</summary>
    public Flows.LoopBounds LoopBounds { get; }

    /// <summary>Which calls of a tool's code destroy something or move money (AGS007).</summary>
    public DestructiveOperations DestructiveOperations { get; }

    /// <summary>Whether a tool asks a person before it acts (AGS007).</summary>
    public HumanApprovals HumanApprovals { get; }

    public static AgentModel For(Compilation compilation)
        => Models.GetValue(compilation, static c => new AgentModel(c));
}
