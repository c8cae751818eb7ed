namespace LlmRouter;

/// <summary>Why a budget refused an attempt: which limit, its state, and what the attempt needed.</summary>
internal readonly record struct BudgetRefusal(
    BudgetScope Scope,
    string? Model,
    BudgetPeriod Period,
    decimal Limit,
    decimal Spent,
    decimal Reserved,
    decimal Requested,
    DateTimeOffset? ResetsAt,
    BudgetMode Mode);
