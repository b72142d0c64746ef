using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// What AgentSafety knows about the agent code of one compilation. Created once per compilation and shared by
/// every rule; every symbol it needs is resolved here, once. A library that is not referenced simply leaves the
/// model knowing less. The model never reports a diagnostic.
/// </summary>
internal sealed class AgentModel
{
    // Keyed by compilation and collected with it: rules running on the same compilation share one model.
    private static readonly ConditionalWeakTable<Compilation, AgentModel> Models = new();

    private AgentModel(Compilation compilation)
    {
        Compilation = compilation;
        Types = new KnownTypes(compilation);
        Bodies = new MethodBodies(compilation);
        Options = new OptionCache(compilation);
        TraceCalls = new TraceCalls(Types, Bodies);
        GeneratedCode = new GeneratedCode(compilation);
        TypeSyntax = new TypeSyntaxFilter(compilation);
    }

    public Compilation Compilation { get; }

    public KnownTypes Types { get; }

    public MethodBodies Bodies { get; }

    public OptionCache Options { get; }

    /// <summary>Calls that record a failure or trace a state change (logging, activities, spans).</summary>
    public TraceCalls TraceCalls { get; }

    /// <summary>Which code is generated, and whether <c>agentsafety.generated_code</c> lets rules look at it.</summary>
    public GeneratedCode GeneratedCode { get; }

    /// <summary>Whether type syntax can name a known type, answered without the semantic model.</summary>
    public TypeSyntaxFilter TypeSyntax { get; }

    public static AgentModel For(Compilation compilation)
        => Models.GetValue(compilation, static c => new AgentModel(c));
}
