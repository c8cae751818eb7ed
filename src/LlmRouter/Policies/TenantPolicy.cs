namespace LlmRouter;

/// <summary>One tenant as the routing table holds it: its shared rate limits and default PII policy.</summary>
internal sealed class TenantPolicy
{
    public TenantPolicy(string id, RateLimitBuckets? limits, PiiPolicy? pii)
    {
        Id = id;
        Limits = limits;
        Pii = pii;
    }

    public string Id { get; }

    public RateLimitBuckets? Limits { get; }

    public PiiPolicy? Pii { get; }
}
