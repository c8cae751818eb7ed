namespace LlmRouter;

/// <summary>Weighted random choice: each candidate is picked in proportion to its weight.</summary>
internal sealed class WeightedDeploymentSelector : IDeploymentSelector
{
    private readonly Random? _seeded;
    private readonly Lock _seededLock = new();

    public WeightedDeploymentSelector(int? seed) => _seeded = seed is int s ? new Random(s) : null;

    public int Select(ReadOnlySpan<Deployment> candidates, in DeploymentSelectionArguments arguments)
    {
        if (candidates.Length == 1)
        {
            return 0;
        }

        double total = 0;
        foreach (Deployment candidate in candidates)
        {
            total += candidate.Weight;
        }

        if (total <= 0)
        {
            return (int)(NextDouble() * candidates.Length);
        }

        double point = NextDouble() * total;
        for (int i = 0; i < candidates.Length; i++)
        {
            point -= candidates[i].Weight;
            if (point < 0)
            {
                return i;
            }
        }

        return candidates.Length - 1;
    }

    private double NextDouble()
    {
        if (_seeded is null)
        {
            return Random.Shared.NextDouble();
        }

        lock (_seededLock)
        {
            return _seeded.NextDouble();
        }
    }
}
