namespace LlmRouter;

/// <summary>What a request actually cost on one counter, committed when its reservation is settled.</summary>
/// <param name="Counter">The counter.</param>
/// <param name="Amount">The actual cost in USD (zero or more).</param>
public readonly record struct BudgetCharge(BudgetCounterKey Counter, decimal Amount);
