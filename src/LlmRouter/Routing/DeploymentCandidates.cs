namespace LlmRouter;

/// <summary>
/// Finds the deployments of an alias that may be tried now: not yet considered in this request, let through by every
/// gate, and not cooling down — judged in that order, so the recorded reason is the gates' (policy, context window,
/// price) when they refuse. Those left out are recorded on the route as skipped, with the reason, once.
/// </summary>
internal static class DeploymentCandidates
{
    /// <summary>Collects the eligible deployments into <paramref name="buffer"/>: those with a positive weight, or, when there are none, the zero-weight standbys.</summary>
    /// <returns>The number collected.</returns>
    public static int Collect(ModelGroup group, RouteInfo route, Deployment[] buffer)
    {
        Deployment[] all = group.Deployments;
        long now = route.TimeProvider.GetTimestamp();
        int weighted = 0;
        int standby = 0;
        foreach (Deployment deployment in all)
        {
            if (!IsEligible(group, route, deployment, now))
            {
                continue;
            }

            if (deployment.Weight > 0)
            {
                buffer[weighted++] = deployment;
            }
            else
            {
                buffer[all.Length - 1 - standby++] = deployment;
            }
        }

        if (weighted > 0 || standby == 0)
        {
            return weighted;
        }

        for (int i = 0; i < standby; i++)
        {
            buffer[i] = buffer[all.Length - 1 - i];
        }

        return standby;
    }

    /// <summary>Gets whether any deployment of the alias may be tried now, recording those that may not.</summary>
    public static bool Any(ModelGroup group, RouteInfo route)
    {
        long now = route.TimeProvider.GetTimestamp();
        bool any = false;
        foreach (Deployment deployment in group.Deployments)
        {
            any |= IsEligible(group, route, deployment, now);
        }

        return any;
    }

    private static bool IsEligible(ModelGroup group, RouteInfo route, Deployment deployment, long now)
    {
        if (route.HasConsidered(deployment))
        {
            return false;
        }

        // Policy first: a deployment the caller may not use is skipped for that reason even while it cools down, so a
        // request whose every target is out of bounds is refused as such, not counted as a failure of the providers.
        string? skip = route.Gates.Screen(route, deployment) ?? (deployment.Health.IsCoolingDownAt(now) ? SkipReasons.Cooldown : null);
        if (skip is null)
        {
            return true;
        }

        route.RecordSkip(group.Name, deployment, skip);
        return false;
    }
}
