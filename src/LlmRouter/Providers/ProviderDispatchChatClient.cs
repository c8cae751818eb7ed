using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// The innermost client of the router: sends each attempt to the provider client of the deployment the routing
/// layer chose for it.
/// </summary>
/// <remarks>
/// It is the inner client of the pipeline <see cref="LlmRouterChatClientBuilderExtensions.UseLlmRouter"/> builds when the
/// router is registered with <c>AddLlmRouter</c>, which registers this client too: resolve it from the services to build
/// a pipeline of your own. Middleware placed between the router's layers and this client (for example
/// <c>UseOpenTelemetry()</c>) sees every attempt separately. Thread-safe.
/// </remarks>
public sealed class ProviderDispatchChatClient : IChatClient
{
    internal ProviderDispatchChatClient()
    {
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Target(options).GetResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Target(options).GetStreamingResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // The provider clients belong to the routing tables, not to the dispatcher.
    }

    private static IChatClient Target(ChatOptions? options) =>
        (options as RouterChatOptions)?.Route.CurrentDeployment?.Client ??
        throw new InvalidOperationException("ProviderDispatchChatClient must be the inner client of LlmRouter's routing layer (UseLlmRouter or UseModelRouting).");
}
