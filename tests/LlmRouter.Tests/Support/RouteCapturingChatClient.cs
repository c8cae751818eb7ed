using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Support;

/// <summary>A provider that remembers the route of the last request it served, so a test can inspect a request that never returned its route (an abandoned stream).</summary>
internal sealed class RouteCapturingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public RouteInfo? LastRoute { get; private set; }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        LastRoute = (options as RouterChatOptions)?.Route;
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        LastRoute = (options as RouterChatOptions)?.Route;
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }
}
