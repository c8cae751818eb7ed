using System.Collections.Frozen;

namespace LlmRouter;

/// <summary>The virtual keys and tenants of one routing table, compiled from validated options.</summary>
internal sealed class KeyPolicies
{
    /// <summary>No keys: every request is refused.</summary>
    public static readonly KeyPolicies None = new(FrozenDictionary<string, KeyPolicy>.Empty, anonymous: null);

    private readonly FrozenDictionary<string, KeyPolicy> _keys;

    private KeyPolicies(FrozenDictionary<string, KeyPolicy> keys, KeyPolicy? anonymous)
    {
        _keys = keys;
        Anonymous = anonymous;
    }

    /// <summary>Gets the key for requests without one, or <see langword="null"/> to refuse them.</summary>
    public KeyPolicy? Anonymous { get; }

    public int Count => _keys.Count;

    public static KeyPolicies Build(LlmRouterOptions options, RateLimiterRegistry limiters)
    {
        var tenants = new Dictionary<string, TenantPolicy>(StringComparer.Ordinal);
        foreach ((string name, TenantOptions tenant) in options.Tenants)
        {
            tenants[name] = new TenantPolicy(
                name,
                limiters.For(RateLimitScope.Tenant, name, tenant.RateLimit),
                tenant.Pii is null ? null : PiiPolicy.Compile(tenant.Pii));
        }

        var keys = new Dictionary<string, KeyPolicy>(StringComparer.Ordinal);
        foreach ((string id, KeyOptions key) in options.Keys)
        {
            TenantPolicy? tenant = key.Tenant is null ? null : tenants[key.Tenant];
            string[]? regions = key.Regions.Contains("*") ? null : [.. key.Regions];
            keys[id] = new KeyPolicy(
                id,
                tenant,
                ModelPatterns.Compile(key.Models),
                regions,
                limiters.For(RateLimitScope.Key, id, key.RateLimit),
                key.Pii is null ? tenant?.Pii : PiiPolicy.Compile(key.Pii));
        }

        limiters.Retain(options);
        KeyPolicy? anonymous = options.AnonymousKey is null ? null : keys[options.AnonymousKey];
        return new KeyPolicies(keys.ToFrozenDictionary(StringComparer.Ordinal), anonymous);
    }

    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeyPolicy? key) => _keys.TryGetValue(id, out key);
}
