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
}
