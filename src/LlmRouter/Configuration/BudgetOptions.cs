namespace LlmRouter;

/// <summary>A spending limit of a key or a tenant, in USD per period.</summary>
/// <remarks>
/// Bound and validated with the key and tenant settings; the budget layer enforces it. Until that layer is in the
/// pipeline, a budget is not enforced.
/// </remarks>
public sealed class BudgetOptions
{
    /// <summary>Gets or sets the most that may be spent per <see cref="Period"/>, in USD. Required; zero or more.</summary>
    public decimal? Limit { get; set; }

    /// <summary>Gets or sets the period after which the budget starts again. The default value is <see cref="BudgetPeriod.Monthly"/>.</summary>
    public BudgetPeriod Period { get; set; } = BudgetPeriod.Monthly;
}
