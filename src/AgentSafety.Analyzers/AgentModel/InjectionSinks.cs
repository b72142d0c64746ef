using System.Collections.Immutable;
using AgentSafety.Analyzers.AgentModel.Flows;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>What an injected value takes over at a sink.</summary>
internal enum SinkKind
{
    /// <summary>The program or the arguments of a process.</summary>
    Command,

    /// <summary>The text of a SQL statement.</summary>
    Sql,

    /// <summary>A file or directory path.</summary>
    Path,

    /// <summary>The URI of an HTTP request (server-side request forgery).</summary>
    Url,
}

/// <summary>One value that reaches a sink: the argument (or assigned value) and the call as people write it.</summary>
internal readonly struct InjectionSink
{
    public InjectionSink(SinkKind kind, string display, IOperation value)
    {
        Kind = kind;
        Display = display;
        Value = value;
    }

    public SinkKind Kind { get; }

    /// <summary><c>File.ReadAllText</c>, <c>new ProcessStartInfo</c>, <c>DbCommand.CommandText</c>.</summary>
    public string Display { get; }

    /// <summary>The value the sink takes as a command, SQL text, path or URI.</summary>
    public IOperation Value { get; }

    /// <summary>How a message names the kind: "the file path of 'File.ReadAllText'".</summary>
    public string KindText => Kind switch
    {
        SinkKind.Command => "command",
        SinkKind.Sql => "SQL text",
        SinkKind.Path => "file path",
        _ => "URL",
    };
}

/// <summary>
/// Where a string stops being data and becomes a command, SQL text, a path or a URL (AGS006; AGS008 asks
/// <see cref="DisclosureSinks"/> where text is written out instead):
/// <c>Process.Start</c> and <c>ProcessStartInfo</c> (<c>ArgumentList</c> is not a sink: each item is one argument);
/// <c>DbCommand</c> text (constructor or <c>CommandText</c>), Dapper's <c>sql</c>, EF Core's <c>FromSqlRaw</c>,
/// <c>ExecuteSqlRaw[Async]</c> and <c>SqlQueryRaw</c> (never the interpolated <c>FromSql</c>/<c>ExecuteSql</c>, which
/// parameterize, nor a parameter's value); the path parameters of <c>File</c>, <c>Directory</c>, <c>FileInfo</c>,
/// <c>DirectoryInfo</c>, <c>FileStream</c>, <c>StreamReader</c> and <c>StreamWriter</c>, reads included; the request
/// URI of <c>HttpClient</c> and its JSON extensions, and of <c>HttpRequestMessage</c>.
/// </summary>
internal sealed class InjectionSinks
{
    private static readonly HashSet<string> HttpMethods = NameSet.Of(
        "GetAsync", "GetStringAsync", "GetStreamAsync", "GetByteArrayAsync", "PostAsync", "PutAsync", "PatchAsync", "DeleteAsync",
        "GetFromJsonAsync", "GetFromJsonAsAsyncEnumerable", "PostAsJsonAsync", "PutAsJsonAsync", "PatchAsJsonAsync", "DeleteFromJsonAsync");

    private static readonly HashSet<string> EntityFrameworkRawMethods = NameSet.Of("FromSqlRaw", "ExecuteSqlRaw", "ExecuteSqlRawAsync", "SqlQueryRaw");

    private static readonly HashSet<string> CreatedTypeNames = NameSet.Of(
        "ProcessStartInfo", "FileInfo", "DirectoryInfo", "FileStream", "StreamReader", "StreamWriter", "HttpRequestMessage");

    private static readonly HashSet<string> AssignedPropertyNames = NameSet.Of("FileName", "Arguments", "CommandText", "RequestUri");

    private readonly Lazy<KnownTypes> _types;
    private readonly Lazy<FlowTypes> _flowTypes;

    public InjectionSinks(Lazy<KnownTypes> types, Lazy<FlowTypes> flowTypes)
    {
        _types = types;
        _flowTypes = flowTypes;
    }

    private KnownTypes Types => _types.Value;

    private FlowTypes FlowTypes => _flowTypes.Value;

    /// <summary>Names only, no symbols: false settles that <paramref name="operation"/> is no sink.</summary>
    public static bool MayBeSink(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => MayNameSinkCall(invocation.TargetMethod),
        IObjectCreationOperation { Type: { } type } => CreatedTypeNames.Contains(type.Name) || type.Name.EndsWith("Command", StringComparison.Ordinal),
        ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } => AssignedPropertyNames.Contains(property.Property.Name),
        _ => false,
    };

    private static bool MayNameSinkCall(IMethodSymbol method)
    {
        var name = method.Name;
        return name == "Start" || HttpMethods.Contains(name) || EntityFrameworkRawMethods.Contains(name)
               || name.StartsWith("Query", StringComparison.Ordinal) || name.StartsWith("Execute", StringComparison.Ordinal)
               || method.ContainingType?.Name is "File" or "Directory" or "FileInfo" or "DirectoryInfo";
    }

    /// <summary>The values <paramref name="operation"/> takes as a command, SQL text, path or URI (empty when it is no sink).</summary>
    public ImmutableArray<InjectionSink> Classify(IOperation operation)
    {
        if (!MayBeSink(operation))
        {
            return ImmutableArray<InjectionSink>.Empty;
        }

        return operation switch
        {
            IInvocationOperation invocation => ClassifyInvocation(invocation),
            IObjectCreationOperation creation => ClassifyCreation(creation),
            ISimpleAssignmentOperation assignment => ClassifyAssignment(assignment),
            _ => ImmutableArray<InjectionSink>.Empty,
        };
    }

    private ImmutableArray<InjectionSink> ClassifyInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var declaring = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        if (declaring is null)
        {
            return ImmutableArray<InjectionSink>.Empty;
        }

        var name = method.Name;
        var display = declaring.Name + "." + name;
        if (name == "Start" && FlowTypes.Is(declaring, Types.Process))
        {
            return Arguments(invocation.Arguments, SinkKind.Command, display, IsCommandParameter);
        }

        // An existence probe reveals one bit and guards the access that follows: that access is the sink.
        if (name != "Exists"
            && (FlowTypes.Is(declaring, Types.File) || FlowTypes.Is(declaring, Types.Directory)
                || FlowTypes.Is(declaring, Types.FileInfo) || FlowTypes.Is(declaring, Types.DirectoryInfo)))
        {
            return Arguments(invocation.Arguments, SinkKind.Path, display, IsPathParameter);
        }

        if (HttpMethods.Contains(name) && (FlowTypes.Is(declaring, Types.HttpClient) || FlowTypes.Is(declaring, Types.HttpClientJsonExtensions)))
        {
            return Arguments(invocation.Arguments, SinkKind.Url, "HttpClient." + name, p => p.Name == "requestUri");
        }

        if (EntityFrameworkRawMethods.Contains(name)
            && (FlowTypes.Is(declaring, FlowTypes.RelationalQueryableExtensions) || FlowTypes.Is(declaring, FlowTypes.RelationalDatabaseFacadeExtensions)))
        {
            return Arguments(invocation.Arguments, SinkKind.Sql, display, p => p.Name == "sql" && p.Type.SpecialType == SpecialType.System_String);
        }

        if ((name.StartsWith("Query", StringComparison.Ordinal) || name.StartsWith("Execute", StringComparison.Ordinal))
            && declaring.Name == "SqlMapper" && Types.NamespaceName(declaring) == "Dapper")
        {
            return Arguments(invocation.Arguments, SinkKind.Sql, display, p => p.Name == "sql" && p.Type.SpecialType == SpecialType.System_String);
        }

        return ImmutableArray<InjectionSink>.Empty;
    }

    private ImmutableArray<InjectionSink> ClassifyCreation(IObjectCreationOperation creation)
    {
        var type = creation.Type?.OriginalDefinition as INamedTypeSymbol;
        if (type is null || creation.Constructor is null)
        {
            return ImmutableArray<InjectionSink>.Empty;
        }

        var display = "new " + type.Name;
        if (FlowTypes.Is(type, FlowTypes.ProcessStartInfo))
        {
            return Arguments(creation.Arguments, SinkKind.Command, display, IsCommandParameter);
        }

        if (FlowTypes.Is(type, Types.FileInfo) || FlowTypes.Is(type, Types.DirectoryInfo) || FlowTypes.Is(type, Types.FileStream)
            || FlowTypes.Is(type, FlowTypes.StreamReader) || FlowTypes.Is(type, Types.StreamWriter))
        {
            return Arguments(creation.Arguments, SinkKind.Path, display, IsPathParameter);
        }

        if (FlowTypes.Is(type, Types.HttpRequestMessage))
        {
            return Arguments(creation.Arguments, SinkKind.Url, display, p => p.Name == "requestUri");
        }

        if (KnownTypes.IsOrDerivesFrom(type, Types.DbCommand))
        {
            return Arguments(creation.Arguments, SinkKind.Sql, display, p => p.Type.SpecialType == SpecialType.System_String && p.Name is "cmdText" or "commandText");
        }

        return ImmutableArray<InjectionSink>.Empty;
    }

    private ImmutableArray<InjectionSink> ClassifyAssignment(ISimpleAssignmentOperation assignment)
    {
        var property = ((IPropertyReferenceOperation)assignment.Target).Property;
        var declaring = property.ContainingType?.OriginalDefinition;
        var kind = property.Name switch
        {
            "FileName" or "Arguments" when FlowTypes.Is(declaring, FlowTypes.ProcessStartInfo) => SinkKind.Command,
            "CommandText" when KnownTypes.IsOrDerivesFrom(declaring, Types.DbCommand) || KnownTypes.IsOrImplements(declaring, Types.IDbCommand) => SinkKind.Sql,
            "RequestUri" when FlowTypes.Is(declaring, Types.HttpRequestMessage) => SinkKind.Url,
            _ => (SinkKind?)null,
        };

        return kind is { } sinkKind
            ? ImmutableArray.Create(new InjectionSink(sinkKind, declaring!.Name + "." + property.Name, assignment.Value))
            : ImmutableArray<InjectionSink>.Empty;
    }

    /// <summary>The program, or the one string its arguments are parsed from (a list of arguments is no sink: each item stays one argument).</summary>
    private static bool IsCommandParameter(IParameterSymbol parameter)
        => parameter.Type.SpecialType == SpecialType.System_String && parameter.Name is "fileName" or "arguments";

    /// <summary>A string parameter that names a file or directory (<c>path</c>, <c>sourceFileName</c>, <c>destDirName</c>).</summary>
    private static bool IsPathParameter(IParameterSymbol parameter)
        => parameter.Type.SpecialType == SpecialType.System_String
           && (parameter.Name.IndexOf("path", StringComparison.OrdinalIgnoreCase) >= 0
               || parameter.Name.EndsWith("FileName", StringComparison.OrdinalIgnoreCase)
               || parameter.Name.EndsWith("DirName", StringComparison.OrdinalIgnoreCase));

    private static ImmutableArray<InjectionSink> Arguments(ImmutableArray<IArgumentOperation> arguments, SinkKind kind, string display, Func<IParameterSymbol, bool> isSinkParameter)
    {
        var result = ImmutableArray<InjectionSink>.Empty;
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter is { } parameter && isSinkParameter(parameter))
            {
                result = result.Add(new InjectionSink(kind, display, argument.Value));
            }
        }

        return result;
    }
}
