using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// Stands under the middleware of <see cref="LlmRouterBuilder.ConfigureProviderClients"/> and names the provider as it
/// is configured: its <see cref="ChatClientMetadata.ProviderName"/> is the provider's name under <c>LlmRouter:Providers</c>,
/// so that <c>UseOpenTelemetry()</c> tags each attempt's span and metrics (<c>gen_ai.provider.name</c>) with the provider
/// that was really called — two OpenAI-compatible providers are told apart.
/// </summary>
/// <remarks>Everything else passes through unchanged. Thread-safe.</remarks>
internal sealed class NamedProviderChatClient : DelegatingChatClient
{
    private readonly ChatClientMetadata _metadata;

    public NamedProviderChatClient(IChatClient innerClient, string provider)
        : base(innerClient)
    {
        var inner = innerClient.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        _metadata = new ChatClientMetadata(provider, inner?.ProviderUri, inner?.DefaultModelId);
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata : base.GetService(serviceType, serviceKey);
}
