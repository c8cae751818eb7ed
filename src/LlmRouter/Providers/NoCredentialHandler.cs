namespace LlmRouter;

/// <summary>
/// For a provider configured without an API key (Ollama, vLLM, LM Studio): the OpenAI SDK insists on a credential, so
/// LlmRouter gives it a placeholder, and this handler keeps that placeholder off the wire.
/// </summary>
internal sealed class NoCredentialHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = null;
        return base.SendAsync(request, cancellationToken);
    }
}
