using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// The request's own copy of the caller's options, carrying the request's <see cref="RouteInfo"/> from layer to layer.
/// The caller's instance is never modified; the routing layer sets <see cref="ChatOptions.ModelId"/> on this copy to
/// the provider's model id before each attempt.
/// </summary>
internal sealed class RouterChatOptions : ChatOptions
{
    public RouterChatOptions(ChatOptions? other, RouteInfo route)
        : base(other) => Route = route;

    public RouteInfo Route { get; }

    public override ChatOptions Clone() => new RouterChatOptions(this, Route);
}
