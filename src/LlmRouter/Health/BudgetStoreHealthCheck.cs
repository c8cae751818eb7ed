using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmRouter;

/// <summary>
/// The budget store's health: unhealthy when it cannot be reached while budgets are configured — budgets fail closed, so
/// every request with a budget is refused (<c>budget_unavailable</c>). Healthy when it answers, when no budget is
/// configured, or when the store cannot be probed (it does not implement <see cref="IStoreProbe"/>).
/// </summary>
/// <remarks>The result's data: the store's type. Thread-safe.</remarks>
internal sealed class BudgetStoreHealthCheck : IHealthCheck
{
    private readonly IServiceProvider _services;

    public BudgetStoreHealthCheck(IServiceProvider services) => _services = services;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_services.GetService<IBudgetStore>() is not { } store || _services.GetService<RoutingTableProvider>() is not { } tables)
        {
            return HealthCheckResult.Healthy("LlmRouter's budgets are not registered (audit-only mode).");
        }

        var data = new Dictionary<string, object> { ["store"] = store.GetType().Name };
        if (tables.Current.Budgets.All.Count == 0)
        {
            return HealthCheckResult.Healthy("No budget is configured.", data);
        }

        if (store is not IStoreProbe)
        {
            return HealthCheckResult.Healthy("The budget store cannot be probed (it does not implement IStoreProbe).", data);
        }

        string? unreachable = await StoreReachability.ProbeAsync(store, cancellationToken).ConfigureAwait(false);
        return unreachable is null
            ? HealthCheckResult.Healthy("The budget store answers.", data)
            : HealthCheckResult.Unhealthy($"The budget store cannot be reached ({unreachable}): requests with a budget are refused with budget_unavailable.", data: data);
    }
}
