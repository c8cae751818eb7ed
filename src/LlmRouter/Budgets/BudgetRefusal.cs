namespace LlmRouter;

/// <summary>Why a budget refused an attempt: which limit, its state, and what the attempt needed.</summary>
/// <remarks>A class, not a struct: every budgeted request holds room for one, and few are ever refused.</remarks>
internal sealed record BudgetRefusal(
    BudgetScope Scope,
    string? Model,
    BudgetPeriod Period,
    decimal Limit,
    decimal Spent,
    decimal Reserved,
    decimal Requested,
    DateTimeOffset? ResetsAt,
    BudgetMode Mode);
