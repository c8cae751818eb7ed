using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter;

/// <summary>Adds LlmRouter's budget layer to a <see cref="ChatClientBuilder"/>.</summary>
public static class BudgetChatClientBuilderExtensions
{
    /// <summary>
    /// Adds the budget layer: reserves each request's worst-case cost on the budgets of its key, its tenant and the
    /// global budget (and their per-model limits) before each call, and settles the actual cost afterwards. Place it
    /// inside the key policy and rate-limit layers and outside the fallback and routing layers.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Needs the services registered by <c>AddLlmRouter</c>; the store is the registered <see cref="IBudgetStore"/> (in
    /// memory unless <c>AddSqliteStores</c> or <c>AddPostgresStores</c> registered another).
    /// </remarks>
    public static ChatClientBuilder UseBudgets(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new BudgetChatClient(
            inner,
            RouterServices.Get<RoutingTableProvider>(services),
            new BudgetKeeper(
                RouterServices.Get<IBudgetStore>(services),
                [.. services.GetServices<BudgetSoftLimitCallback>()],
                RouterServices.Time(services),
                RouterServices.Logger(services, "LlmRouter.Budget"),
                services.GetService<BudgetStatistics>() ?? new BudgetStatistics(),
                RouterServices.Telemetry(services))));
    }
}
