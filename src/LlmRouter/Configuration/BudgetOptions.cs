namespace LlmRouter;

/// <summary>
/// A spending limit in USD per period: of a key (<c>Keys:{id}:Budget</c>), a tenant (<c>Tenants:{name}:Budget</c>) or
/// every request together (<c>Budgets:Global</c>), with optional limits per model alias within it.
/// </summary>
/// <remarks>
/// A request must fit every budget that applies to it: its key's, its tenant's and the global one, and the per-model
/// limits of the alias being called within each. Before each call the request's worst-case cost is reserved on all of
/// them or on none; afterwards the actual cost is settled and the rest released. See <c>docs/configuration.md</c>.
/// </remarks>
public sealed class BudgetOptions
{
    /// <summary>
    /// Gets or sets the most that may be spent per <see cref="Period"/>, in USD (0 to 1,000,000,000), or
    /// <see langword="null"/> when only the per-model limits of <see cref="Models"/> apply. Required unless
    /// <see cref="Models"/> has entries. The default value is <see langword="null"/>.
    /// </summary>
    public decimal? Limit { get; set; }

    /// <summary>
    /// Gets or sets the spend, in USD, at which the soft-limit callback and a warning are raised, once per period; at most
    /// <see cref="Limit"/>. <see langword="null"/> for none. The default value is <see langword="null"/>.
    /// </summary>
    public decimal? SoftLimit { get; set; }

    /// <summary>Gets or sets the period after which the budget starts again. The default value is <see cref="BudgetPeriod.Monthly"/>.</summary>
    public BudgetPeriod Period { get; set; } = BudgetPeriod.Monthly;

    /// <summary>
    /// Gets or sets limits on what may be spent on one model alias within this budget (for example at most $5 a day on
    /// <c>gpt-4o</c>), by alias. They apply to the calls made to that alias's deployments, fallbacks included. The default
    /// value is empty.
    /// </summary>
    public Dictionary<string, ModelBudgetOptions> Models { get; set; } = new(StringComparer.Ordinal);
}
