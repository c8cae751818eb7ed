using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LlmRouter;

/// <summary>
/// Tunes the named <see cref="HttpClient"/> of each HTTP provider for LLM calls: no client-wide timeout (generations are
/// long and streams are bounded by the router's own idle and total timeouts), a per-attempt timeout from
/// <see cref="ProviderOptions.Timeout"/>, and retries only of connections that could not be opened — a POST that may
/// have reached the provider, and so may be billed, is never sent again. The SDK's own retries are off, so retry
/// layers never multiply; moving on after a 429 or 5xx is the fallback layer's job. Timeouts and back-off run on the
/// router's <see cref="TimeProvider"/>, like every other time LlmRouter keeps. The API key is put on each request by
/// <see cref="ProviderCredentialHandler"/>, below the factory's loggers.
/// </summary>
internal sealed class ProviderHttpClientSetup : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    private readonly IServiceProvider _services;

    public ProviderHttpClientSetup(IServiceProvider services) => _services = services;

    public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, HttpClientFactoryOptions options)
    {
        if (name is null || !name.StartsWith(ProviderHttpClients.Prefix, StringComparison.Ordinal))
        {
            return;
        }

        string provider = name[ProviderHttpClients.Prefix.Length..];
        options.HttpClientActions.Add(client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan);
        options.HttpMessageHandlerBuilderActions.Add(builder =>
        {
            ProviderSettings all = AllSettings();
            ProviderOptions settings = all.Get(provider);
            var sockets = new SocketsHttpHandler
            {
                ConnectTimeout = settings.ConnectTimeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };

            // Below every handler the factory adds, its loggers included: they never see the key.
            builder.PrimaryHandler = new ProviderCredentialHandler(all, provider, sockets);
            builder.AdditionalHandlers.Insert(0, new ResilienceHandler(CreatePipeline(settings, RouterServices.Time(_services))));
        });
    }

    /// <summary>Creates the pipeline: connection retries with back-off and the per-attempt timeout, both on the router's clock.</summary>
    internal static ResiliencePipeline<HttpResponseMessage> CreatePipeline(ProviderOptions settings, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (settings.ConnectRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.ConnectRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                UseJitter = true,
                ShouldHandle = static args => ValueTask.FromResult(NeverReachedProvider(args.Outcome.Exception)),
            });
        }

        return builder.AddTimeout(new TimeoutStrategyOptions { Timeout = settings.Timeout }).Build();
    }

    /// <summary>Gets whether the request provably never reached the provider: the connection was never established.</summary>
    internal static bool NeverReachedProvider(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    // Resolved lazily: the HTTP client factory depends on this setup, and the settings' owner depends on the factory.
    private ProviderSettings AllSettings() => (ProviderSettings)_services.GetService(typeof(ProviderSettings))!;
}
