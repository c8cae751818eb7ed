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

    /// <summary>The default allowance for clocks of hosts sharing a budget store that disagree: one minute.</summary>
    public static readonly TimeSpan DefaultMaxClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>The longest <see cref="MaxClockSkew"/> allowed: one hour.</summary>
    public static readonly TimeSpan MaxClockSkewLimit = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets the IANA time zone (<c>Europe/Zurich</c>) whose calendar the periods follow: days, weeks and months
    /// start at local midnight there. The default value is <see cref="DefaultTimeZone"/>.
    /// </summary>
    public string TimeZone { get; set; } = DefaultTimeZone;

    /// <summary>Gets or sets how requests are admitted. The default value is <see cref="BudgetMode.Strict"/>.</summary>
    public BudgetMode Mode { get; set; } = BudgetMode.Strict;

    /// <summary>
    /// Gets or sets how long a reservation holds budget without being renewed or settled. Each attempt renews it, and a
    /// stream renews it as it runs, once half of it has passed (checked as each update arrives and as the caller asks
    /// for the next). So it must outlast one non-streamed call and twice the longest silence of a stream — validated,
    /// when any budget is configured, to be at least every provider's <see cref="ProviderOptions.Timeout"/> (a
    /// <see cref="ProviderKind.Custom"/> client owns its timeouts) and twice <see cref="RoutingOptions.StreamIdleTimeout"/>.
    /// A reservation left by a crashed process, or by a stream that is never disposed, stops counting when it expires.
    /// The default value is <see cref="DefaultLeaseTime"/>.
    /// </summary>
    public TimeSpan LeaseTime { get; set; } = DefaultLeaseTime;

    /// <summary>
    /// Gets or sets how far the clocks of the hosts sharing a budget store may disagree. Holds are written to expire
    /// <see cref="LeaseTime"/> plus this allowance after they were taken, by the holder's clock: the holder renews within
    /// <see cref="LeaseTime"/> by its own clock, and another host whose clock runs ahead by up to this allowance still sees
    /// the hold as live. Budget held by a crashed process comes back this much later. Zero to
    /// <see cref="MaxClockSkewLimit"/>; the default value is <see cref="DefaultMaxClockSkew"/>.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = DefaultMaxClockSkew;

    /// <summary>Gets or sets the budget of every request together, whatever its key, or <see langword="null"/> for none. The default value is <see langword="null"/>.</summary>
    public BudgetOptions? Global { get; set; }
}
