namespace LlmRouter;

/// <summary>One hard limit (and optional soft limit) of a scope's budget: on everything it spends, or on one model alias.</summary>
internal sealed class BudgetLimit
{
    public BudgetLimit(string? model, decimal limit, decimal? softLimit, BudgetPeriod period)
    {
        Model = model;
        Limit = limit;
        SoftLimit = softLimit;
        Period = period;
    }

    /// <summary>Gets the alias this limit is on, or <see langword="null"/> for everything the scope spends.</summary>
    public string? Model { get; }

    public decimal Limit { get; }

    public decimal? SoftLimit { get; }

    public BudgetPeriod Period { get; }

    /// <summary>Gets whether a call to a deployment of <paramref name="alias"/> counts against this limit.</summary>
    public bool Covers(string alias) => Model is null || string.Equals(Model, alias, StringComparison.Ordinal);
}
