namespace LlmRouter;

/// <summary>
/// Skips a deployment, without calling it, when the request cannot fit its context window: the prompt plus the
/// request's own <c>MaxOutputTokens</c> over the model's input limit. The fallback layer then goes on along the alias's
/// <c>ContextWindowFallbacks</c>.
/// </summary>
/// <remarks>
/// The prompt is measured only as far as the decision needs: a bound from string lengths, then from UTF-8 bytes, and a
/// tokenizer count only when both bounds exceed the window. For models whose tokenizer LlmRouter approximates, the count
/// is an approximation, so a request close to the limit may still be refused by the provider; that refusal is classified
/// <see cref="ErrorClass.ContextWindowExceeded"/> and takes the same fallback path. A request without
/// <c>MaxOutputTokens</c> reserves no output here: providers fit the answer into what remains of the window.
/// </remarks>
internal sealed class ContextWindowGate : IAttemptGate
{
    public static readonly ContextWindowGate Instance = new();

    private ContextWindowGate()
    {
    }

    public string? Screen(RouteInfo route, Deployment deployment)
    {
        if (deployment.MaxInputTokens is not int window || route.Table is not { } table || !table.Options.Pricing.CheckContextWindow)
        {
            return null;
        }

        RequestEstimate estimate = route.Estimate;
        long reserved = estimate.RequestedMaxOutputTokens is int requested ? Math.Min(requested, deployment.MaxOutputTokens ?? int.MaxValue) : 0;
        return estimate.PromptFits(deployment, window - reserved) ? null : SkipReasons.ContextWindow;
    }

    public ValueTask<string?> BeforeAttemptAsync(RouteInfo route, Deployment deployment, CancellationToken cancellationToken) => default;
}
