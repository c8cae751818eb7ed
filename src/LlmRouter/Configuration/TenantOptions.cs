namespace LlmRouter;

/// <summary>Settings shared by every key of one tenant (<c>LlmRouter:Tenants:{name}</c>).</summary>
public sealed class TenantOptions
{
    /// <summary>Gets or sets rate limits for all the tenant's keys together, or <see langword="null"/> for none. The default value is <see langword="null"/>.</summary>
    /// <remarks>A request must fit both its key's limits and its tenant's.</remarks>
    public RateLimitOptions? RateLimit { get; set; }

    /// <summary>Gets or sets the tenant's spending limit, or <see langword="null"/> for none. The default value is <see langword="null"/>.</summary>
    public BudgetOptions? Budget { get; set; }

    /// <summary>Gets or sets the PII policy of the tenant's keys that have none of their own, or <see langword="null"/>. The default value is <see langword="null"/>.</summary>
    public PiiPolicyOptions? Pii { get; set; }

    /// <summary>Gets or sets free-form metadata about the tenant. The default value is empty.</summary>
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.Ordinal);
}
