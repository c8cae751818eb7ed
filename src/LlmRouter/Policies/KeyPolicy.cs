namespace LlmRouter;

/// <summary>One virtual key as the routing table holds it: its models, regions, tenant, rate limits, PII policy and budgets.</summary>
/// <remarks>Immutable; belongs to one routing table. <see cref="Id"/> is sensitive: never log it or put it in a message.</remarks>
internal sealed class KeyPolicy
{
    public KeyPolicy(string id, TenantPolicy? tenant, ModelPatterns models, string[]? regions, RateLimitBuckets? limits, PiiPolicy? pii)
    {
        Id = id;
        Tenant = tenant;
        Models = models;
        Regions = regions;
        Limits = limits;
        Pii = pii;
    }

    public string Id { get; }

    public TenantPolicy? Tenant { get; }

    public ModelPatterns Models { get; }

    /// <summary>Gets the allowed regions, or <see langword="null"/> for every region (<c>*</c>).</summary>
    public string[]? Regions { get; }

    /// <summary>Gets the key's own rate limits, or <see langword="null"/> when it has none.</summary>
    public RateLimitBuckets? Limits { get; }

    /// <summary>Gets the PII policy: the key's own, else its tenant's, else <see langword="null"/> (no scanning).</summary>
    public PiiPolicy? Pii { get; }

    /// <summary>Gets the key's own budget, or <see langword="null"/>.</summary>
    public ScopeBudget? Budget { get; init; }

    /// <summary>Gets the budgets the key's requests must fit (its own, its tenant's, the global one), or <see langword="null"/> when none applies.</summary>
    public BudgetPlan? Budgets { get; init; }

    public bool AllowsRegion(string region)
    {
        if (Regions is null)
        {
            return true;
        }

        foreach (string allowed in Regions)
        {
            if (string.Equals(allowed, region, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
