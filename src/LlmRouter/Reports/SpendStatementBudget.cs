namespace LlmRouter;

/// <summary>
/// Budget against actual in a <see cref="SpendStatement"/>: one configured limit of the client (its whole budget or a
/// per-model limit), and what was spent against it in each of its periods within the statement.
/// </summary>
/// <remarks>
/// The budgets are the configuration's at the time the statement is made. A request counts in the budget period it
/// started in, as the budget layer counts it; a per-model limit counts the calls to that alias, fallbacks included.
/// Immutable.
/// </remarks>
public sealed class SpendStatementBudget
{
    internal SpendStatementBudget(string? model, BudgetPeriod period, decimal limit, IReadOnlyList<SpendStatementBudgetWindow> windows)
    {
        Model = model;
        Period = period;
        Limit = limit;
        Windows = windows;
        foreach (SpendStatementBudgetWindow window in windows)
        {
            Actual += window.Actual;
            Highest = Math.Max(Highest, window.Actual);
        }
    }

    /// <summary>Gets the alias of a per-model limit, or <see langword="null"/> for the client's whole budget.</summary>
    public string? Model { get; }

    /// <summary>Gets the budget's period.</summary>
    public BudgetPeriod Period { get; }

    /// <summary>Gets the limit per period, in USD.</summary>
    public decimal Limit { get; }

    /// <summary>Gets the budget's periods within the statement, in order (one for a monthly budget on a monthly statement in the same time zone).</summary>
    public IReadOnlyList<SpendStatementBudgetWindow> Windows { get; }

    /// <summary>Gets the spend counted against the budget over the whole statement, in USD, exact.</summary>
    public decimal Actual { get; }

    /// <summary>Gets the highest spend of any one window, in USD: for a budget with shorter periods than the statement, how close the client came to the limit.</summary>
    public decimal Highest { get; }

    /// <summary>Gets whether some window's spend went over the limit (possible in lenient mode, or after the limit was lowered).</summary>
    public bool Exceeded => Highest > Limit;
}
