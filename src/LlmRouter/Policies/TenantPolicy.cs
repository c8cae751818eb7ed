namespace LlmRouter;

/// <summary>One tenant as the routing table holds it: its shared rate limits and budget, and its default PII policy.</summary>
internal sealed class TenantPolicy
{
    public TenantPolicy(string id, RateLimitBuckets? limits, PiiPolicy? pii, ScopeBudget? budget)
    {
        Id = id;
        Limits = limits;
        Pii = pii;
        Budget = budget;
    }

    public string Id { get; }

    public RateLimitBuckets? Limits { get; }

    public PiiPolicy? Pii { get; }

    /// <summary>Gets the tenant's budget, shared by its keys, or <see langword="null"/>.</summary>
    public ScopeBudget? Budget { get; }
}
