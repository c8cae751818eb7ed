namespace LlmRouter;

/// <summary>One counter of a <see cref="BudgetReservation"/>: the limit it must stay within and how much the reservation holds on it.</summary>
/// <param name="Counter">The counter.</param>
/// <param name="Limit">The counter's hard limit in USD.</param>
/// <param name="Amount">
/// What the reservation holds on the counter after this call, in USD: the worst-case cost of the attempt about to be
/// made, plus what earlier attempts of the same request cost. It replaces the reservation's previous hold on the counter.
/// </param>
public readonly record struct BudgetLine(BudgetCounterKey Counter, decimal Limit, decimal Amount);
