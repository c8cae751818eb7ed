using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmRouter;

/// <summary>
/// Turns validated options into a <see cref="RoutingTable"/>: provider clients, deployments with their prices, token
/// limits and usage formats, strategies and fallback chains. Deployments without a price are logged as warnings.
/// </summary>
internal sealed class RoutingTableBuilder
{
    private readonly ProviderClientFactory _clients;
    private readonly DeploymentHealthRegistry _health;
    private readonly RouterRegistrations _registrations;
    private readonly IServiceProvider _services;
    private readonly RateLimiterRegistry _limiters;
    private readonly ILogger _logger;
    private readonly Dictionary<string, IDeploymentSelector> _customSelectors = new(StringComparer.Ordinal);
    private readonly Lock _customSelectorsLock = new();

    public RoutingTableBuilder(ProviderClientFactory clients, DeploymentHealthRegistry health, RouterRegistrations registrations, RateLimiterRegistry limiters, IServiceProvider services, ILogger<RoutingTableBuilder> logger)
    {
        _limiters = limiters;
        _clients = clients;
        _health = health;
        _registrations = registrations;
        _services = services;
        _logger = logger;
    }

    /// <summary>Validates the options and builds their table.</summary>
    /// <param name="options">The options.</param>
    /// <param name="version">The table's version: higher for a later configuration.</param>
    /// <returns>The table, not yet in service.</returns>
    /// <exception cref="OptionsValidationException">The options are not valid; every error is listed.</exception>
    public RoutingTable Build(LlmRouterOptions options, long version)
    {
        ConfigurationErrors errors = LlmRouterOptionsValidator.Collect(options, _registrations);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(LlmRouterOptions), errors.Errors);
        }

        var weighted = new WeightedDeploymentSelector(options.Routing.Seed);
        var clients = new Dictionary<string, ProviderClient>(StringComparer.Ordinal);
        foreach ((string name, ProviderOptions provider) in options.Providers)
        {
            clients[name] = _clients.Create(name, provider, version);
        }

        PriceCatalog catalog = PriceCatalog.BuiltIn;
        var unpriced = new List<Deployment>();
        var groups = new Dictionary<string, ModelGroup>(StringComparer.Ordinal);
        foreach ((string alias, ModelOptions model) in options.Models)
        {
            var deployments = new Deployment[model.Deployments.Count];
            for (int i = 0; i < deployments.Length; i++)
            {
                DeploymentOptions d = model.Deployments[i];
                ProviderOptions provider = options.Providers[d.Provider!];
                ProviderClient client = clients[d.Provider!];
                PricedModel priced = DeploymentPricing.Resolve(options, alias, d.Provider!, provider, d, catalog);
                deployments[i] = new Deployment(alias, i, d.Provider!, provider.Kind, provider.Region!, d.Model!, d.Weight, client.Client, _health.Get(d.Provider!, d.Model!))
                {
                    Price = priced.Price,
                    MaxInputTokens = priced.MaxInputTokens,
                    MaxOutputTokens = priced.MaxOutputTokens,
                    ContextWindowTokens = priced.ContextWindowTokens,
                    UsageFormat = UsageNormalizer.Resolve(provider.UsageFormat, provider.Kind, client.Unconfigured),
                    Tokenizer = TokenCounting.ChoiceFor(d.PriceAs ?? d.Model!),
                };

                if (priced.Price is null)
                {
                    unpriced.Add(deployments[i]);
                    RouterLog.UnpricedDeployment(_logger, alias, deployments[i].Id, catalog.Version, options.Pricing.Strict ? "it is refused (Pricing:Strict)" : "its calls are served and flagged price_unknown");
                }
            }

            groups[alias] = new ModelGroup(alias, model, deployments, Selector(model.Strategy ?? options.Routing.Strategy, weighted));
        }

        foreach (ModelGroup group in groups.Values)
        {
            group.Fallbacks = Chain(groups, group, group.Options.Fallbacks, options.Routing.DefaultFallbacks);
            group.ContextWindowFallbacks = Chain(groups, group, group.Options.ContextWindowFallbacks, []);
            group.ContentPolicyFallbacks = Chain(groups, group, group.Options.ContentPolicyFallbacks, []);
        }

        var redactor = new SecretRedactor(options.Providers.Values.Select(p => p.ApiKey));
        return new RoutingTable(options, groups.ToFrozenDictionary(StringComparer.Ordinal), redactor, version) { Unpriced = unpriced, Policies = KeyPolicies.Build(options, _limiters) };
    }

    /// <summary>The aliases tried after <paramref name="origin"/>: each listed alias followed by its own fallbacks, depth first, each once.</summary>
    private static ModelGroup[] Chain(Dictionary<string, ModelGroup> groups, ModelGroup origin, List<string> first, List<string> defaults)
    {
        var chain = new List<ModelGroup>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { origin.Name };
        Expand(first);
        Expand(defaults);
        return [.. chain];

        void Expand(List<string> aliases)
        {
            foreach (string alias in aliases)
            {
                if (!seen.Add(alias))
                {
                    continue;
                }

                ModelGroup group = groups[alias];
                chain.Add(group);
                Expand(group.Options.Fallbacks);
            }
        }
    }

    private IDeploymentSelector Selector(string strategy, WeightedDeploymentSelector weighted)
    {
        switch (strategy)
        {
            case RoutingStrategies.Weighted:
                return weighted;
            case RoutingStrategies.LeastBusy:
                return LeastBusyDeploymentSelector.Instance;
            case RoutingStrategies.LowestLatency:
                return LowestLatencyDeploymentSelector.Instance;
            case RoutingStrategies.LowestCost:
                return LowestCostDeploymentSelector.Instance;
        }

        lock (_customSelectorsLock)
        {
            if (!_customSelectors.TryGetValue(strategy, out IDeploymentSelector? selector))
            {
                selector = _registrations.Strategies[strategy](_services);
                _customSelectors[strategy] = selector;
            }

            return selector;
        }
    }
}
