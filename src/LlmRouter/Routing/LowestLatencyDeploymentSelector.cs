namespace LlmRouter;

/// <summary>
/// The candidate with the lowest moving-average latency: time to first token for streams, time to the whole response
/// otherwise. A candidate without samples yet is tried first, so every deployment gets measured.
/// </summary>
internal sealed class LowestLatencyDeploymentSelector : IDeploymentSelector
{
    public static readonly LowestLatencyDeploymentSelector Instance = new();

    public int Select(ReadOnlySpan<Deployment> candidates, in DeploymentSelectionArguments arguments)
    {
        int best = 0;
        long lowest = long.MaxValue;
        for (int i = 0; i < candidates.Length; i++)
        {
            DeploymentHealth health = candidates[i].Health;
            TimeSpan? average = arguments.Streaming ? health.AverageTimeToFirstToken : health.AverageLatency;
            long ticks = average?.Ticks ?? -1;
            if (ticks < lowest)
            {
                lowest = ticks;
                best = i;
            }
        }

        return best;
    }
}
