using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>Adds LlmRouter's rate-limit layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class RateLimitingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the rate-limit layer: requests per minute, tokens per minute and concurrent requests of the caller's key and
    /// tenant. Place it inside the key policy layer (it limits the key that layer resolved) and outside the fallback and
    /// routing layers.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Needs the services registered by <c>AddLlmRouter</c>.</remarks>
    public static ChatClientBuilder UseRateLimiting(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new RateLimitingChatClient(
            inner,
            RouterServices.Time(services),
            RouterServices.Logger(services, "LlmRouter.RateLimit"),
            RouterServices.Telemetry(services)));
    }
}
