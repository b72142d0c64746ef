using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel.Flows;

/// <summary>
/// What a rule asks <see cref="ValueFlow"/> to look for, followed back from a use: where the values it cares about
/// start (its sources) and what makes them harmless. The walk itself (locals, concatenation, interpolation, format,
/// string and collection methods, local functions) is the same for every question: AGS006 asks for model-chosen text
/// (<see cref="ModelTextQuestion"/>), AGS008 for secret values (<see cref="SecretValueQuestion"/>).
/// </summary>
internal abstract class FlowQuestion
{
    /// <summary>
    /// The value a parameter holds on entry, when no assignment before the use defines it: AGS006 a tool's text
    /// argument, AGS008 a secret-named parameter. <paramref name="reference"/> is the use.
    /// </summary>
    public abstract Taint? Parameter(IParameterSymbol parameter, IOperation reference);

    /// <summary>
    /// A read that starts a flow by itself (a property, field, indexer or call): AGS006 a model's answer, AGS008 a
    /// secret-named member, a secret configuration key or environment variable, a vault secret.
    /// </summary>
    public abstract Taint? Read(IOperation operation);

    /// <summary>
    /// A local that holds the value by its name alone, when its definition (<paramref name="definition"/>, null for
    /// none or one not seen) carries no source. <paramref name="reference"/> is the use.
    /// </summary>
    public virtual Taint? Local(ILocalSymbol local, IOperation? definition, IOperation reference) => null;

    /// <summary>A call whose result no longer carries the value (a sanitizer, a cleaner for the sink, a redactor).</summary>
    public abstract bool Cleans(IInvocationOperation invocation);

    /// <summary>Methods whose call, as a statement, guards its argument (with <see cref="GuardsClean"/>).</summary>
    public virtual SymbolNameMatcher Sanitizers => SymbolNameMatcher.Empty;

    /// <summary>
    /// True when a content check before or around the use makes the value harmless (AGS006: a validated path); false
    /// when checking changes nothing (AGS008: a secret that starts with <c>sk-</c> is still a secret).
    /// </summary>
    public virtual bool GuardsClean => false;

    /// <summary>
    /// The tool attributes in force, when a helper's parameter is followed up to the tools that call it (AGS006); null
    /// keeps the flow within the method.
    /// </summary>
    public virtual string? CallersOfTools => null;

    /// <summary>True when same-type helpers are entered to follow their returns; local functions always are.</summary>
    public virtual bool EntersHelpers => false;
}
