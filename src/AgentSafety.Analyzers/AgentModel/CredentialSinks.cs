using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>What a credential sink takes.</summary>
internal enum CredentialKind
{
    None,
    ApiKey,
    Token,
    Password,

    /// <summary>An <c>Authorization</c> header value: a scheme (<c>Bearer</c>) and a token.</summary>
    AuthorizationHeader,

    /// <summary>A <c>Basic</c> authorization parameter: encoded user name and password.</summary>
    BasicCredentials,
    AwsSecretAccessKey,
    SharedAccessSignature,
}

/// <summary>Whose credential it is, when the sink tells.</summary>
internal enum CredentialProvider
{
    None,
    OpenAI,
    AzureOpenAI,
    Anthropic,
}

/// <summary>A parameter, property or header that takes a credential.</summary>
internal readonly struct CredentialSink
{
    public CredentialSink(CredentialKind kind, CredentialProvider provider = CredentialProvider.None)
    {
        Kind = kind;
        Provider = provider;
    }

    public static CredentialSink None => default;

    public CredentialKind Kind { get; }

    public CredentialProvider Provider { get; }

    public bool IsSink => Kind != CredentialKind.None;
}

/// <summary>
/// Parameters, properties and headers that take a credential: <c>ApiKeyCredential</c>, Azure key and SAS
/// credentials, OpenAI clients' <c>apiKey</c>, <c>NetworkCredential</c>'s password, <c>AuthenticationHeaderValue</c>
/// with a Bearer or Basic scheme, header adds of <c>Authorization</c>/<c>api-key</c>/..., AWS credential types, Semantic
/// Kernel connectors' <c>apiKey</c>, and <c>ApiKey</c>/<c>AuthToken</c>/<c>Password</c>/<c>ClientSecret</c> set in an
/// object initializer (the Anthropic client among them). Types come from <see cref="KnownTypes"/>; Semantic Kernel,
/// Anthropic and the AWS SDK clients are matched by namespace and parameter name, for they are rarely referenced.
/// </summary>
internal sealed class CredentialSinks
{
    private static readonly HashSet<string> AuthorizationHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization",
    };

    private static readonly HashSet<string> KeyHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "api-key", "x-api-key", "apikey", "x-apikey", "Ocp-Apim-Subscription-Key", "X-Auth-Token", "X-Access-Token",
        "X-Goog-Api-Key", "anthropic-api-key", "x-functions-key",
    };

    private static readonly HashSet<string> HeaderMethods = new(StringComparer.Ordinal) { "Add", "TryAddWithoutValidation", "Set" };

    private readonly Lazy<KnownTypes> _types;

    public CredentialSinks(Lazy<KnownTypes> types) => _types = types;

    /// <summary>The known types, resolved when first asked (see <see cref="AgentModel"/>).</summary>
    private KnownTypes Types => _types.Value;

    /// <summary>
    /// A cheap test on the simple name of a called method or created type, before any binding: false when the call
    /// cannot be a credential sink.
    /// </summary>
    public static bool MayTakeCredential(string simpleName)
        => simpleName.EndsWith("Credential", StringComparison.Ordinal)
           || simpleName.EndsWith("Credentials", StringComparison.Ordinal)
           || simpleName.EndsWith("Client", StringComparison.Ordinal)
           || simpleName.StartsWith("Add", StringComparison.Ordinal)
           || simpleName is "AuthenticationHeaderValue" or "TryAddWithoutValidation" or "Set";

    /// <summary>The sink a header of this name is, whatever API sets it (<c>Authorization</c>, <c>x-api-key</c>, ...).</summary>
    public static CredentialSink ForHeaderName(string? headerName)
        => headerName is null ? CredentialSink.None
            : AuthorizationHeaders.Contains(headerName) ? new CredentialSink(CredentialKind.AuthorizationHeader)
            : KeyHeaders.Contains(headerName) ? new CredentialSink(CredentialKind.ApiKey)
            : CredentialSink.None;

    /// <summary>The sink an argument goes to, or none.</summary>
    public CredentialSink ForArgument(IArgumentOperation argument)
    {
        if (argument.Parameter is not { } parameter || parameter.ContainingSymbol is not IMethodSymbol method)
        {
            return CredentialSink.None;
        }

        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return CredentialSink.None;
        }

        if (method.MethodKind == MethodKind.Constructor)
        {
            return ForConstructorArgument(argument, parameter, type);
        }

        if (HeaderMethods.Contains(method.Name) && parameter.Ordinal == 1
            && (KnownTypes.IsOrDerivesFrom(type, Types.HttpHeaders) || KnownTypes.IsOrDerivesFrom(type, Types.WebHeaderCollection)))
        {
            return ForHeaderName(ConstantArgument(argument.Parent, 0));
        }

        if (parameter.Name == "apiKey" && Types.IsIn(type, "Microsoft.SemanticKernel"))
        {
            var provider = method.Name.IndexOf("AzureOpenAI", StringComparison.Ordinal) >= 0 ? CredentialProvider.AzureOpenAI
                : method.Name.IndexOf("OpenAI", StringComparison.Ordinal) >= 0 ? CredentialProvider.OpenAI
                : CredentialProvider.None;
            return new CredentialSink(CredentialKind.ApiKey, provider);
        }

        return CredentialSink.None;
    }

    /// <summary>
    /// The sink a member set in an object initializer is: <c>ApiKey</c>, <c>AuthToken</c>, <c>Password</c> or
    /// <c>ClientSecret</c> of any type, with the provider the created type belongs to.
    /// </summary>
    public static CredentialSink ForInitializedMember(string memberName, ITypeSymbol? createdType)
    {
        var kind = memberName switch
        {
            "ApiKey" or "ClientSecret" => CredentialKind.ApiKey,
            "AuthToken" => CredentialKind.Token,
            "Password" => CredentialKind.Password,
            _ => CredentialKind.None,
        };

        if (kind == CredentialKind.None)
        {
            return CredentialSink.None;
        }

        // Rare (a credential member set in an initializer): the namespace's name is built here, uncached.
        var createdIn = createdType is { ContainingNamespace: { IsGlobalNamespace: false } ns } ? ns.ToDisplayString() : string.Empty;
        var provider = createdType is null ? CredentialProvider.None
            : KnownTypes.IsIn(createdIn, "Azure.AI.OpenAI") ? CredentialProvider.AzureOpenAI
            : KnownTypes.IsIn(createdIn, "OpenAI") ? CredentialProvider.OpenAI
            : KnownTypes.IsIn(createdIn, "Anthropic") ? CredentialProvider.Anthropic
            : CredentialProvider.None;
        return new CredentialSink(kind, provider);
    }

    /// <summary>What a created type is to <see cref="ForConstructorArgument"/>: decided once per type.</summary>
    internal enum ConstructedType : byte
    {
        None,
        KeyCredential,
        NamedKeyCredential,
        SasCredential,
        NetworkCredential,
        AuthenticationHeaderValue,
        Aws,
        OpenAIClient,
        Anthropic,
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<INamedTypeSymbol, ConstructedType> _constructedTypes =
        Caches.Create<INamedTypeSymbol, ConstructedType>(SymbolEqualityComparer.Default);

    private Func<INamedTypeSymbol, ConstructedType>? _classify;

    /// <summary>The first of <see cref="ForConstructorArgument"/>'s type tests that <paramref name="type"/> passes.</summary>
    internal ConstructedType Classify(INamedTypeSymbol type)
        => Is(type, Types.ApiKeyCredential) || Is(type, Types.AzureKeyCredential) ? ConstructedType.KeyCredential
            : Is(type, Types.AzureNamedKeyCredential) ? ConstructedType.NamedKeyCredential
            : Is(type, Types.AzureSasCredential) ? ConstructedType.SasCredential
            : Is(type, Types.NetworkCredential) ? ConstructedType.NetworkCredential
            : Is(type, Types.AuthenticationHeaderValue) ? ConstructedType.AuthenticationHeaderValue
            : Is(type, Types.BasicAwsCredentials) || Is(type, Types.SessionAwsCredentials) || Types.IsIn(type, "Amazon") ? ConstructedType.Aws
            : IsOneOf(type, Types.OpenAIClients) ? ConstructedType.OpenAIClient
            : Types.IsIn(type, "Anthropic") ? ConstructedType.Anthropic
            : ConstructedType.None;

    private CredentialSink ForConstructorArgument(IArgumentOperation argument, IParameterSymbol parameter, INamedTypeSymbol type)
    {
        // Every string passed to a constructor comes here: the type's tests are made once per type.
        var constructed = _constructedTypes.TryGetValue(type, out var known) ? known : _constructedTypes.GetOrAdd(type, _classify ??= Classify);
        switch (constructed)
        {
            case ConstructedType.KeyCredential:
                return new CredentialSink(CredentialKind.ApiKey, ProviderOfEnclosingClient(argument.Parent));
            case ConstructedType.NamedKeyCredential:
                return parameter.Name == "key" ? new CredentialSink(CredentialKind.ApiKey) : CredentialSink.None;
            case ConstructedType.SasCredential:
                return new CredentialSink(CredentialKind.SharedAccessSignature);
            case ConstructedType.NetworkCredential:
                return parameter.Name == "password" && parameter.Type.SpecialType == SpecialType.System_String
                    ? new CredentialSink(CredentialKind.Password)
                    : CredentialSink.None;
            case ConstructedType.AuthenticationHeaderValue:
                if (parameter.Ordinal != 1)
                {
                    return CredentialSink.None;
                }

                var scheme = ConstantArgument(argument.Parent, 0);
                return string.Equals(scheme, "Basic", StringComparison.OrdinalIgnoreCase) ? new CredentialSink(CredentialKind.BasicCredentials)
                    : scheme is not null ? new CredentialSink(CredentialKind.AuthorizationHeader)
                    : CredentialSink.None;
            case ConstructedType.Aws:
                return parameter.Name.IndexOf("secret", StringComparison.OrdinalIgnoreCase) >= 0 ? new CredentialSink(CredentialKind.AwsSecretAccessKey)
                    : parameter.Name.IndexOf("token", StringComparison.OrdinalIgnoreCase) >= 0 && parameter.Type.SpecialType == SpecialType.System_String ? new CredentialSink(CredentialKind.Token)
                    : CredentialSink.None;
            case ConstructedType.OpenAIClient when parameter.Name == "apiKey" && parameter.Type.SpecialType == SpecialType.System_String:
                return new CredentialSink(CredentialKind.ApiKey, CredentialProvider.OpenAI);
            case ConstructedType.Anthropic when parameter.Name == "apiKey" && parameter.Type.SpecialType == SpecialType.System_String:
                return new CredentialSink(CredentialKind.ApiKey, CredentialProvider.Anthropic);
            default:
                return CredentialSink.None;
        }
    }

    /// <summary>
    /// Whose key an <c>ApiKeyCredential</c>/<c>AzureKeyCredential</c> is: the client it is created for, when it is
    /// created right in that client's constructor call.
    /// </summary>
    private CredentialProvider ProviderOfEnclosingClient(IOperation? credentialCreation)
    {
        if (credentialCreation?.Parent is not IArgumentOperation { Parent: IObjectCreationOperation { Constructor.ContainingType: { } client } })
        {
            return CredentialProvider.None;
        }

        var definition = client.OriginalDefinition;
        return KnownTypes.IsOrDerivesFrom(definition, Types.AzureOpenAIClient) ? CredentialProvider.AzureOpenAI
            : Types.OpenAIClients.Any(t => KnownTypes.IsOrDerivesFrom(definition, t)) ? CredentialProvider.OpenAI
            : CredentialProvider.None;
    }

    /// <summary>The constant string passed to the parameter at <paramref name="ordinal"/> of the call, if any.</summary>
    private static string? ConstantArgument(IOperation? call, int ordinal)
    {
        var arguments = call switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => default,
        };

        if (arguments.IsDefault)
        {
            return null;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument.Value.ConstantValue is { HasValue: true, Value: string text } ? text : null;
            }
        }

        return null;
    }

    private static bool Is(ITypeSymbol type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    /// <summary>True when <paramref name="type"/> is one of <paramref name="types"/> (a loop: no enumerator boxed per argument).</summary>
    private static bool IsOneOf(INamedTypeSymbol type, ImmutableArray<INamedTypeSymbol> types)
    {
        foreach (var candidate in types)
        {
            if (SymbolEqualityComparer.Default.Equals(type, candidate))
            {
                return true;
            }
        }

        return false;
    }
}
