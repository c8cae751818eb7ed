using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>Adds LlmRouter's routing layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class ModelRoutingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the routing layer: picks a deployment of the alias being served and sends the request to it with the
    /// provider's model id. The builder's inner client receives every attempt; when it is LlmRouter's
    /// <see cref="ProviderDispatchChatClient"/> each attempt goes to its deployment's provider.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Needs the services registered by <c>AddLlmRouter</c>.</remarks>
    public static ChatClientBuilder UseModelRouting(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new ModelRoutingChatClient(
            inner,
            RouterServices.Get<RoutingTableProvider>(services),
            RouterServices.Get<ErrorClassification>(services),
            RouterServices.Time(services),
            RouterServices.Logger(services, "LlmRouter.Routing"),
            RouterServices.Telemetry(services)));
    }
}
