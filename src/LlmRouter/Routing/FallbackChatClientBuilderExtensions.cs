using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>Adds LlmRouter's fallback layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class FallbackChatClientBuilderExtensions
{
    /// <summary>Adds the fallback layer, which walks each alias's fallback chains when its deployments fail. Place it outside the routing layer.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Needs the services registered by <c>AddLlmRouter</c>.</remarks>
    public static ChatClientBuilder UseFallback(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new FallbackChatClient(
            inner,
            RouterServices.Get<RoutingTableProvider>(services),
            RouterServices.Time(services),
            RouterServices.Logger(services, "LlmRouter.Fallback"),
            RouterServices.Telemetry(services)));
    }
}
