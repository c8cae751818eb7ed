using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// The request's own copy of the caller's options, carrying the request's <see cref="RouteInfo"/> from layer to layer.
/// The caller's instance is never modified; the routing layer sets <see cref="ChatOptions.ModelId"/> on this copy to
/// the provider's model id before each attempt.
/// </summary>
/// <remarks>
/// The copy is made as <see cref="ChatOptions.Clone"/> makes one (lists and the reasoning options copied, the rest
/// shared), except that LlmRouter's own entries (the key, the route callback) are left out of the additional properties:
/// the base class's copy constructor would clone the whole dictionary only for them to be removed, on every request.
/// A spec checks that every property of <see cref="ChatOptions"/> is copied, so one added by a later version of
/// Microsoft.Extensions.AI is not silently dropped.
/// </remarks>
internal sealed class RouterChatOptions : ChatOptions
{
    public RouterChatOptions(ChatOptions? other, RouteInfo route)
    {
        Route = route;
        if (other is null)
        {
            return;
        }

        AdditionalProperties = ChatOptionsExtensions.WithoutRouterEntries(other.AdditionalProperties);
        AllowBackgroundResponses = other.AllowBackgroundResponses;
        AllowMultipleToolCalls = other.AllowMultipleToolCalls;
        ContinuationToken = other.ContinuationToken;
        ConversationId = other.ConversationId;
        FrequencyPenalty = other.FrequencyPenalty;
        Instructions = other.Instructions;
        MaxOutputTokens = other.MaxOutputTokens;
        ModelId = other.ModelId;
        PresencePenalty = other.PresencePenalty;
        RawRepresentationFactory = other.RawRepresentationFactory;
        Reasoning = other.Reasoning is { } reasoning ? new ReasoningOptions { Effort = reasoning.Effort, Output = reasoning.Output } : null;
        ResponseFormat = other.ResponseFormat;
        Seed = other.Seed;
        StopSequences = other.StopSequences is { } stops ? [.. stops] : null;
        Temperature = other.Temperature;
        ToolMode = other.ToolMode;
        Tools = other.Tools is { } tools ? [.. tools] : null;
        TopK = other.TopK;
        TopP = other.TopP;
    }

    public RouteInfo Route { get; }

    public override ChatOptions Clone() => new RouterChatOptions(this, Route);
}
