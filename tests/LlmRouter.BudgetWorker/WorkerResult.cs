namespace LlmRouter.BudgetWorker;

/// <summary>What one budget worker did: requests served, refused by the budget and failed otherwise, and the most it had in flight at once.</summary>
public readonly record struct WorkerResult(int Served, int Refused, int Failed, int Peak);
