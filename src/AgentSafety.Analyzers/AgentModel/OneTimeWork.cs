using System.Runtime.CompilerServices;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// The knowledge layer's whole-compilation scans run once per compilation. Under tiered compilation (the .NET SDK's
/// compiler and the compiler server) a method called once never leaves the unoptimized first tier, and these scans
/// loop over every file or every referenced namespace; so they are compiled optimized from the start.
/// </summary>
internal static class OneTimeWork
{
    /// <summary>
    /// <c>MethodImplOptions.AggressiveOptimization</c>: netstandard2.0 does not name it, the runtimes that tier know the
    /// value, and .NET Framework hosts (which always optimize) ignore it.
    /// </summary>
    public const MethodImplOptions Optimized = (MethodImplOptions)512;
}
