using System.Collections.Frozen;

namespace LlmRouter;

/// <summary>The virtual keys, tenants and budgets of one routing table, compiled from validated options.</summary>
internal sealed class KeyPolicies
{
    /// <summary>No keys: every request is refused.</summary>
    public static readonly KeyPolicies None = new(FrozenDictionary<string, KeyPolicy>.Empty, FrozenDictionary<string, TenantPolicy>.Empty, anonymous: null, BudgetSettings.None);

    private readonly FrozenDictionary<string, KeyPolicy> _keys;
    private readonly FrozenDictionary<string, TenantPolicy> _tenants;

    private KeyPolicies(FrozenDictionary<string, KeyPolicy> keys, FrozenDictionary<string, TenantPolicy> tenants, KeyPolicy? anonymous, BudgetSettings budgets)
    {
        _keys = keys;
        _tenants = tenants;
        Anonymous = anonymous;
        Budgets = budgets;
    }

    /// <summary>Gets the key for requests without one, or <see langword="null"/> to refuse them.</summary>
    public KeyPolicy? Anonymous { get; }

    public int Count => _keys.Count;

    /// <summary>Gets the budget settings and every configured budget (keys', tenants' and the global one).</summary>
    public BudgetSettings Budgets { get; }

    public static KeyPolicies Build(LlmRouterOptions options, RateLimiterRegistry limiters)
    {
        var budgets = new List<ScopeBudget>();
        ScopeBudget? global = ScopeBudget.Compile(BudgetScope.Global, null, options.Budgets.Global);
        var tenants = new Dictionary<string, TenantPolicy>(StringComparer.Ordinal);
        foreach ((string name, TenantOptions tenant) in options.Tenants)
        {
            tenants[name] = new TenantPolicy(
                name,
                limiters.For(RateLimitScope.Tenant, name, tenant.RateLimit),
                tenant.Pii is null ? null : PiiPolicy.Compile(tenant.Pii),
                ScopeBudget.Compile(BudgetScope.Tenant, name, tenant.Budget));
        }

        var keys = new Dictionary<string, KeyPolicy>(StringComparer.Ordinal);
        foreach ((string id, KeyOptions key) in options.Keys)
        {
            TenantPolicy? tenant = key.Tenant is null ? null : tenants[key.Tenant];
            string[]? regions = key.Regions.Contains("*") ? null : [.. key.Regions];
            ScopeBudget? budget = ScopeBudget.Compile(BudgetScope.Key, id, key.Budget);
            if (budget is not null)
            {
                budgets.Add(budget);
            }

            keys[id] = new KeyPolicy(
                id,
                tenant,
                ModelPatterns.Compile(key.Models),
                regions,
                limiters.For(RateLimitScope.Key, id, key.RateLimit),
                key.Pii is null ? tenant?.Pii : PiiPolicy.Compile(key.Pii))
            {
                Budget = budget,
                Budgets = BudgetPlan.Of(budget, tenant?.Budget, global),
            };
        }

        foreach (TenantPolicy tenant in tenants.Values)
        {
            if (tenant.Budget is not null)
            {
                budgets.Add(tenant.Budget);
            }
        }

        limiters.Retain(options);
        KeyPolicy? anonymous = options.AnonymousKey is null ? null : keys[options.AnonymousKey];
        return new KeyPolicies(
            keys.ToFrozenDictionary(StringComparer.Ordinal),
            tenants.ToFrozenDictionary(StringComparer.Ordinal),
            anonymous,
            BudgetSettings.Build(options, global, budgets));
    }

    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeyPolicy? key) => _keys.TryGetValue(id, out key);

    public bool TryGetTenant(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TenantPolicy? tenant) => _tenants.TryGetValue(name, out tenant);
}
