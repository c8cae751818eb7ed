namespace LlmRouter;

/// <summary>What a budget counter holds at a moment.</summary>
/// <param name="Spent">Committed spend in USD: the settled cost of finished requests.</param>
/// <param name="Reserved">What live reservations hold in USD (expired ones do not count).</param>
public readonly record struct BudgetCounterState(decimal Spent, decimal Reserved);
