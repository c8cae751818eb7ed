using System.Globalization;

namespace LlmRouter;

/// <summary>The state of one budget limit in its current period: limit, spent, reserved, remaining, and when it resets.</summary>
/// <remarks>
/// One status per limit: a scope's whole budget (<see cref="Model"/> is <see langword="null"/>) and each of its per-model
/// limits. A snapshot: requests running at the same time change it. <see cref="Name"/> may be a key id, which is
/// sensitive: <see cref="ToString"/> leaves it out.
/// </remarks>
public sealed class BudgetStatus
{
    internal BudgetStatus(BudgetScope scope, string? name, string? model, BudgetPeriod period, DateTimeOffset? periodStart, DateTimeOffset? resetsAt, decimal limit, decimal? softLimit, BudgetCounterState state)
    {
        Scope = scope;
        Name = name;
        Model = model;
        Period = period;
        PeriodStart = periodStart;
        ResetsAt = resetsAt;
        Limit = limit;
        SoftLimit = softLimit;
        Spent = state.Spent;
        Reserved = state.Reserved;
    }

    /// <summary>Gets whose budget this is.</summary>
    public BudgetScope Scope { get; }

    /// <summary>Gets the key id or tenant name, or <see langword="null"/> for the global budget.</summary>
    public string? Name { get; }

    /// <summary>Gets the alias of a per-model limit, or <see langword="null"/> for the scope's whole budget.</summary>
    public string? Model { get; }

    /// <summary>Gets the budget's period.</summary>
    public BudgetPeriod Period { get; }

    /// <summary>Gets when the current period started, or <see langword="null"/> for a <see cref="BudgetPeriod.Total"/> budget.</summary>
    public DateTimeOffset? PeriodStart { get; }

    /// <summary>Gets when the budget starts again (the next period), or <see langword="null"/> for a <see cref="BudgetPeriod.Total"/> budget.</summary>
    public DateTimeOffset? ResetsAt { get; }

    /// <summary>Gets the hard limit in USD.</summary>
    public decimal Limit { get; }

    /// <summary>Gets the soft limit in USD, or <see langword="null"/> for none.</summary>
    public decimal? SoftLimit { get; }

    /// <summary>Gets the committed spend of the current period in USD.</summary>
    public decimal Spent { get; }

    /// <summary>Gets what requests running now hold in USD (their worst-case cost).</summary>
    public decimal Reserved { get; }

    /// <summary>Gets what is left for new requests in USD: the limit less spent and reserved, never below zero.</summary>
    public decimal Remaining => Math.Max(0m, Limit - Spent - Reserved);

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Scope}{(Model is null ? string.Empty : " " + Model)} {Period}: {Spent:0.##########} spent, {Reserved:0.##########} reserved, {Remaining:0.##########} remaining of {Limit:0.##########}");
}
