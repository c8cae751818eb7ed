using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmRouter;

/// <summary>
/// The providers' health, as the router sees it: which deployments are cooling down after failures.
/// </summary>
/// <remarks>
/// <para>
/// Degraded when some deployment cools down — its aliases are served by their other deployments or their fallbacks.
/// Unhealthy when some alias can be served by nothing: every one of its deployments cools down, and so does every
/// deployment of every alias of its fallback chain (<c>Fallbacks</c> and <c>Routing:DefaultFallbacks</c>) — which is the
/// case of every alias when every deployment cools down.
/// </para>
/// <para>The result's data: the deployments cooling down (<c>provider/model</c>), the aliases none of whose deployments can be called, and those that nothing can serve. Thread-safe.</para>
/// </remarks>
internal sealed class ProviderHealthCheck : IHealthCheck
{
    private readonly IServiceProvider _services;

    public ProviderHealthCheck(IServiceProvider services) => _services = services;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_services.GetService<RoutingTableProvider>() is not { } tables)
        {
            return Task.FromResult(HealthCheckResult.Healthy("LlmRouter does not route here (audit-only mode)."));
        }

        RoutingTable table = tables.Current;
        var cooling = new SortedSet<string>(StringComparer.Ordinal);
        var unavailable = new HashSet<string>(StringComparer.Ordinal);
        foreach (ModelGroup group in table.Models.Values)
        {
            bool any = false;
            foreach (Deployment deployment in group.Deployments)
            {
                if (deployment.Health.IsCoolingDown)
                {
                    cooling.Add(deployment.Id);
                }
                else
                {
                    any = true;
                }
            }

            if (!any)
            {
                unavailable.Add(group.Name);
            }
        }

        var stranded = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string alias in unavailable)
        {
            ModelGroup group = table.Models[alias];
            if (Array.TrueForAll(group.Fallbacks, fallback => unavailable.Contains(fallback.Name)))
            {
                stranded.Add(alias);
            }
        }

        var data = new Dictionary<string, object>
        {
            ["cooling"] = cooling.ToArray(),
            ["unavailable_models"] = unavailable.Order(StringComparer.Ordinal).ToArray(),
            ["unserved_models"] = stranded.ToArray(),
        };
        HealthCheckResult result =
            stranded.Count > 0 ? HealthCheckResult.Unhealthy($"Nothing can serve {string.Join(", ", stranded)}: every deployment of the alias and of its fallbacks cools down.", data: data) :
            cooling.Count > 0 ? HealthCheckResult.Degraded($"{cooling.Count} deployment(s) cool down ({string.Join(", ", cooling)}); their aliases are served by other deployments or fallbacks.", data: data) :
            HealthCheckResult.Healthy("No deployment cools down.", data);
        return Task.FromResult(result);
    }
}
