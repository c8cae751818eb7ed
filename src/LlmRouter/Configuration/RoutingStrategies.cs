namespace LlmRouter;

/// <summary>The names of the built-in routing strategies.</summary>
public static class RoutingStrategies
{
    /// <summary>Weighted random choice among healthy deployments (the default).</summary>
    public const string Weighted = "Weighted";

    /// <summary>The healthy deployment with the fewest requests in flight.</summary>
    public const string LeastBusy = "LeastBusy";

    /// <summary>The healthy deployment with the lowest moving-average latency (time to first token for streams).</summary>
    public const string LowestLatency = "LowestLatency";

    /// <summary>
    /// The healthy deployment with the lowest expected cost for the request: its prompt at the deployment's input price
    /// (long-context tiers included) plus the request's <c>MaxOutputTokens</c> (else <see cref="PricingOptions.DefaultMaxOutputTokens"/>)
    /// at its output price. Deployments without a price come last; ties go to the deployment with the fewest requests in flight.
    /// </summary>
    public const string LowestCost = "LowestCost";
}
