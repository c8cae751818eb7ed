using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>Composes LlmRouter's standard pipeline on a <see cref="ChatClientBuilder"/>.</summary>
public static class LlmRouterChatClientBuilderExtensions
{
    /// <summary>
    /// Adds LlmRouter's layers in their standard order, outermost first: audit (when an audit store is registered), key
    /// policy, rate limit, budget, fallback, routing. The builder's inner client receives every provider attempt: to
    /// reach the configured providers, make it the <see cref="ProviderDispatchChatClient"/> that <c>AddLlmRouter</c>
    /// registers, resolved from the services — <c>new ChatClientBuilder(services.GetRequiredService&lt;ProviderDispatchChatClient&gt;()).UseLlmRouter()</c>.
    /// Middleware added after this call sits between the router and the providers and sees each attempt.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Needs the services registered by <c>AddLlmRouter</c>, which also registers this pipeline as the application's
    /// <see cref="IChatClient"/>. Each layer can also be added alone with its own <c>UseXxx</c> method.
    /// </remarks>
    public static ChatClientBuilder UseLlmRouter(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .UseLlmRouterAuditWhenStored()
            .UseKeyPolicy()
            .UseRateLimiting()
            .UseBudgets()
            .UseFallback()
            .UseModelRouting();
    }
}
