namespace LlmRouter;

/// <summary>
/// Puts the caller's key policy on every deployment the fallback and routing layers would try: an alias outside the
/// key's model patterns, a region outside its regions, and a region where its PII policy blocks what the request
/// contains are skipped (never called), with the reason. Just before a call it prepares what is sent: the request with
/// the personal data the target region's policy redacts replaced by placeholders.
/// </summary>
internal sealed class KeyPolicyGate : IAttemptGate
{
    public static readonly KeyPolicyGate Instance = new();

    private KeyPolicyGate()
    {
    }

    public string? Screen(RouteInfo route, Deployment deployment)
    {
        if (route.Policy is not { } key)
        {
            return null;
        }

        if (!key.Models.Allows(deployment.Model))
        {
            return SkipReasons.ModelNotAllowed;
        }

        if (!key.AllowsRegion(deployment.Region))
        {
            return SkipReasons.RegionNotAllowed;
        }

        return route.Pii is { } pii && pii.BlockedIn(deployment.Region) ? SkipReasons.PolicyViolation : null;
    }

    public ValueTask<string?> BeforeAttemptAsync(RouteInfo route, Deployment deployment, CancellationToken cancellationToken)
    {
        if (route.Pii is { } pii)
        {
            route.AttemptMessages = pii.Prepare(deployment.Region, out int redactions);
            if (redactions > 0)
            {
                RouterLog.Redacted(pii.Logger, redactions, deployment.Model, deployment.Id, deployment.Region);
            }
        }

        return default;
    }
}
