namespace LlmRouter;

/// <summary>
/// Puts the request's budgets on every deployment the fallback and routing layers would try. A deployment without a
/// price cannot be budgeted and is skipped (<c>price_unknown</c>); just before a call, the request's worst-case cost on
/// that deployment is reserved at every scope that applies, or the deployment is skipped (<c>budget_exceeded</c>).
/// </summary>
internal sealed class BudgetGate : IAttemptGate
{
    public static readonly BudgetGate Instance = new();

    private BudgetGate()
    {
    }

    public string? Screen(RouteInfo route, Deployment deployment) =>
        route.Budget is not null && deployment.Price is null ? SkipReasons.PriceUnknown : null;

    public ValueTask<string?> BeforeAttemptAsync(RouteInfo route, Deployment deployment, CancellationToken cancellationToken) =>
        route.Budget is { } budget ? budget.ReserveAsync(deployment, cancellationToken) : default;
}
