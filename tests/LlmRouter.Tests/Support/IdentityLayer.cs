using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Support;

/// <summary>
/// Stands in for the key-policy layer (built on another branch): it puts the caller's identity and PII findings on the
/// route, as that layer will, so the audit record can be specified now.
/// </summary>
internal sealed class IdentityLayer(IChatClient inner, string key, string tenant, string user, string[] tags, IReadOnlyDictionary<string, int>? pii = null) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Stamp(options);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Stamp(options);
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private void Stamp(ChatOptions? options)
    {
        RouteInfo route = ((RouterChatOptions)options!).Route;
        route.Key = key;
        route.Tenant = tenant;
        route.User = user;
        route.Tags = tags;
        route.PiiFindings = pii;
    }
}
