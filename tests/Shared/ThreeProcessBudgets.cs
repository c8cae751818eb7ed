using LlmRouter.BudgetWorker;

namespace LlmRouter.Tests.Budgets;

/// <summary>
/// The multi-process budget specifications, the same for every shared store (linked into the SQLite and PostgreSQL test
/// projects): three OS processes, a thousand requests in flight at once among them, one budget.
/// </summary>
internal static class ThreeProcessBudgets
{
    /// <summary>The requests, or callers, each of the three processes starts at once.</summary>
    public const int PerProcess = 334;

    public static readonly BudgetCounterKey Counter = new(BudgetScope.Key, Worker.Key, null, "T");

    /// <summary>
    /// A thousand requests sent at once, each once, whose worst case is their cost: committed spend stays within the
    /// limit and the requests served are what the limit allows, within one.
    /// </summary>
    public static async Task NeverExceedTheLimitAsync(string store, string connectionString, Func<Task<BudgetCounterState>> read)
    {
        const int allowed = 100;
        const decimal limit = allowed * Worker.RequestCost;

        WorkerResult[] results = await WorkerProcess.RunThreeAsync(store, connectionString, limit, PerProcess);

        Assert.All(results, r => Assert.Equal(PerProcess, r.Peak));
        Assert.Equal(3 * PerProcess, results.Sum(r => r.Served + r.Refused));
        int served = results.Sum(r => r.Served);
        Assert.InRange(served, allowed - 1, allowed);
        BudgetCounterState state = await read();
        Assert.True(state.Spent <= limit, $"spent {state.Spent} over the limit {limit}");
        Assert.Equal(served * Worker.RequestCost, state.Spent);
        Assert.Equal(0m, state.Reserved);
    }

    /// <summary>
    /// A thousand callers asking at once and again until the budget is used up, whose requests reserve more than they
    /// cost: reservations refuse requests their actual costs would have let in, and settle for less, so the callers ask
    /// again — and in the end committed spend is within the limit and the requests served are what the limit allows given
    /// actual costs (the last one admitted needed room for its worst case), within one.
    /// </summary>
    public static async Task ServeWhatActualCostsAllowAsync(string store, string connectionString, Func<Task<BudgetCounterState>> read)
    {
        const decimal limit = 0.11m;
        int allowed = (int)decimal.Floor((limit - Worker.PricedWorstCase) / Worker.PricedCost) + 1;

        WorkerResult[] results = await WorkerProcess.RunThreeAsync(store, connectionString, limit, PerProcess, untilSpent: true, inputPriced: true);

        Assert.All(results, r => Assert.Equal(PerProcess, r.Peak));
        int served = results.Sum(r => r.Served);
        Assert.InRange(served, allowed - 1, allowed);
        Assert.True(served >= (int)decimal.Floor(limit / Worker.PricedCost) - 1, $"served {served}");
        Assert.True(results.Sum(r => r.Refused) > 3 * PerProcess, "no caller was refused for others' reservations and asked again");
        BudgetCounterState state = await read();
        Assert.True(state.Spent <= limit, $"spent {state.Spent} over the limit {limit}");
        Assert.Equal(served * Worker.PricedCost, state.Spent);
        Assert.Equal(0m, state.Reserved);
    }
}
