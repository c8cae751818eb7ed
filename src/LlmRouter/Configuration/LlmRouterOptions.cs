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

    /// <summary>Gets or sets how requests are audited (section <c>Audit</c>).</summary>
    public AuditOptions Audit { get; set; } = new();

    /// <summary>Gets or sets the configuration path these options were bound from, used to name errors.</summary>
    internal string ConfigurationPath { get; set; } = SectionName;

    /// <summary>Gets the errors found while binding (values that do not convert, unknown settings).</summary>
    internal List<string> BindingErrors { get; } = [];
}
