using System.Collections.Frozen;

namespace LlmRouter;

/// <summary>
/// An immutable snapshot of the configuration as the router uses it. A reload builds a new table and swaps it in
/// atomically; a request captures the table once and finishes on it.
/// </summary>
internal sealed class RoutingTable
{
    public RoutingTable(LlmRouterOptions options, FrozenDictionary<string, ModelGroup> models, SecretRedactor redactor, long version)
    {
        Options = options;
        Models = models;
        Redactor = redactor;
        Version = version;
    }

    public LlmRouterOptions Options { get; }

    public RoutingOptions Routing => Options.Routing;

    public PricingOptions Pricing => Options.Pricing;

    /// <summary>Gets the virtual keys and tenants.</summary>
    public KeyPolicies Policies { get; init; } = KeyPolicies.None;

    /// <summary>Gets the budget settings and every configured budget.</summary>
    public BudgetSettings Budgets => Policies.Budgets;

    /// <summary>Gets the deployments without a known price.</summary>
    public IReadOnlyList<Deployment> Unpriced { get; init; } = [];

    public FrozenDictionary<string, ModelGroup> Models { get; }

    public SecretRedactor Redactor { get; }

    /// <summary>Gets the table's generation: higher for a table built from a later configuration (a reload that was rejected uses one up too).</summary>
    public long Version { get; }

    public bool TryGetModel(string? alias, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ModelGroup? group)
    {
        if (alias is null)
        {
            group = null;
            return false;
        }

        return Models.TryGetValue(alias, out group);
    }
}
