using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmRouter;

/// <summary>Creates the <see cref="IChatClient"/> of each configured provider.</summary>
internal sealed class ProviderClientFactory
{
    /// <summary>The model the OpenAI SDK's chat client is created with; every request overrides it with the deployment's model id.</summary>
    private const string PlaceholderModel = "llmrouter-deployment-model";

    private readonly IServiceProvider _services;
    private readonly RouterRegistrations _registrations;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly ProviderSettings _settings;
    private readonly ConcurrentDictionary<string, IChatClient> _custom = new(StringComparer.Ordinal);

    public ProviderClientFactory(IServiceProvider services, RouterRegistrations registrations, IHttpClientFactory httpClients, ProviderSettings settings, TimeProvider timeProvider)
    {
        _settings = settings;
        _services = services;
        _registrations = registrations;
        _httpClients = httpClients;
        _time = timeProvider;
    }

    /// <summary>Creates the client of a provider for the routing table of the given version.</summary>
    public IChatClient Create(string name, ProviderOptions options, long version) => options.Kind switch
    {
        ProviderKind.Custom => _custom.GetOrAdd(name, static (n, self) => self._registrations.Providers[n](self._services), this),
        ProviderKind.Simulated => new SimulatedChatClient(options, _time, name),
        _ => CreateOpenAI(name, options, version),
    };

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

        // Servers like Ollama or vLLM need no key, but the SDK needs a credential; theirs ignore it.
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey);
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
