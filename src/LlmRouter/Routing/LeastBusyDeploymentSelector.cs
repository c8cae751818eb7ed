namespace LlmRouter;

/// <summary>The candidate with the fewest requests in flight; ties go to the earliest in configuration order.</summary>
internal sealed class LeastBusyDeploymentSelector : IDeploymentSelector
{
    public static readonly LeastBusyDeploymentSelector Instance = new();

    public int Select(ReadOnlySpan<Deployment> candidates, in DeploymentSelectionArguments arguments)
    {
        int best = 0;
        int fewest = int.MaxValue;
        for (int i = 0; i < candidates.Length; i++)
        {
            int inFlight = candidates[i].Health.InFlight;
            if (inFlight < fewest)
            {
                fewest = inFlight;
                best = i;
            }
        }

        return best;
    }
}
