using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentSafety.Analyzers.AgentModel;

/// <summary>
/// What the code shows about a Semantic Kernel call: whether a kernel or chat completion service reaches the model
/// through a client that retries by itself, and whether a kernel function runs in process.
/// Semantic Kernel's OpenAI and Azure OpenAI connectors turn the SDK's retry off (<c>maxRetries: 0</c>) when they are
/// given an HttpClient, and the kernel builder's and the service collection's registrations always give one
/// (<c>HttpClientProvider.GetHttpClient</c>); given an <c>OpenAIClient</c> or <c>AzureOpenAIClient</c> built by the
/// application (or resolved from its services), they use that client and its retry, and a service created directly
/// with no HttpClient keeps the SDK's default retry. A plugin imported from a type (<c>ImportPluginFromType</c>, <c>ImportPluginFromObject</c>,
/// <c>CreatePluginFromType</c>, <c>KernelPluginFactory.CreateFromType</c>, <c>Plugins.AddFromType</c>) declared in
/// the compilation is a set of C# methods: invoking its functions calls no remote tool (the methods' own outbound
/// calls are analysed where they are written).
/// </summary>
internal sealed class SemanticKernelCalls
{
    /// <summary>Chat completion registrations of Semantic Kernel's connectors, on a kernel builder or a service collection.</summary>
    private static readonly HashSet<string> ChatCompletionRegistrations = NameSet.Of(
        "AddOpenAIChatCompletion", "AddAzureOpenAIChatCompletion", "AddOllamaChatCompletion", "AddMistralChatCompletion",
        "AddGoogleAIGeminiChatCompletion", "AddVertexAIGeminiChatCompletion", "AddHuggingFaceChatCompletion",
        "AddAzureAIInferenceChatCompletion", "AddBedrockChatCompletionService", "AddOnnxRuntimeGenAIChatCompletion",
        "AddAnthropicChatCompletion", "AddChatClient", "AddKeyedChatClient", "AddOpenAIChatClient", "AddAzureOpenAIChatClient");

    /// <summary>Plugin imports from a type or an object: <c>ImportPluginFromType&lt;T&gt;()</c>, <c>AddFromObject(obj)</c>, ...</summary>
    private static readonly HashSet<string> TypePluginImports = NameSet.Of(
        "ImportPluginFromType", "ImportPluginFromObject", "CreatePluginFromType", "CreatePluginFromObject",
        "AddFromType", "AddFromObject", "CreateFromType", "CreateFromObject");

    /// <summary>Every other way to add a named plugin: a name taken by one of these is not known to be in process.</summary>
    private static readonly HashSet<string> OtherPluginImports = NameSet.Of(
        "ImportPluginFromFunctions", "CreatePluginFromFunctions", "AddFromFunctions", "CreateFromFunctions",
        "ImportPluginFromPromptDirectory", "CreatePluginFromPromptDirectory", "AddFromPromptDirectory",
        "ImportPluginFromPromptDirectoryYaml", "ImportPluginFromOpenApiAsync", "CreatePluginFromOpenApiAsync", "AddFromOpenApiAsync",
        "ImportPluginFromApiManifestAsync", "CreatePluginFromApiManifestAsync", "ImportPluginFromGrpcFile", "ImportPluginFromGrpcDirectory",
        "ImportPluginFromCopilotAgentPluginAsync", "CreatePluginFromCopilotAgentPluginAsync", "AddFromAIContext");

    /// <summary>Imports of prompt functions from a directory: each function of such a plugin calls the model.</summary>
    private static readonly HashSet<string> PromptPluginImports = NameSet.Of(
        "ImportPluginFromPromptDirectory", "CreatePluginFromPromptDirectory", "AddFromPromptDirectory", "ImportPluginFromPromptDirectoryYaml");

    internal static readonly HashSet<string> AllPluginImports = NameSet.Of(TypePluginImports.Concat(OtherPluginImports).ToArray());

    private static readonly HashSet<string> PromptFunctionFactories = NameSet.Of("CreateFunctionFromPrompt", "CreateFromPrompt", "CreateFunctionFromPromptYaml", "CreateFunctionFromPrompty");

    private static readonly HashSet<string> HttpClientDefaults = NameSet.Of("ConfigureHttpClientDefaults");

    private static readonly HashSet<string> ServiceResolutions = NameSet.Of("GetRequiredService", "GetService", "GetRequiredKeyedService", "GetKeyedService");

    /// <summary>The service collection's own registrations: an application's chat completion service or function filter.</summary>
    private static readonly HashSet<string> ServiceRegistrations = ValueOrigins.ServiceRegistrations;

    /// <summary>Words a file registering an AI service of Semantic Kernel's with <see cref="ServiceRegistrations"/> holds.</summary>
    private static readonly string[] AIServiceWords = { "ChatCompletion", "TextGeneration" };

    /// <summary>Semantic Kernel's registrations and the service collection's own, asked together (one search of the compilation).</summary>
    private static readonly HashSet<string> AllServiceRegistrations = NameSet.Of(ChatCompletionRegistrations.Concat(ServiceRegistrations).ToArray());

    /// <summary>Factories of kernel functions from a method or a delegate: <c>KernelFunctionFactory.CreateFromMethod</c>, <c>kernel.CreateFunctionFromMethod</c>.</summary>
    private static readonly HashSet<string> MethodFunctionFactories = NameSet.Of("CreateFromMethod", "CreateFunctionFromMethod");

    private const int Depth = 8;

    private readonly Lazy<KnownTypes> _types;
    private readonly ValueOrigins _origins;
    private readonly Lazy<bool> _registrationsRetry;
    private readonly Lazy<bool> _resilientDefaults;
    private readonly ConcurrentDictionary<string, PluginKind> _pluginKinds = Caches.Create<string, PluginKind>(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<InvocationExpressionSyntax, (string Name, PluginKind Kind)?> _imports = Caches.Create<InvocationExpressionSyntax, (string Name, PluginKind Kind)?>(ReferenceComparer<InvocationExpressionSyntax>.Instance);
    private readonly TypeSyntaxFilter _typeSyntax;
    private readonly Lazy<ImportIndex> _importIndex;
    private readonly Lazy<ConstantNames> _constantNames;
    private readonly Func<IOperation?, bool> _chatClientRetries;
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _retryingFilters = Caches.Create<INamedTypeSymbol, bool>(SymbolEqualityComparer.Default);

    /// <param name="chatClientRetries">AGS002's judgement of an <c>IChatClient</c>: true when it retries or falls back by itself.</param>
    public SemanticKernelCalls(Lazy<KnownTypes> types, ValueOrigins origins, TypeSyntaxFilter typeSyntax, Func<IOperation?, bool> chatClientRetries)
    {
        _typeSyntax = typeSyntax;
        _types = types;
        _origins = origins;
        _chatClientRetries = chatClientRetries;
        _registrationsRetry = new Lazy<bool>(RegistrationsRetry, LazyThreadSafetyMode.ExecutionAndPublication);
        _resilientDefaults = new Lazy<bool>(ResilientDefaults, LazyThreadSafetyMode.ExecutionAndPublication);
        _importIndex = new Lazy<ImportIndex>(BuildImportIndex, LazyThreadSafetyMode.ExecutionAndPublication);
        _constantNames = new Lazy<ConstantNames>(FindConstantNames, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>What the functions of a named plugin are, from every import of that name in the compilation.</summary>
    internal enum PluginKind
    {
        /// <summary>Imported from a type or an object declared in the compilation: C# methods.</summary>
        InProcess,

        /// <summary>Imported from a prompt directory: prompt functions, model calls.</summary>
        Prompts,

        /// <summary>Anything else, or imports of different kinds under one name.</summary>
        Other,
    }

    private KnownTypes Types => _types.Value;

    /// <summary>
    /// True when the kernel or chat completion service <paramref name="receiver"/> reaches the model through a client
    /// that retries by itself: a service created over the application's <c>OpenAIClient</c>
    /// (<c>new OpenAIChatCompletionService(model, openAIClient)</c>), or a kernel built by a builder (or resolved from,
    /// or injected by, the services) whose chat completion registrations all take the application's client
    /// (<c>AddOpenAIChatCompletion(model, openAIClient)</c>). A key, an endpoint or an HttpClient: the connector's
    /// client does not retry.
    /// </summary>
    public bool ConnectorRetries(IOperation? receiver) => ConnectorRetries(receiver, Depth, registered: true);

    /// <param name="registered">
    /// Whether the compilation's registrations may decide for a service or kernel from the services: false while they are
    /// being judged themselves (a registration's factory resolving a service is not followed back into them).
    /// </param>
    private bool ConnectorRetries(IOperation? receiver, int depth, bool registered)
    {
        if (receiver is null || depth <= 0)
        {
            return false;
        }

        receiver = ValueOrigins.Unwrap(receiver);
        if (receiver is IParameterReferenceOperation parameter)
        {
            return (OutboundCalls.IsInjected(parameter, receiver) && (RegisteredServicesRetry(registered) || _resilientDefaults.Value))
                   || CallersPassRetrying(parameter.Parameter, depth - 1, registered);
        }

        return _origins.AllValues(receiver, value => ValueRetries(ValueOrigins.Unwrap(value), depth - 1, registered));
    }

    /// <summary>
    /// A parameter of a private method whose every call (at least one) passes a kernel or service that retries
    /// (<c>InvokeAsync(kernel, input)</c> called with kernels built over services that retry or answer in process).
    /// </summary>
    private bool CallersPassRetrying(IParameterSymbol parameter, int depth, bool registered)
    {
        if (depth <= 0 || parameter.ContainingSymbol is not IMethodSymbol method)
        {
            return false;
        }

        var calls = _origins.CallsOfPrivate(method);
        if (calls is null)
        {
            return false;
        }

        var any = false;
        foreach (var call in calls)
        {
            var argument = call.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter.OriginalDefinition));
            if (argument is null || argument.ArgumentKind != ArgumentKind.Explicit || !ConnectorRetries(argument.Value, depth, registered))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    private bool ValueRetries(IOperation value, int depth, bool registered)
    {
        switch (value)
        {
            case IParameterReferenceOperation or ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation:
                return ConnectorRetries(value, depth, registered);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return ConnectorRetries(conditional.WhenTrue, depth, registered) && ConnectorRetries(whenFalse, depth, registered);
            case IObjectCreationOperation creation when IsChatCompletionService(creation.Type) || IsTextGenerationService(creation.Type):
                // A service of the compilation's own that calls out to nothing (a stub, a fake) answers in process.
                return TakesApplicationClient(creation.Arguments) || KeepsSdkRetry(creation) || OutboundCalls.RunsOwnCode(creation.Type);
            case IInvocationOperation { TargetMethod.Name: "AsChatCompletionService" } adapter when IsChatCompletionService(adapter.Type):
                // chatClient.AsChatCompletionService(): the IChatClient it adapts decides, judged as AGS002 judges chat clients.
                return _chatClientRetries(OutboundCalls.Receiver(adapter));
            case IInvocationOperation wrapping when IsChatCompletionService(wrapping.Type) && IsChatCompletionService(OutboundCalls.Receiver(wrapping)?.Type):
                // openAiChatService.UsingChatHistoryReducer(reducer): a service over the one it is called on.
                return ConnectorRetries(OutboundCalls.Receiver(wrapping), depth, registered);
            case IObjectCreationOperation creation when KnownTypes.IsOrDerivesFrom(creation.Type, Types.Kernel):
                // new Kernel(serviceProvider): the services the application registered.
                return RegisteredServicesRetry(registered) || _resilientDefaults.Value;
            case IInvocationOperation { TargetMethod.Name: "Build" } build when IsKernelBuilder(OutboundCalls.Receiver(build)?.Type):
                return BuilderRetries(OutboundCalls.Receiver(build), depth, registered);
            case IInvocationOperation { TargetMethod.Name: "Clone" } clone when KnownTypes.IsOrDerivesFrom(clone.Type, Types.Kernel):
                return ConnectorRetries(OutboundCalls.Receiver(clone), depth, registered);
            case IInvocationOperation resolution when ServiceResolutions.Contains(resolution.TargetMethod.Name)
                                                      && KernelOf(OutboundCalls.Receiver(resolution)) is { } kernel:
                // kernel.GetRequiredService<IChatCompletionService>(), kernel.Services.GetRequiredService<...>(): that kernel's services.
                return ConnectorRetries(kernel, depth, registered);
            case IInvocationOperation resolution when ServiceResolutions.Contains(resolution.TargetMethod.Name):
                return RegisteredServicesRetry(registered) || _resilientDefaults.Value;
            default:
                return false;
        }
    }

    /// <summary>
    /// The chat completion services a kernel builder registers, as far as the code shows: the registrations chained
    /// on it (<c>Kernel.CreateBuilder().AddOpenAIChatCompletion(model, client).Build()</c>), or made on the local that
    /// holds it in its method. Otherwise (a builder from elsewhere) the compilation's registrations decide.
    /// </summary>
    private bool BuilderRetries(IOperation? builder, int depth, bool registered)
    {
        var any = false;
        while (builder is IInvocationOperation step && IsKernelBuilder(step.Type) && step.TargetMethod.Name != "CreateBuilder")
        {
            if (ChatCompletionRegistrations.Contains(step.TargetMethod.Name))
            {
                if (!RegistrationRetries(step, registered))
                {
                    return false;
                }

                any = true;
            }

            builder = OutboundCalls.Receiver(step);
        }

        builder = builder is null ? null : ValueOrigins.Unwrap(builder);
        switch (builder)
        {
            case IInvocationOperation { TargetMethod.Name: "CreateBuilder" }:
                return any;
            case ILocalReferenceOperation local when depth > 0 && ConfiguresResilientDefaults(local):
                // builder.Services.ConfigureHttpClientDefaults(c => c.AddStandardResilienceHandler()): the registered
                // connectors take their HttpClient from these services (HttpClientProvider), handler included.
                return true;
            case ILocalReferenceOperation local when depth > 0:
                var onLocal = LocalRegistrations(local, registered);
                return onLocal is { } known ? known && (any || HasRegistration(local)) : RegisteredServicesRetry(registered);
            default:
                return RegisteredServicesRetry(registered) || _resilientDefaults.Value;
        }
    }

    /// <summary>
    /// Whether every chat completion registration made on the builder local (<c>builder.AddOpenAIChatCompletion(...)</c>,
    /// <c>builder.Services.AddOpenAIChatCompletion(...)</c>) in its method takes the application's client; null when the
    /// local's value is not <c>Kernel.CreateBuilder()</c> (the builder came from elsewhere).
    /// </summary>
    private bool? LocalRegistrations(ILocalReferenceOperation local, bool registered)
    {
        var values = _origins.Values(local);
        if (values.Length == 0 || !values.All(v => v is IInvocationOperation { TargetMethod.Name: "CreateBuilder" }))
        {
            return null;
        }

        return RegistrationsOn(local).All(registration => RegistrationRetries(registration, registered));
    }

    /// <summary>The kernel a service lookup is made on: <c>kernel</c> or <c>kernel.Services</c>.</summary>
    private IOperation? KernelOf(IOperation? receiver)
    {
        receiver = receiver is null ? null : ValueOrigins.Unwrap(receiver);
        if (receiver is IPropertyReferenceOperation { Property.Name: "Services", Instance: { } instance } && KnownTypes.IsOrDerivesFrom(instance.Type, Types.Kernel))
        {
            return instance;
        }

        return receiver is not null && KnownTypes.IsOrDerivesFrom(receiver.Type, Types.Kernel) ? receiver : null;
    }

    private static bool ConfiguresResilientDefaults(ILocalReferenceOperation local)
    {
        var root = (IOperation)local;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root.Descendants().OfType<IInvocationOperation>().Any(invocation =>
            invocation.TargetMethod.Name == "ConfigureHttpClientDefaults"
            && OutboundCalls.Receiver(invocation) is IPropertyReferenceOperation { Property.Name: "Services", Instance: { } services }
            && ValueOrigins.Unwrap(services) is ILocalReferenceOperation builder
            && SymbolEqualityComparer.Default.Equals(builder.Local, local.Local)
            && AddsResilienceHandler(invocation));
    }

    /// <summary><c>ConfigureHttpClientDefaults(c =&gt; c.AddStandardResilienceHandler())</c>: a handler on every client.</summary>
    private static bool AddsResilienceHandler(IInvocationOperation configure)
        => configure.Descendants().OfType<IInvocationOperation>().Any(i => i.TargetMethod.Name.EndsWith("ResilienceHandler", StringComparison.Ordinal)
                                                                          || i.TargetMethod.Name.EndsWith("HedgingHandler", StringComparison.Ordinal));

    /// <summary>True when the compilation puts a resilience handler on every HttpClient of its services: kernels from the services use it.</summary>
    private bool ResilientDefaults()
        => _origins.InvocationsNamed(HttpClientDefaults).Any(AddsResilienceHandler);

    private bool HasRegistration(ILocalReferenceOperation local) => RegistrationsOn(local).Any();

    private static IEnumerable<IInvocationOperation> RegistrationsOn(ILocalReferenceOperation local)
    {
        var root = (IOperation)local;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var invocation in root.Descendants().OfType<IInvocationOperation>())
        {
            if (!ChatCompletionRegistrations.Contains(invocation.TargetMethod.Name) && !IsServiceRegistration(invocation))
            {
                continue;
            }

            // builder.Add...(...), or builder.Services.Add...(...), or a chain starting at the builder.
            var target = OutboundCalls.Receiver(invocation);
            while (target is IInvocationOperation inner)
            {
                target = OutboundCalls.Receiver(inner);
            }

            if (target is IPropertyReferenceOperation { Property.Name: "Services", Instance: { } services })
            {
                target = ValueOrigins.Unwrap(services);
            }

            if (target is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local.Local))
            {
                yield return invocation;
            }
        }
    }

    /// <summary><see cref="RegistrationsRetry"/> (once per compilation) when the registrations may decide.</summary>
    private bool RegisteredServicesRetry(bool registered) => registered && _registrationsRetry.Value;

    /// <summary>
    /// True when the compilation registers chat completion services and every registration takes the application's
    /// client, or registers a service of its own that retries (<c>AddSingleton&lt;IChatCompletionService&gt;(sp =&gt;
    /// new OpenAIChatCompletionService(model, apiKey))</c>).
    /// </summary>
    private bool RegistrationsRetry()
    {
        var any = false;
        foreach (var registration in _origins.InvocationsNamed(AllServiceRegistrations, AIServiceWords))
        {
            if (!IsSemanticKernelRegistration(registration) && !IsServiceRegistration(registration))
            {
                continue;
            }

            any = true;
            if (!RegistrationRetries(registration, registered: false))
            {
                return false;
            }
        }

        return any;
    }

    private bool IsSemanticKernelRegistration(IInvocationOperation registration)
        => (registration.TargetMethod.ReducedFrom ?? registration.TargetMethod).ContainingType is { } declaring
           && KnownTypes.IsIn(Types.NamespaceName(declaring), "Microsoft.SemanticKernel");

    /// <summary>
    /// A registration given the application's <c>OpenAIClient</c> (the overload taking one resolves it from the services
    /// when passed none), or a chat completion service registered by the application
    /// (<c>builder.Services.AddSingleton&lt;IChatCompletionService&gt;(sp =&gt; ...)</c>) whose instance or every value its
    /// factory returns retries.
    /// </summary>
    private bool RegistrationRetries(IInvocationOperation registration, bool registered)
        => IsServiceRegistration(registration)
            ? RegisteredServiceRetries(registration, registered)
            : IsSemanticKernelRegistration(registration) && TakesApplicationClient(registration.Arguments);

    /// <summary>
    /// <c>AddSingleton&lt;IChatCompletionService&gt;(...)</c>, <c>AddKeyedSingleton&lt;ITextGenerationService&gt;(...)</c>
    /// (scoped, transient too): an AI service the application registers itself.
    /// </summary>
    private static bool IsServiceRegistration(IInvocationOperation invocation)
        => ServiceRegistrations.Contains(invocation.TargetMethod.Name)
           && invocation.TargetMethod.TypeArguments.Length > 0
           && (IsChatCompletionService(invocation.TargetMethod.TypeArguments[0]) || IsTextGenerationService(invocation.TargetMethod.TypeArguments[0]));

    /// <summary>Semantic Kernel's <c>ITextGenerationService</c> or a type implementing it: prompt functions may run on one.</summary>
    private static bool IsTextGenerationService(ITypeSymbol? type)
        => type is not null
           && ((type.Name == "ITextGenerationService" && type.ContainingNamespace?.Name == "TextGeneration")
               || type.AllInterfaces.Any(i => i.Name == "ITextGenerationService" && i.ContainingNamespace?.Name == "TextGeneration"));

    private bool RegisteredServiceRetries(IInvocationOperation registration, bool registered)
    {
        var any = false;
        foreach (var argument in registration.Arguments)
        {
            var value = ValueOrigins.Unwrap(argument.Value);
            if (value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation factory })
            {
                foreach (var returned in factory.Body.Descendants().OfType<IReturnOperation>())
                {
                    if (returned.ReturnedValue is null || OwningLambda(returned) != factory)
                    {
                        continue;
                    }

                    if (!ConnectorRetries(returned.ReturnedValue, Depth - 1, registered))
                    {
                        return false;
                    }

                    any = true;
                }
            }
            else if (IsChatCompletionService(value.Type) || IsTextGenerationService(value.Type))
            {
                if (!ConnectorRetries(value, Depth - 1, registered))
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }

    private static IAnonymousFunctionOperation? OwningLambda(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda;
                case ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// An OpenAI or Azure OpenAI connector's service created directly and given no HttpClient
    /// (<c>new OpenAIChatCompletionService(model, apiKey)</c>): it builds its client with the SDK's default options, retry
    /// on. Only a given HttpClient (which the kernel builder and service registrations always pass) turns it off.
    /// </summary>
    private bool KeepsSdkRetry(IObjectCreationOperation creation)
    {
        if (creation.Type is not { } type || !KnownTypes.IsIn(Types.NamespaceName(type), "Microsoft.SemanticKernel.Connectors")
            || type.Name is not ("OpenAIChatCompletionService" or "AzureOpenAIChatCompletionService"))
        {
            return false;
        }

        var httpClient = creation.Arguments.FirstOrDefault(a => a.Parameter?.Type.Name == "HttpClient");
        return httpClient is null || httpClient.ArgumentKind == ArgumentKind.DefaultValue
               || ValueOrigins.Unwrap(httpClient.Value) is { ConstantValue: { HasValue: true, Value: null } };
    }

    private static bool TakesApplicationClient(IEnumerable<IArgumentOperation> arguments)
        => arguments.Any(a => IsOpenAIClient(a.Parameter?.Type));

    /// <summary><c>OpenAI.OpenAIClient</c> or a type deriving from it (<c>AzureOpenAIClient</c>): clients with the SDK's retry on.</summary>
    private static bool IsOpenAIClient(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "OpenAIClient" && current.ContainingNamespace is { Name: "OpenAI", ContainingNamespace.IsGlobalNamespace: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Semantic Kernel's <c>IChatCompletionService</c> or a type implementing it.</summary>
    internal static bool IsChatCompletionService(ITypeSymbol? type)
        => type is not null
           && ((type.Name == "IChatCompletionService" && type.ContainingNamespace?.Name == "ChatCompletion")
               || type.AllInterfaces.Any(i => i.Name == "IChatCompletionService" && i.ContainingNamespace?.Name == "ChatCompletion"));

    private bool IsKernelBuilder(ITypeSymbol? type)
        => type is not null && (type.Name == "IKernelBuilder" || type.AllInterfaces.Any(i => i.Name == "IKernelBuilder"))
           && KnownTypes.IsIn(Types.NamespaceName(type), "Microsoft.SemanticKernel");

    /// <summary>
    /// True when the kernel function <paramref name="function"/> runs in process, as far as the code shows: a function
    /// of a plugin imported from a type declared in the compilation, taken by its name (<c>plugin["Add"]</c>,
    /// <c>plugin[nameof(MathPlugin.Add)]</c>, <c>kernel.Plugins["Math"]["Add"]</c>, <c>kernel.Plugins.GetFunction("Math", "Add")</c>).
    /// </summary>
    public bool RunsInProcess(IOperation? function)
        => function is not null && _origins.AllValues(function, value => ValueOrigins.Unwrap(value) switch
        {
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } plugin } => IsInProcessPlugin(plugin, Depth),
            IInvocationOperation { TargetMethod.Name: "GetFunction" } lookup => lookup.Arguments.Length >= 2 && IsInProcessPluginName(PluginNameArgument(lookup)),
            _ => false,
        });

    /// <summary>
    /// A prompt function taken from a plugin imported from a prompt directory (<c>kernel.Plugins["FunPlugin"]["Excuses"]</c>
    /// after <c>ImportPluginFromPromptDirectory(".../FunPlugin")</c>): it calls the model.
    /// </summary>
    private bool IsPromptPluginFunction(IOperation function)
        => _origins.AllValues(function, value => ValueOrigins.Unwrap(value) switch
        {
            IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } plugin } => IsPromptPlugin(ValueOrigins.Unwrap(plugin)),
            _ => false,
        });

    private bool IsPromptPlugin(IOperation plugin)
    {
        if (plugin is IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } byName)
        {
            return PluginKindOf(byName.Arguments[0].Value) == PluginKind.Prompts;
        }

        return _origins.AllValues(plugin, value => ValueOrigins.Unwrap(value) is IInvocationOperation import && PromptPluginImports.Contains(import.TargetMethod.Name));
    }

    /// <summary><c>kernel.InvokeAsync("Math", "Add")</c>: the plugin is named, and every plugin of that name is imported from a source type.</summary>
    public bool InvokesInProcessPluginByName(IInvocationOperation invocation)
        => invocation.TargetMethod.Parameters.FirstOrDefault() is { Type.SpecialType: SpecialType.System_String }
           && IsInProcessPluginName(invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value);

    private bool IsInProcessPlugin(IOperation plugin, int depth)
    {
        plugin = ValueOrigins.Unwrap(plugin);
        if (plugin is IPropertyReferenceOperation { Property.IsIndexer: true } byName)
        {
            // kernel.Plugins["Math"]
            return byName.Arguments.Length == 1 && IsInProcessPluginName(byName.Arguments[0].Value);
        }

        return depth > 0 && _origins.AllValues(plugin, value => ValueOrigins.Unwrap(value) switch
        {
            IInvocationOperation import when TypePluginImports.Contains(import.TargetMethod.Name) => ImportedType(import) is { } type && IsSource(type),
            ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false } => IsInProcessPlugin(value, depth - 1),
            _ => false,
        });
    }

    private static IOperation? PluginNameArgument(IInvocationOperation lookup)
        => lookup.Arguments.FirstOrDefault(a => a.Parameter?.Name == "pluginName")?.Value;

    private bool IsInProcessPluginName(IOperation? name) => PluginKindOf(name) == PluginKind.InProcess;

    private PluginKind PluginKindOf(IOperation? name)
        => name?.ConstantValue is { HasValue: true, Value: string text } ? _pluginKinds.GetOrAdd(text, PluginKindNamed) : PluginKind.Other;

    /// <summary>
    /// What every import of the plugin named <paramref name="name"/> in the compilation adds (<see cref="PluginKind.Other"/>
    /// when none does). Only the imports that may give that name, by their syntax, are bound (<see cref="ImportsThatMayName"/>),
    /// those adding other functions than a type's first: one of them settles the answer. A large code base imports
    /// hundreds of plugins, and binding one out of the driver's order binds its whole member.
    /// </summary>
    private PluginKind PluginKindNamed(string name)
    {
        PluginKind? kind = null;
        foreach (var syntax in ImportsThatMayName(name).OrderBy(i => TypePluginImports.Contains(ValueOrigins.CalledName(i)?.Identifier.ValueText ?? "") ? 1 : 0))
        {
            if (_imports.GetOrAdd(syntax, ImportedPlugin) is not { } import || import.Name != name)
            {
                continue;
            }

            kind = kind is null || kind == import.Kind ? import.Kind : PluginKind.Other;
            if (kind == PluginKind.Other)
            {
                break;
            }
        }

        return kind ?? PluginKind.Other;
    }

    /// <summary>
    /// The compilation's plugin imports that may give their plugin the name <paramref name="name"/>, by their syntax, in
    /// the compilation's order: a string (the name, or a prompt directory's path ending in it) or an identifier (a type,
    /// <c>nameof</c>) spells it, or the syntax does not show the name (<see cref="NameUnread"/>).
    /// </summary>
    internal IEnumerable<InvocationExpressionSyntax> ImportsThatMayName(string name)
    {
        var index = _importIndex.Value;
        var spelled = index.BySpelledName.TryGetValue(name, out var found) ? found : new List<int>();
        int s = 0, u = 0;
        while (s < spelled.Count || u < index.Unread.Count)
        {
            var next = u >= index.Unread.Count || (s < spelled.Count && spelled[s] < index.Unread[u]) ? spelled[s++] : index.Unread[u++];
            yield return index.Imports[next];
            while (s < spelled.Count && spelled[s] == next)
            {
                s++;
            }

            while (u < index.Unread.Count && index.Unread[u] == next)
            {
                u++;
            }
        }
    }

    /// <summary>The compilation's plugin imports, by the names their syntax spells; apart, those whose name it may not show.</summary>
    private sealed class ImportIndex
    {
        public ImmutableArray<InvocationExpressionSyntax> Imports { get; set; }

        public Dictionary<string, List<int>> BySpelledName { get; } = new(StringComparer.Ordinal);

        public List<int> Unread { get; } = new();
    }

    private ImportIndex BuildImportIndex()
    {
        var index = new ImportIndex { Imports = _origins.InvocationSyntaxNamed(AllPluginImports) };
        for (var i = 0; i < index.Imports.Length; i++)
        {
            var import = index.Imports[i];
            var unread = NameUnread(import, out var localTypeName);
            if (localTypeName is not null)
            {
                unread |= _typeSyntax.IsAlias(localTypeName);
                if (!index.BySpelledName.TryGetValue(localTypeName, out var typed))
                {
                    index.BySpelledName[localTypeName] = typed = new List<int>();
                }

                typed.Add(i);
            }

            foreach (var token in (ValueOrigins.CalledName(import) is GenericNameSyntax generic ? generic.TypeArgumentList.DescendantTokens() : Enumerable.Empty<SyntaxToken>())
                         .Concat(import.ArgumentList.DescendantTokens()))
            {
                string spelled;
                switch (token.RawKind)
                {
                    case (int)SyntaxKind.IdentifierToken:
                        spelled = token.ValueText;
                        unread |= _typeSyntax.IsAlias(spelled);
                        break;
                    case (int)SyntaxKind.StringLiteralToken:
                    case (int)SyntaxKind.SingleLineRawStringLiteralToken:
                    case (int)SyntaxKind.MultiLineRawStringLiteralToken:
                        var text = token.ValueText.TrimEnd(PathSeparators);
                        spelled = text.Substring(text.LastIndexOfAny(PathSeparators) + 1);
                        break;
                    default:
                        continue;
                }

                if (!index.BySpelledName.TryGetValue(spelled, out var imports))
                {
                    index.BySpelledName[spelled] = imports = new List<int>();
                }

                if (imports.Count == 0 || imports[imports.Count - 1] != i)
                {
                    imports.Add(i);
                }
            }

            if (unread)
            {
                index.Unread.Add(i);
            }
        }

        return index;
    }

    /// <summary>
    /// An import whose plugin name the syntax may not show: a constant declared elsewhere (<c>pluginName: PluginName</c>),
    /// or the object a plugin is imported from, whose type names it (<c>this</c>, a variable, a call's result). Only a
    /// constant gives a plugin its name (<see cref="ImportedPlugin"/>).
    /// </summary>
    private bool NameUnread(InvocationExpressionSyntax import, out string? localTypeName)
    {
        localTypeName = null;
        var arguments = import.ArgumentList.Arguments;
        if (ValueOrigins.CalledName(import) is not { } called)
        {
            return true;
        }

        if (called.Identifier.ValueText.EndsWith("FromObject", StringComparison.Ordinal) && arguments.Count > 0
            && (arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == "target") ?? arguments[0]).Expression is { } target
            && target is not ObjectCreationExpressionSyntax)
        {
            // ImportPluginFromObject(plugin): the static type of the object names it. A local declared in the same
            // member with a type, or with var and new T(...), and never assigned again shows it; anything else does not.
            localTypeName = target is IdentifierNameSyntax local ? LocalTypeName(local) : null;
            if (localTypeName is null)
            {
                return true;
            }
        }

        return arguments.Any(argument => MayBeConstant(argument.Expression));
    }

    /// <summary>
    /// The simple name of the type <paramref name="local"/> is declared with, read from its member: its one declaration
    /// there names the type (<c>MathPlugin plugin = ...</c>) or creates it (<c>var plugin = new MathPlugin()</c>), and the
    /// member never assigns it again (nor passes it by <c>ref</c> or <c>out</c>). Null otherwise (a parameter, a field,
    /// a pattern variable, several declarations of the name).
    /// </summary>
    private static string? LocalTypeName(IdentifierNameSyntax local)
    {
        var name = local.Identifier.ValueText;
        SyntaxNode scope = local.FirstAncestorOrSelf<MemberDeclarationSyntax>(m => m is not GlobalStatementSyntax) ?? (SyntaxNode)local.SyntaxTree.GetRoot();
        string? typeName = null;
        var declarations = 0;
        foreach (var node in scope.DescendantNodes())
        {
            switch (node)
            {
                case VariableDeclaratorSyntax declarator when declarator.Identifier.ValueText == name:
                    declarations++;
                    if (declarator.Parent is not VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax or UsingStatementSyntax } declaration)
                    {
                        return null;
                    }

                    typeName = declaration.Type.IsVar
                        ? (declarator.Initializer?.Value as ObjectCreationExpressionSyntax)?.Type is { } created ? TypeSyntaxFilter.RightmostName(created) : null
                        : TypeSyntaxFilter.RightmostName(declaration.Type);
                    break;
                case SingleVariableDesignationSyntax designation when designation.Identifier.ValueText == name:
                case ParameterSyntax parameter when parameter.Identifier.ValueText == name:
                case ForEachStatementSyntax loop when loop.Identifier.ValueText == name:
                case CatchDeclarationSyntax caught when caught.Identifier.ValueText == name:
                    return null;
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax assigned } when assigned.Identifier.ValueText == name:
                case AssignmentExpressionSyntax { Left: TupleExpressionSyntax or DeclarationExpressionSyntax } deconstruction
                    when deconstruction.Left.DescendantTokens().Any(t => t.ValueText == name):
                    return null;
                case ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None, Expression: IdentifierNameSyntax passed } when passed.Identifier.ValueText == name:
                    return null;
            }
        }

        return declarations == 1 ? typeName : null;
    }

    private static readonly char[] PathSeparators = { '/', '\\' };

    /// <summary>
    /// An expression that may be a constant string the syntax does not spell: a name or member that some constant of
    /// the compilation is declared with (a local constant only in the member declaring it), an operator or a call
    /// (<c>Path.Combine</c>) over such values.
    /// </summary>
    private bool MayBeConstant(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => _constantNames.Value.Fields.Contains(identifier.Identifier.ValueText)
                                           || (_constantNames.Value.Locals.Contains(identifier.Identifier.ValueText) && DeclaresLocalConstant(identifier)),
        MemberAccessExpressionSyntax access => _constantNames.Value.Fields.Contains(access.Name.Identifier.ValueText),
        BinaryExpressionSyntax binary => MayBeConstant(binary.Left) || MayBeConstant(binary.Right),
        ConditionalExpressionSyntax conditional => MayBeConstant(conditional.WhenTrue) || MayBeConstant(conditional.WhenFalse),
        ParenthesizedExpressionSyntax parenthesized => MayBeConstant(parenthesized.Expression),
        CastExpressionSyntax cast => MayBeConstant(cast.Expression),
        InterpolatedStringExpressionSyntax interpolated => interpolated.Contents.OfType<InterpolationSyntax>().Any(i => MayBeConstant(i.Expression)),
        InvocationExpressionSyntax call => call.ArgumentList.Arguments.Any(a => MayBeConstant(a.Expression)),
        _ => false,
    };

    /// <summary>The member (or top-level code) holding <paramref name="identifier"/> declares a local constant of its name.</summary>
    private static bool DeclaresLocalConstant(IdentifierNameSyntax identifier)
    {
        SyntaxNode scope = identifier.FirstAncestorOrSelf<MemberDeclarationSyntax>(m => m is not GlobalStatementSyntax) ?? (SyntaxNode)identifier.SyntaxTree.GetRoot();
        return scope.DescendantNodes().OfType<LocalDeclarationStatementSyntax>()
            .Any(local => local.IsConst && local.Declaration.Variables.Any(v => v.Identifier.ValueText == identifier.Identifier.ValueText));
    }

    /// <summary>The names the compilation declares constants with (<c>const string PluginName = "Math";</c>): fields, and locals apart.</summary>
    private sealed class ConstantNames
    {
        public HashSet<string> Fields { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Locals { get; } = new(StringComparer.Ordinal);

        public void Add(SyntaxNode? node)
        {
            var (declaration, names) = node switch
            {
                FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.ConstKeyword) => (field.Declaration, Fields),
                LocalDeclarationStatementSyntax local when local.IsConst => (local.Declaration, Locals),
                _ => (null, Fields),
            };

            if (declaration is null)
            {
                return;
            }

            foreach (var variable in declaration.Variables)
            {
                names.Add(variable.Identifier.ValueText);
            }
        }
    }

    private ConstantNames FindConstantNames()
    {
        var names = new ConstantNames();
        foreach (var tree in _origins.Trees)
        {
            var text = tree.GetText().ToString();
            var root = tree.GetRoot();
            if (IdentifierSearch.HasEscapes(text))
            {
                // An escaped keyword or name: read every declaration.
                foreach (var node in root.DescendantNodes())
                {
                    names.Add(node);
                }

                continue;
            }

            for (var index = text.IndexOf("const", StringComparison.Ordinal); index >= 0; index = text.IndexOf("const", index + 5, StringComparison.Ordinal))
            {
                var token = root.FindToken(index);
                if (token.IsKind(SyntaxKind.ConstKeyword) && token.SpanStart == index)
                {
                    names.Add(token.Parent);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// The name a plugin import gives and what it adds; null for an import that is not Semantic Kernel's, or whose name
    /// the code does not show.
    /// </summary>
    internal (string Name, PluginKind Kind)? ImportedPlugin(InvocationExpressionSyntax syntax)
    {
        if (_origins.BindInvocation(syntax) is not { } import)
        {
            return null;
        }

        var declaring = (import.TargetMethod.ReducedFrom ?? import.TargetMethod).ContainingType;
        if (declaring is null || !KnownTypes.IsIn(Types.NamespaceName(declaring), "Microsoft.SemanticKernel"))
        {
            return null;
        }

        var type = TypePluginImports.Contains(import.TargetMethod.Name) ? ImportedType(import) : null;
        var nameArgument = import.Arguments.FirstOrDefault(a => a.Parameter?.Name == "pluginName");
        var isPrompts = PromptPluginImports.Contains(import.TargetMethod.Name);
        string? name = nameArgument is { ArgumentKind: not ArgumentKind.DefaultValue, Value.ConstantValue: { HasValue: true, Value: string given } }
            ? given
            : nameArgument is null or { ArgumentKind: ArgumentKind.DefaultValue } && type is not null ? type.Name
            : isPrompts ? DirectoryName(import) : null;
        if (name is null)
        {
            return null;
        }

        return (name, type is not null && IsSource(type) ? PluginKind.InProcess : isPrompts ? PluginKind.Prompts : PluginKind.Other);
    }

    /// <summary>
    /// A prompt directory plugin's default name, the directory's name, when the path is a constant or
    /// <c>Path.Combine(..., "FunPlugin")</c> ending in one.
    /// </summary>
    private static string? DirectoryName(IInvocationOperation import)
    {
        var directory = import.Arguments.FirstOrDefault(a => a.Parameter?.Name == "pluginDirectory")?.Value;
        if (directory is null)
        {
            return null;
        }

        directory = ValueOrigins.Unwrap(directory);
        if (directory is IInvocationOperation { TargetMethod.Name: "Combine", Arguments.Length: > 0 } combine)
        {
            directory = ValueOrigins.Unwrap(combine.Arguments[combine.Arguments.Length - 1].Value);
            if (directory is IArrayCreationOperation { Initializer.ElementValues: { Length: > 0 } parts })
            {
                directory = parts[parts.Length - 1];
            }
        }

        return directory.ConstantValue is { HasValue: true, Value: string path }
            ? path.TrimEnd('/', '\\').Split('/', '\\').Last()
            : null;
    }

    /// <summary>The type a plugin is imported from: the type argument, <c>typeof(T)</c>, or the object's type.</summary>
    private static ITypeSymbol? ImportedType(IInvocationOperation import)
    {
        if (import.TargetMethod.TypeArguments.Length == 1 && import.TargetMethod.TypeArguments[0] is { TypeKind: not TypeKind.TypeParameter } typeArgument)
        {
            return typeArgument;
        }

        foreach (var argument in import.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "instanceType" when ValueOrigins.Unwrap(argument.Value) is ITypeOfOperation typeOf:
                    return typeOf.TypeOperand;
                case "target" when ValueOrigins.Unwrap(argument.Value).Type is { SpecialType: not SpecialType.System_Object } objectType:
                    return objectType;
            }
        }

        return null;
    }

    private static bool IsSource(ITypeSymbol type) => type is INamedTypeSymbol { DeclaringSyntaxReferences.Length: > 0 };

    /// <summary>A prompt function created in view (<c>kernel.CreateFunctionFromPrompt(...)</c>, <c>KernelFunctionFactory.CreateFromPrompt(...)</c>): it calls the model.</summary>
    public bool IsPromptFunction(IOperation? function)
        => function is not null
           && (_origins.AllValues(function, value => ValueOrigins.Unwrap(value) is IInvocationOperation { TargetMethod: { } factory }
                   && PromptFunctionFactories.Contains(factory.Name)
                   && (factory.ReducedFrom ?? factory).ContainingType is { } declaring
                   && KnownTypes.IsIn(Types.NamespaceName(declaring), "Microsoft.SemanticKernel"))
               || IsPromptPluginFunction(function));

    /// <summary>
    /// True when a function invocation filter of the kernel <paramref name="kernel"/> retries: the kernel is built by a
    /// builder local whose services register an <c>IFunctionInvocationFilter</c> of the compilation
    /// (<c>builder.Services.AddSingleton&lt;IFunctionInvocationFilter&gt;(new RetryFilter(...))</c>), or the kernel local
    /// is given one (<c>kernel.FunctionInvocationFilters.Add(new RetryFilter())</c>), whose code calls its <c>next</c>
    /// delegate again in a catch or in a loop's try (<see cref="RetryingFilter"/>). Such a filter runs around every
    /// function the kernel invokes, prompt functions (<c>InvokePromptAsync</c>) included, and invokes it again when it fails.
    /// Auto function invocation and prompt render filters are not: their <c>next</c> runs a tool call or renders a prompt,
    /// not the model call.
    /// </summary>
    public bool FiltersRetry(IOperation? kernel)
    {
        if (kernel is null)
        {
            return false;
        }

        kernel = ValueOrigins.Unwrap(kernel);
        if (!KnownTypes.IsOrDerivesFrom(kernel.Type, Types.Kernel))
        {
            return false;
        }

        if (kernel is ILocalReferenceOperation local && AddsRetryingFilter(local, onKernel: true))
        {
            return true;
        }

        return _origins.AllValues(kernel, value => ValueOrigins.Unwrap(value) is IInvocationOperation { TargetMethod.Name: "Build" } build
                                                   && IsKernelBuilder(OutboundCalls.Receiver(build)?.Type)
                                                   && OutboundCalls.Receiver(build) is ILocalReferenceOperation builder
                                                   && AddsRetryingFilter(builder, onKernel: false));
    }

    /// <summary>
    /// In the method holding <paramref name="local"/>: <c>local.FunctionInvocationFilters.Add(filter)</c> (a kernel), or
    /// <c>local.Services.Add...&lt;IFunctionInvocationFilter&gt;(...)</c> (a builder), with a retrying filter.
    /// </summary>
    private bool AddsRetryingFilter(ILocalReferenceOperation local, bool onKernel)
    {
        var root = (IOperation)local;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var invocation in root.Descendants().OfType<IInvocationOperation>())
        {
            var name = invocation.TargetMethod.Name;
            if (onKernel ? name != "Add" : !ServiceRegistrations.Contains(name))
            {
                continue;
            }

            var target = OutboundCalls.Receiver(invocation);
            var property = onKernel ? "FunctionInvocationFilters" : "Services";
            if (target is not IPropertyReferenceOperation { Instance: { } instance } reference || reference.Property.Name != property
                || ValueOrigins.Unwrap(instance) is not ILocalReferenceOperation owner || !SymbolEqualityComparer.Default.Equals(owner.Local, local.Local))
            {
                continue;
            }

            if (onKernel)
            {
                if (invocation.Arguments.Any(a => RetryingFilter(ValueOrigins.Unwrap(a.Value).Type)))
                {
                    return true;
                }

                continue;
            }

            var typeArguments = invocation.TargetMethod.TypeArguments;
            if (typeArguments.Length == 0 || !IsFunctionInvocationFilter(typeArguments[0]))
            {
                continue;
            }

            // AddSingleton<IFunctionInvocationFilter, RetryFilter>(), AddSingleton<IFunctionInvocationFilter>(new RetryFilter()).
            if ((typeArguments.Length > 1 && RetryingFilter(typeArguments[1]))
                || invocation.Arguments.Any(a => RetryingFilter(ValueOrigins.Unwrap(a.Value).Type)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFunctionInvocationFilter(ITypeSymbol? type)
        => type is not null && (type.Name == "IFunctionInvocationFilter" || type.AllInterfaces.Any(i => i.Name == "IFunctionInvocationFilter"))
           && type.ContainingNamespace is not null;

    /// <summary>
    /// A function invocation filter of the compilation whose code calls its <c>next</c> delegate (a parameter typed
    /// <c>Func&lt;FunctionInvocationContext, Task&gt;</c>, in its <c>OnFunctionInvocationAsync</c> or a helper it hands it to)
    /// inside a catch, or inside the try of a try in a loop: it invokes the function again when it fails
    /// (Semantic Kernel's RetryWithFilters sample). Read from the type's syntax once, cached.
    /// </summary>
    private bool RetryingFilter(ITypeSymbol? type)
        => type is INamedTypeSymbol { DeclaringSyntaxReferences.Length: > 0 } named && IsFunctionInvocationFilter(named)
           && _retryingFilters.GetOrAdd(named.OriginalDefinition, CallsNextAgain);

    private static bool CallsNextAgain(INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var method in reference.GetSyntax().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var nextNames = method.ParameterList.Parameters
                    .Where(p => IsNextDelegate(p.Type))
                    .Select(p => p.Identifier.ValueText)
                    .ToList();
                if (nextNames.Count == 0 || method.Body is null && method.ExpressionBody is null)
                {
                    continue;
                }

                foreach (var invocation in method.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (invocation.Expression is IdentifierNameSyntax { Identifier.ValueText: { } called } && nextNames.Contains(called)
                        && RunsAgainOnFailure(invocation))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary><c>Func&lt;FunctionInvocationContext, Task&gt;</c>, as written.</summary>
    private static bool IsNextDelegate(TypeSyntax? type)
        => type is GenericNameSyntax { Identifier.ValueText: "Func", TypeArgumentList.Arguments: { Count: 2 } arguments }
           && arguments[0] switch
           {
               IdentifierNameSyntax name => name.Identifier.ValueText,
               QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
               _ => null,
           } == "FunctionInvocationContext";

    /// <summary>In a catch, or in the try block of a try statement inside a loop, within its own method.</summary>
    private static bool RunsAgainOnFailure(SyntaxNode call)
    {
        var inTry = false;
        for (var current = call.Parent; current is not null and not MemberDeclarationSyntax and not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax; current = current.Parent)
        {
            switch (current)
            {
                case CatchClauseSyntax:
                    return true;
                case BlockSyntax { Parent: TryStatementSyntax }:
                    inTry = true;
                    break;
                case WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax when inTry:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="call"/> invokes the kernel function <paramref name="function"/> from inside a delegate
    /// that becomes a kernel function itself (<c>KernelFunctionFactory.CreateFromMethod(lambda, ...)</c>,
    /// <c>kernel.CreateFunctionFromMethod(lambda)</c>, directly or through a local), and the function invoked is one
    /// the delegate captured (<c>(kernel, arguments) =&gt; function.InvokeAsync(kernel, arguments)</c>): a wrapper
    /// forwarding to the function it wraps, plumbing like a decorator. The retry belongs to whoever invokes the wrapper.
    /// </summary>
    public bool ForwardsToWrappedFunction(IInvocationOperation call, IOperation? function)
    {
        if (function is null)
        {
            return false;
        }

        IAnonymousFunctionOperation? lambda = null;
        for (var current = call.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation found)
            {
                lambda = found;
                break;
            }

            if (current is ILocalFunctionOperation)
            {
                return false;
            }
        }

        if (lambda is null || !IsCaptured(ValueOrigins.Unwrap(function), lambda) || !KnownTypes.IsOrDerivesFrom(function.Type, Types.KernelFunction))
        {
            return false;
        }

        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IArgumentOperation { Parent: IInvocationOperation taker }:
                return IsMethodFunctionFactory(taker);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { } local } }:
                // var method = (Kernel kernel, ...) => function.InvokeAsync(kernel, ...); KernelFunctionFactory.CreateFromMethod(method, options)
                var root = (IOperation)lambda;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                return root.Descendants().OfType<ILocalReferenceOperation>().Any(reference =>
                    SymbolEqualityComparer.Default.Equals(reference.Local, local)
                    && reference.Parent is { } use
                    && (use is IArgumentOperation ? use : use.Parent) is IArgumentOperation { Parent: IInvocationOperation taker }
                    && IsMethodFunctionFactory(taker));
            default:
                return false;
        }
    }

    private bool IsMethodFunctionFactory(IInvocationOperation invocation)
        => MethodFunctionFactories.Contains(invocation.TargetMethod.Name)
           && (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).ContainingType is { } declaring
           && KnownTypes.IsIn(Types.NamespaceName(declaring), "Microsoft.SemanticKernel");

    /// <summary>
    /// A parameter, local or member the lambda reads from outside itself, or an element or member of one
    /// (<c>functions[i]</c>, <c>steps[i].Function</c>).
    /// </summary>
    private static bool IsCaptured(IOperation value, IAnonymousFunctionOperation lambda)
    {
        switch (value)
        {
            case IParameterReferenceOperation parameter:
                return !SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, lambda.Symbol);
            case ILocalReferenceOperation local:
                return local.Local.DeclaringSyntaxReferences.All(r => !lambda.Syntax.Span.Contains(r.Span) || r.SyntaxTree != lambda.Syntax.SyntaxTree);
            case IArrayElementReferenceOperation element:
                return IsCaptured(ValueOrigins.Unwrap(element.ArrayReference), lambda);
            case IMemberReferenceOperation { Instance: null or IInstanceReferenceOperation } and (IFieldReferenceOperation or IPropertyReferenceOperation):
                return true;
            case IMemberReferenceOperation { Instance: { } instance } and (IFieldReferenceOperation or IPropertyReferenceOperation):
                return IsCaptured(ValueOrigins.Unwrap(instance), lambda);
            default:
                return false;
        }
    }
}
