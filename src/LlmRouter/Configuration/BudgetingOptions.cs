namespace LlmRouter;

/// <summary>How budgets are enforced (section <c>LlmRouter:Budgets</c>), and the global budget.</summary>
/// <remarks>
/// The budgets themselves are set per key (<see cref="KeyOptions.Budget"/>), per tenant (<see cref="TenantOptions.Budget"/>)
/// and for every request together (<see cref="Global"/>). The output assumed when neither a request nor its model limits
/// the output is <see cref="PricingOptions.DefaultMaxOutputTokens"/>.
/// </remarks>
public sealed class BudgetingOptions
{
    /// <summary>The default time zone of budget periods: <c>UTC</c>.</summary>
    public const string DefaultTimeZone = "UTC";

    /// <summary>The default lease of a reservation: fifteen minutes.</summary>
    public static readonly TimeSpan DefaultLeaseTime = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets or sets the IANA time zone (<c>Europe/Zurich</c>) whose calendar the periods follow: days, weeks and months
    /// start at local midnight there. The default value is <see cref="DefaultTimeZone"/>.
    /// </summary>
    public string TimeZone { get; set; } = DefaultTimeZone;

    /// <summary>Gets or sets how requests are admitted. The default value is <see cref="BudgetMode.Strict"/>.</summary>
    public BudgetMode Mode { get; set; } = BudgetMode.Strict;

    /// <summary>
    /// Gets or sets how long a reservation holds budget without being renewed or settled: each attempt renews it, so it
    /// must outlast one call — validated, when any budget is configured, to be at least
    /// <see cref="RoutingOptions.StreamTotalTimeout"/> and every provider's <see cref="ProviderOptions.Timeout"/> (a
    /// <see cref="ProviderKind.Custom"/> client owns its timeouts). A reservation left by a crashed process stops counting
    /// when it expires. The default value is <see cref="DefaultLeaseTime"/>.
    /// </summary>
    public TimeSpan LeaseTime { get; set; } = DefaultLeaseTime;

    /// <summary>Gets or sets the budget of every request together, whatever its key, or <see langword="null"/> for none. The default value is <see langword="null"/>.</summary>
    public BudgetOptions? Global { get; set; }
}
