namespace LlmRouter;

/// <summary>What the soft-limit callback (<see cref="LlmRouterBuilder.OnBudgetSoftLimit"/>) is told: which budget reached its soft limit, and by which request.</summary>
/// <remarks>
/// <see cref="Name"/> may be a key id: it is the application's to use (for example to notify the client), and LlmRouter's
/// own log entry leaves it out.
/// </remarks>
public readonly struct BudgetSoftLimitArguments
{
    internal BudgetSoftLimitArguments(BudgetScope scope, string? name, string? model, BudgetWindow window, decimal softLimit, decimal limit, decimal spent, RouteInfo route)
    {
        Scope = scope;
        Name = name;
        Model = model;
        Period = window.Period;
        PeriodStart = window.Start;
        ResetsAt = window.End;
        SoftLimit = softLimit;
        Limit = limit;
        Spent = spent;
        Route = route;
    }

    /// <summary>Gets whose budget it is.</summary>
    public BudgetScope Scope { get; }

    /// <summary>Gets the key id or tenant name, or <see langword="null"/> for the global budget.</summary>
    public string? Name { get; }

    /// <summary>Gets the alias of a per-model limit, or <see langword="null"/> for the scope's whole budget.</summary>
    public string? Model { get; }

    /// <summary>Gets the budget's period.</summary>
    public BudgetPeriod Period { get; }

    /// <summary>Gets when the period started, or <see langword="null"/> for a <see cref="BudgetPeriod.Total"/> budget.</summary>
    public DateTimeOffset? PeriodStart { get; }

    /// <summary>Gets when the budget starts again, or <see langword="null"/> for a <see cref="BudgetPeriod.Total"/> budget.</summary>
    public DateTimeOffset? ResetsAt { get; }

    /// <summary>Gets the soft limit in USD.</summary>
    public decimal SoftLimit { get; }

    /// <summary>Gets the hard limit in USD.</summary>
    public decimal Limit { get; }

    /// <summary>Gets the committed spend after the request that crossed the soft limit, in USD.</summary>
    public decimal Spent { get; }

    /// <summary>Gets the route of the request whose cost crossed the soft limit.</summary>
    public RouteInfo Route { get; }
}
