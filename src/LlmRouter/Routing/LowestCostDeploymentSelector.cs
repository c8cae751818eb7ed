namespace LlmRouter;

/// <summary>
/// The candidate with the lowest expected cost for the request: its prompt at the deployment's input price (long-context
/// tiers included) plus the expected output at its output price. Unpriced candidates come last; ties go to the
/// candidate with the fewest requests in flight, then to the first listed.
/// </summary>
/// <remarks>
/// Costs are linear in the prompt's size, so a candidate that is cheapest both for an empty prompt and for the prompt's
/// safe upper bound is cheapest for every size in between: the prompt is tokenized only when the two ends disagree,
/// or when a long-context tier starts below the bound.
/// </remarks>
internal sealed class LowestCostDeploymentSelector : IDeploymentSelector
{
    public static readonly LowestCostDeploymentSelector Instance = new();

    public int Select(ReadOnlySpan<Deployment> candidates, in DeploymentSelectionArguments arguments)
    {
        RequestEstimate estimate = arguments.Route.Estimate;
        long output = estimate.ExpectedOutputTokens;
        long bound = estimate.PromptTokenBound;
        bool needsCount = false;
        for (int i = 0; i < candidates.Length; i++)
        {
            needsCount |= candidates[i].Price?.HasTierBelow(bound) == true;
        }

        if (!needsCount)
        {
            int atEmpty = Cheapest(candidates, estimate, output, prompt: 0);
            int atBound = Cheapest(candidates, estimate, output, prompt: bound);
            if (atEmpty == atBound)
            {
                return atBound;
            }
        }

        return Cheapest(candidates, estimate, output, prompt: -1);
    }

    /// <summary>The cheapest candidate for a prompt of the given size, or (size -1) of its counted size on each candidate.</summary>
    private static int Cheapest(ReadOnlySpan<Deployment> candidates, RequestEstimate estimate, long output, long prompt)
    {
        int best = 0;
        decimal? bestCost = null;
        for (int i = 0; i < candidates.Length; i++)
        {
            Deployment candidate = candidates[i];
            decimal? cost = null;
            if (candidate.Price is { } price)
            {
                long tokens = prompt >= 0 ? prompt : estimate.PromptTokens(candidate);
                cost = price.RatesFor(tokens).Expected(tokens, output);
            }

            if (i == 0 || IsBetter(cost, candidate, bestCost, candidates[best]))
            {
                best = i;
                bestCost = cost;
            }
        }

        return best;
    }

    private static bool IsBetter(decimal? cost, Deployment candidate, decimal? bestCost, Deployment best)
    {
        if (cost is null)
        {
            return bestCost is null && candidate.Health.InFlight < best.Health.InFlight;
        }

        if (bestCost is null || cost < bestCost)
        {
            return true;
        }

        return cost == bestCost && candidate.Health.InFlight < best.Health.InFlight;
    }
}
