namespace LlmRouter;

/// <summary>
/// What LlmRouter's own spans and metrics (source and meter <see cref="LlmRouterTelemetry.ActivitySourceName"/>) may
/// carry, and how often the remaining-budget gauges are refreshed: configuration section <c>LlmRouter:Telemetry</c>.
/// </summary>
/// <remarks>
/// Read once, when the router's telemetry starts (the first time a pipeline is built); a configuration reload does not
/// change it. Every setting and its default is documented in <c>docs/configuration.md</c> and <c>docs/observability.md</c>.
/// </remarks>
public sealed class TelemetryOptions
{
    /// <summary>The default <see cref="BudgetRefreshInterval"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultBudgetRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets whether metrics carry the caller's virtual key id (attribute <c>llmrouter.key</c>), and whether each
    /// key's budget is reported by the remaining-budget gauge. The default value is <see langword="false"/>.
    /// </summary>
    /// <remarks>
    /// A key id is sensitive where callers present it as their credential: turn this on only where key ids are names
    /// (for example when bearer tokens are mapped to keys, as in <c>samples/WebApi</c>), and mind the cardinality — one
    /// series per key. Spans never carry the key id, whatever this says. When it is off, key budgets are not reported at
    /// all: a series without the key would merge unrelated budgets.
    /// </remarks>
    public bool KeyAttributes { get; set; }

    /// <summary>
    /// Gets or sets whether metrics and spans carry the caller's tenant (attribute <c>llmrouter.tenant</c>), and whether
    /// each tenant's budget is reported by the remaining-budget gauge. The default value is <see langword="false"/>.
    /// </summary>
    /// <remarks>One series per tenant. When it is off, tenant budgets are not reported by the gauge.</remarks>
    public bool TenantAttributes { get; set; }

    /// <summary>
    /// Gets or sets how often the remaining-budget gauge re-reads the budgets from <see cref="IBudgetQuery"/> (the
    /// budget store), while something listens to the gauge; spend this process settles shows at once. From one second to
    /// one hour. The default value is <see cref="DefaultBudgetRefreshInterval"/>.
    /// </summary>
    public TimeSpan BudgetRefreshInterval { get; set; } = DefaultBudgetRefreshInterval;
}
