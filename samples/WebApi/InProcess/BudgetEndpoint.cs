using LlmRouter;

namespace WebApiSample.InProcess;

/// <summary>
/// <c>GET /internal/budget/{key}</c>: the budgets requests made with a virtual key must fit — its own, its tenant's and
/// the global one — read with <see cref="IBudgetQuery"/>. What the <c>/v1</c> clients and the application's own .NET code
/// spend comes out of the same budgets: the tenant <c>acme</c>'s shows both.
/// </summary>
/// <remarks>Names the key: this is the application's own endpoint, not the clients'.</remarks>
internal static class BudgetEndpoint
{
    public static async Task<IResult> GetAsync(string key, IBudgetQuery budgets, CancellationToken cancellationToken)
    {
        IReadOnlyList<BudgetStatus> statuses;
        try
        {
            statuses = await budgets.GetForKeyAsync(key, cancellationToken);
        }
        catch (ArgumentException)
        {
            return Results.NotFound(new SummaryProblem("No such key."));
        }

        var views = new List<BudgetView>(statuses.Count);
        foreach (BudgetStatus status in statuses)
        {
            views.Add(new BudgetView(
                status.Scope.ToString(), status.Name, status.Model, status.Period.ToString(), status.Limit, status.SoftLimit, status.Spent, status.Reserved, status.Remaining, status.ResetsAt));
        }

        return Results.Ok(views);
    }
}

/// <summary>One budget limit as the endpoint shows it, in USD.</summary>
internal sealed record BudgetView(string Scope, string? Name, string? Model, string Period, decimal Limit, decimal? SoftLimit, decimal Spent, decimal Reserved, decimal Remaining, DateTimeOffset? ResetsAt);
