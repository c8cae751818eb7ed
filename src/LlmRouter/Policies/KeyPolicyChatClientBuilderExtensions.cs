using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>Adds LlmRouter's key policy layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class KeyPolicyChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the key policy layer: resolves the caller's virtual key, enforces its model whitelist and regions on every
    /// deployment that would be tried, and applies its PII policy. Place it outside the rate-limit, fallback and routing layers.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Needs the services registered by <c>AddLlmRouter</c>.</remarks>
    public static ChatClientBuilder UseKeyPolicy(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new KeyPolicyChatClient(
            inner,
            RouterServices.Get<RoutingTableProvider>(services),
            RouterServices.Time(services),
            RouterServices.Logger(services, "LlmRouter.KeyPolicy"),
            RouterServices.Telemetry(services)));
    }
}
