using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// MCP clients connected to a server in the same process: a <c>StreamClientTransport</c> over in-memory streams
/// (a <c>new Pipe()</c>'s reader and writer as streams, a <c>MemoryStream</c>), as the MCP SDK's InMemoryTransport
/// sample and in-process tests do. A tool call through such a client crosses no network: nothing transient to retry.
/// Followed from the call's receiver: a tool picked from <c>ListToolsAsync</c>'s result (<c>tools.First(...)</c>,
/// <c>tools[0]</c>), the client, and <c>McpClient.CreateAsync(transport)</c>, through locals and fields.
/// </summary>
internal sealed class InProcessMcpServers
{
    private static readonly HashSet<string> ElementPicks = NameSet.Of(
        "First", "FirstOrDefault", "Single", "SingleOrDefault", "Last", "LastOrDefault", "ElementAt", "ElementAtOrDefault");

    /// <summary>Steps followed from the call: tool, collection, await, listing, client, await, creation, transport, stream, pipe.</summary>
    private const int Depth = 16;

    private readonly ValueOrigins _origins;

    public InProcessMcpServers(ValueOrigins origins) => _origins = origins;

    /// <summary>True when the tool or client <paramref name="receiver"/> reaches an MCP server in this process, as far as the code shows.</summary>
    public bool Reaches(IOperation? receiver) => Reaches(receiver, Depth);

    private bool Reaches(IOperation? value, int depth)
    {
        if (value is null || depth <= 0)
        {
            return false;
        }

        value = ValueOrigins.Unwrap(value);
        switch (value)
        {
            case IAwaitOperation awaited:
                return Reaches(awaited.Operation, depth - 1);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } collection }:
                return Reaches(collection, depth - 1);
            case IInvocationOperation invocation when ElementPicks.Contains(invocation.TargetMethod.Name) || invocation.TargetMethod.Name == "ListToolsAsync":
                return Reaches(OutboundCalls.Receiver(invocation), depth - 1);
            case IInvocationOperation { TargetMethod: { Name: "CreateAsync", IsStatic: true } factory } create
                when factory.ContainingType?.Name is "McpClient" or "McpClientFactory":
                return Transport(create) is { } transport
                       && _origins.AllValues(transport, t => IsInMemoryTransport(ValueOrigins.Unwrap(t), depth - 1));
            case ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation:
                return _origins.AllValues(value, origin => !ReferenceEquals(origin, value) && Reaches(origin, depth - 1));
            default:
                return false;
        }
    }

    private static IOperation? Transport(IInvocationOperation create)
        => create.Arguments.FirstOrDefault(a => a.Parameter?.Type.Name == "IClientTransport")?.Value;

    /// <summary><c>new StreamClientTransport(input, output)</c> whose every stream is in memory.</summary>
    private bool IsInMemoryTransport(IOperation transport, int depth)
        => transport is IObjectCreationOperation { Type.Name: "StreamClientTransport" } creation
           && creation.Arguments.Where(a => IsStream(a.Parameter?.Type)).ToList() is { Count: > 0 } streams
           && streams.All(s => _origins.AllValues(s.Value, stream => IsInMemoryStream(ValueOrigins.Unwrap(stream), depth - 1)));

    private static bool IsStream(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "Stream" && current.ContainingNamespace?.ToDisplayString() == "System.IO")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A <c>MemoryStream</c>, or a pipe's reader or writer as a stream (<c>pipe.Reader.AsStream()</c>) of a <c>new Pipe()</c>.</summary>
    private bool IsInMemoryStream(IOperation stream, int depth)
    {
        if (depth <= 0)
        {
            return false;
        }

        switch (stream)
        {
            case IObjectCreationOperation { Type.Name: "MemoryStream" }:
                return true;
            case IInvocationOperation { TargetMethod.Name: "AsStream" } asStream
                when ValueOrigins.Unwrap(OutboundCalls.Receiver(asStream) ?? asStream) is IPropertyReferenceOperation { Property.Name: "Reader" or "Writer", Instance: { } pipe }:
                return _origins.AllValues(pipe, p => ValueOrigins.Unwrap(p) is IObjectCreationOperation { Type: { Name: "Pipe" } pipeType }
                                                     && pipeType.ContainingNamespace?.ToDisplayString() == "System.IO.Pipelines");
            case ILocalReferenceOperation or IFieldReferenceOperation:
                return _origins.AllValues(stream, s => !ReferenceEquals(s, stream) && IsInMemoryStream(ValueOrigins.Unwrap(s), depth - 1));
            default:
                return false;
        }
    }
}
