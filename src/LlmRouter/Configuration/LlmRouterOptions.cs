namespace LlmRouter;

/// <summary>
/// The root of LlmRouter's configuration, bound from the <c>LlmRouter</c> section of the application's configuration.
/// </summary>
/// <remarks>
/// Every setting, with its default, is documented in <c>docs/configuration.md</c>. The options are validated when the
/// host starts; every error is reported at once, each naming its configuration path. A reload through
/// <see cref="Microsoft.Extensions.Options.IOptionsMonitor{TOptions}"/> swaps the routing table atomically; requests in
/// flight finish on the table they started with.
/// </remarks>
public sealed class LlmRouterOptions
{
    /// <summary>The name of the configuration section LlmRouter reads by default: <c>LlmRouter</c>.</summary>
    public const string SectionName = "LlmRouter";

    /// <summary>Gets or sets the providers, by name. The default value is empty.</summary>
    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the model aliases callers ask for, by alias. The default value is empty.</summary>
    /// <remarks>Aliases are matched exactly (ordinal, case-sensitive); see <c>docs/configuration.md</c>.</remarks>
    public Dictionary<string, ModelOptions> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets how deployments are chosen, cooled down and fallen back from.</summary>
    public RoutingOptions Routing { get; set; } = new();

    /// <summary>
    /// Gets or sets prices and token limits that replace the built-in catalog's, keyed by a deployment
    /// (<c>provider/model</c>), an alias, or a provider model id — matched in that order. The default value is empty.
    /// </summary>
    public Dictionary<string, ModelPriceOptions> Prices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets how calls are priced and what happens to deployments without a price.</summary>
    public PricingOptions Pricing { get; set; } = new();

    /// <summary>Gets or sets how budgets are enforced (time zone, mode, lease time) and the global budget.</summary>
    /// <remarks>Keys and tenants carry their own budgets (<see cref="KeyOptions.Budget"/>, <see cref="TenantOptions.Budget"/>).</remarks>
    public BudgetingOptions Budgets { get; set; } = new();

    /// <summary>Gets or sets the virtual keys callers present, by id. At least one is required.</summary>
    /// <remarks>
    /// Every request needs a configured key (deny by default), unless <see cref="AnonymousKey"/> names the key for
    /// requests without one; a configuration without any key does not start.
    /// Key ids are matched exactly (ordinal, case-sensitive) and are sensitive: see <see cref="KeyOptions"/>.
    /// </remarks>
    public Dictionary<string, KeyOptions> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets settings shared by the keys of each tenant, by tenant name. The default value is empty.</summary>
    public Dictionary<string, TenantOptions> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the key whose policy applies to requests that present no key, or <see langword="null"/> to refuse
    /// them (<see cref="UnknownKeyException"/>). The default value is <see langword="null"/>.
    /// </summary>
    /// <remarks>All anonymous requests share that key's rate limits; <see cref="RouteInfo.Key"/> names it.</remarks>
    public string? AnonymousKey { get; set; }

    /// <summary>Gets or sets how requests are audited (section <c>Audit</c>).</summary>
    public AuditOptions Audit { get; set; } = new();

    /// <summary>Gets or sets what LlmRouter's own spans and metrics carry (section <c>Telemetry</c>).</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Gets or sets the configuration path these options were bound from, used to name errors.</summary>
    internal string ConfigurationPath { get; set; } = SectionName;

    /// <summary>Gets the errors found while binding (values that do not convert, unknown settings).</summary>
    internal List<string> BindingErrors { get; } = [];
}
