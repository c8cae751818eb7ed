namespace LlmRouter;

/// <summary>With <see cref="PricingOptions.Strict"/> on, skips deployments without a known price (reason <c>price_unknown</c>).</summary>
internal sealed class StrictPricingGate : IAttemptGate
{
    public static readonly StrictPricingGate Instance = new();

    private StrictPricingGate()
    {
    }

    public string? Screen(RouteInfo route, Deployment deployment) =>
        deployment.Price is null && route.Table is { Options.Pricing.Strict: true } ? SkipReasons.PriceUnknown : null;

    public ValueTask<string?> BeforeAttemptAsync(RouteInfo route, Deployment deployment, CancellationToken cancellationToken) => default;
}
