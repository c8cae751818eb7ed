using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmRouter;

/// <summary>Creates the <see cref="IChatClient"/> of each configured provider, with the middleware of <see cref="LlmRouterBuilder.ConfigureProviderClients"/> on it.</summary>
internal sealed class ProviderClientFactory
{
    /// <summary>The model the OpenAI SDK's chat client is created with; every request overrides it with the deployment's model id.</summary>
    private const string PlaceholderModel = "llmrouter-deployment-model";

    private readonly IServiceProvider _services;
    private readonly RouterRegistrations _registrations;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly ProviderSettings _settings;
    private readonly ConcurrentDictionary<string, ProviderClient> _custom = new(StringComparer.Ordinal);

    public ProviderClientFactory(IServiceProvider services, RouterRegistrations registrations, IHttpClientFactory httpClients, ProviderSettings settings, TimeProvider timeProvider)
    {
        _settings = settings;
        _services = services;
        _registrations = registrations;
        _httpClients = httpClients;
        _time = timeProvider;
    }

    /// <summary>Creates the client of a provider for the routing table of the given version, with the middleware <c>ConfigureProviderClients</c> puts on every provider client.</summary>
    /// <remarks>A custom provider's client is made once and kept across reloads, with its middleware; the others are made again with each routing table.</remarks>
    public ProviderClient Create(string name, ProviderOptions options, long version) => options.Kind switch
    {
        ProviderKind.Custom => _custom.GetOrAdd(name, static (n, self) => self.Configure(n, self._registrations.Providers[n](self._services)), this),
        ProviderKind.Simulated => Configure(name, new SimulatedChatClient(options, _time, name)),
        _ => Configure(name, CreateOpenAI(name, options, version)),
    };

    private ProviderClient Configure(string name, IChatClient client)
    {
        List<Action<string, ChatClientBuilder>> pipelines = _registrations.ProviderClientPipelines;
        if (pipelines.Count == 0)
        {
            return new ProviderClient(client, client);
        }

        var builder = new ChatClientBuilder(new NamedProviderChatClient(client, name));
        foreach (Action<string, ChatClientBuilder> configure in pipelines)
        {
            configure(name, builder);
        }

        return new ProviderClient(builder.Build(_services), client);
    }

    private ResponseTimeoutChatClient CreateOpenAI(string name, ProviderOptions options, long version)
    {
        _settings.Building(version, name, options);
        var clientOptions = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(_httpClients.CreateClient(ProviderHttpClients.NameFor(name))),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = System.Threading.Timeout.InfiniteTimeSpan,
            OrganizationId = options.Organization,
            Endpoint = options.Kind switch
            {
                ProviderKind.AzureOpenAI => AzureV1Endpoint(options.Endpoint!),
                _ => options.Endpoint,
            },
        };

        // The SDK needs a credential; the real key is put on each request below the HTTP client's loggers.
        var credential = new ApiKeyCredential(ProviderCredentialHandler.Placeholder);
        IChatClient client = new OpenAIClient(credential, clientOptions).GetChatClient(PlaceholderModel).AsIChatClient();
        return new ResponseTimeoutChatClient(client, options.Timeout, _time);
    }

    /// <summary>Azure OpenAI's OpenAI-compatible API lives under <c>/openai/v1/</c> of the resource's endpoint.</summary>
    internal static Uri AzureV1Endpoint(Uri endpoint)
    {
        string path = endpoint.AbsolutePath.TrimEnd('/');
        return path.EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase)
            ? new Uri(endpoint.GetLeftPart(UriPartial.Authority) + path + "/")
            : new Uri(endpoint.GetLeftPart(UriPartial.Authority) + path + "/openai/v1/");
    }
}
