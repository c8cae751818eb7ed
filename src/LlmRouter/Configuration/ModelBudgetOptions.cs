namespace LlmRouter;

/// <summary>A spending limit on one model alias within a key's, a tenant's or the global budget (<c>Budget:Models:{alias}</c>).</summary>
public sealed class ModelBudgetOptions
{
    /// <summary>Gets or sets the most that may be spent on the alias per <see cref="Period"/>, in USD (0 to 1,000,000,000). Required.</summary>
    public decimal? Limit { get; set; }

    /// <summary>Gets or sets the spend, in USD, at which the soft-limit callback and a warning are raised, once per period; at most <see cref="Limit"/>. The default value is <see langword="null"/> (none).</summary>
    public decimal? SoftLimit { get; set; }

    /// <summary>Gets or sets the period after which this limit starts again, or <see langword="null"/> for the enclosing budget's <see cref="BudgetOptions.Period"/>. The default value is <see langword="null"/>.</summary>
    public BudgetPeriod? Period { get; set; }
}
