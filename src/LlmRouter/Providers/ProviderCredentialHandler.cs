using System.Net.Http.Headers;

namespace LlmRouter;

/// <summary>
/// Puts the provider's API key on each request as the last step before the socket: as an <c>api-key</c> header for Azure
/// OpenAI, as a bearer token for the other kinds, and not at all for a provider configured without a key (Ollama, vLLM).
/// </summary>
/// <remarks>
/// The OpenAI SDK is given a placeholder credential, so the real key is never in a request while the HTTP client
/// factory's loggers see it: they log request headers at Trace level, and their structured state carries the values
/// unredacted. The key is read from the provider's current settings on each request, so a rotated key applies to the
/// next request. Thread-safe.
/// </remarks>
internal sealed class ProviderCredentialHandler : DelegatingHandler
{
    /// <summary>What the OpenAI SDK sends as the key; replaced or removed here.</summary>
    public const string Placeholder = "llmrouter-credential-placeholder";

    private readonly ProviderSettings _settings;
    private readonly string _provider;

    public ProviderCredentialHandler(ProviderSettings settings, string provider, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        _settings = settings;
        _provider = provider;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorize(request);
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorize(request);
        return base.Send(request, cancellationToken);
    }

    private void Authorize(HttpRequestMessage request)
    {
        ProviderOptions options = _settings.Get(_provider);
        request.Headers.Authorization = null;
        request.Headers.Remove("api-key");
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            return;
        }

        if (options.Kind == ProviderKind.AzureOpenAI)
        {
            request.Headers.TryAddWithoutValidation("api-key", options.ApiKey);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        }
    }
}
