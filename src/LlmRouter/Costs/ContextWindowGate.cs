namespace LlmRouter;

/// <summary>
/// Skips a deployment, without calling it, when the request cannot fit the model: its prompt over the model's input
/// limit (<see cref="Deployment.MaxInputTokens"/>), or — where a whole context window is known
/// (<see cref="Deployment.ContextWindowTokens"/>) — its prompt plus its output cap over that window. The fallback layer
/// then goes on along the alias's <c>ContextWindowFallbacks</c>.
/// </summary>
/// <remarks>
/// The output cap is the request's own <c>MaxOutputTokens</c>, at most the model's output limit; a request without one
/// reserves no output (providers fit the answer into what remains). The prompt is measured only as far as the decision
/// needs: a bound from string lengths, then from UTF-8 bytes, and a tokenizer count only when both bounds exceed the
/// limit. For models whose tokenizer LlmRouter approximates, the count is an approximation, so a request close to the
/// limit may still be refused by the provider; that refusal is classified <see cref="ErrorClass.ContextWindowExceeded"/>
/// and takes the same fallback path.
/// </remarks>
internal sealed class ContextWindowGate : IAttemptGate
{
    public static readonly ContextWindowGate Instance = new();

    private ContextWindowGate()
    {
    }

    public string? Screen(RouteInfo route, Deployment deployment)
    {
        if ((deployment.MaxInputTokens is null && deployment.ContextWindowTokens is null) || route.Table is not { } table || !table.Options.Pricing.CheckContextWindow)
        {
            return null;
        }

        RequestEstimate estimate = route.Estimate;
        if (deployment.MaxInputTokens is int inputLimit && !estimate.PromptFits(deployment, inputLimit))
        {
            return SkipReasons.ContextWindow;
        }

        if (deployment.ContextWindowTokens is int window)
        {
            long output = estimate.RequestedMaxOutputTokens is int requested ? Math.Min(requested, deployment.MaxOutputTokens ?? int.MaxValue) : 0;
            if (!estimate.PromptFits(deployment, window - output))
            {
                return SkipReasons.ContextWindow;
            }
        }

        return null;
    }

    public ValueTask<string?> BeforeAttemptAsync(RouteInfo route, Deployment deployment, CancellationToken cancellationToken) => default;
}
