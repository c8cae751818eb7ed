namespace LlmRouter;

/// <summary>Azure OpenAI expects its key in an <c>api-key</c> header; the OpenAI SDK sends it as a bearer token.</summary>
internal sealed class AzureApiKeyHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: { Length: > 0 } key })
        {
            request.Headers.Authorization = null;
            request.Headers.Remove("api-key");
            request.Headers.TryAddWithoutValidation("api-key", key);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
