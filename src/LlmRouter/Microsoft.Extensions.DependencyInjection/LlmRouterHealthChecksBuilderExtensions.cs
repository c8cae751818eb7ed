using LlmRouter;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers LlmRouter's health checks.</summary>
public static class LlmRouterHealthChecksBuilderExtensions
{
    /// <summary>The name of the audit log's check: <c>llmrouter-audit</c>.</summary>
    public const string AuditCheckName = "llmrouter-audit";

    /// <summary>The name of the budget store's check: <c>llmrouter-budgets</c>.</summary>
    public const string BudgetCheckName = "llmrouter-budgets";

    /// <summary>The name of the providers' check (deployments cooling down): <c>llmrouter-providers</c>.</summary>
    public const string ProviderCheckName = "llmrouter-providers";

    /// <summary>The tag every LlmRouter check carries: <c>llmrouter</c>.</summary>
    public const string Tag = "llmrouter";

    /// <summary>
    /// Adds LlmRouter's health checks: the audit store reachable and the audit queue's depth (<see cref="AuditCheckName"/>),
    /// the budget store reachable (<see cref="BudgetCheckName"/>), and deployments cooling down
    /// (<see cref="ProviderCheckName"/>).
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="tags">Tags added to each check besides <see cref="Tag"/>, for example <c>ready</c>.</param>
    /// <param name="timeout">How long each check may take (a store probe included), or <see langword="null"/> for the host's default.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>
    /// What is degraded and what is unhealthy:
    /// </para>
    /// <list type="bullet">
    /// <item><description>Audit: unhealthy when the queue is full, when records were dropped or requests refused for want of room since the last check, or when the store cannot be reached with <c>Synchronous</c> durability; degraded when it cannot be reached with <c>Buffered</c> durability while the queue has room, or when the queue is 80 % full.</description></item>
    /// <item><description>Budgets: unhealthy when the store cannot be reached while budgets are configured (requests with a budget are refused).</description></item>
    /// <item><description>Providers: degraded when some deployment cools down; unhealthy when some alias can be served by nothing — every deployment of it and of its fallback chain cools down.</description></item>
    /// </list>
    /// <para>
    /// A check whose part of LlmRouter is not registered (no audit store, audit-only mode) reports healthy. Stores are
    /// probed through <see cref="IStoreProbe"/>. Results carry counts and deployment ids, never a connection string or a
    /// key. See <c>docs/observability.md</c>.
    /// </para>
    /// </remarks>
    public static IHealthChecksBuilder AddLlmRouterChecks(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string[] all = [Tag, .. tags ?? []];
        builder.Services.TryAddSingleton<AuditHealthCheck>();
        builder.Services.TryAddSingleton<BudgetStoreHealthCheck>();
        builder.Services.TryAddSingleton<ProviderHealthCheck>();
        builder.Add(new HealthCheckRegistration(AuditCheckName, static sp => sp.GetRequiredService<AuditHealthCheck>(), HealthStatus.Unhealthy, all, timeout));
        builder.Add(new HealthCheckRegistration(BudgetCheckName, static sp => sp.GetRequiredService<BudgetStoreHealthCheck>(), HealthStatus.Unhealthy, all, timeout));
        builder.Add(new HealthCheckRegistration(ProviderCheckName, static sp => sp.GetRequiredService<ProviderHealthCheck>(), HealthStatus.Unhealthy, all, timeout));
        return builder;
    }
}
