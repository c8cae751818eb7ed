
namespace LlmRouter;

/// <summary>
/// Resolves each deployment's price and token limits once, when the routing table is built: a <c>Prices</c> entry of
/// the configuration first (by deployment, then alias, then model id), else the built-in catalog by the provider's
/// model id (or <c>PriceAs</c>) and the provider's catalog prefixes.
/// </summary>
internal static class DeploymentPricing
{
    /// <summary>API hosts of OpenAI-compatible providers and the catalog prefix their models are listed under.</summary>
    private static readonly Dictionary<string, string> HostPrefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["api.mistral.ai"] = "mistral",
        ["api.deepseek.com"] = "deepseek",
        ["api.groq.com"] = "groq",
        ["generativelanguage.googleapis.com"] = "gemini",
        ["api.together.xyz"] = "together_ai",
        ["api.fireworks.ai"] = "fireworks_ai",
        ["openrouter.ai"] = "openrouter",
        ["api.x.ai"] = "xai",
        ["api.perplexity.ai"] = "perplexity",
        ["api.cerebras.ai"] = "cerebras",
        ["api.deepinfra.com"] = "deepinfra",
        ["api.moonshot.ai"] = "moonshot",
        ["api.sambanova.ai"] = "sambanova",
        ["api.anthropic.com"] = "anthropic",
        ["dashscope-intl.aliyuncs.com"] = "dashscope",
        ["dashscope.aliyuncs.com"] = "dashscope",
    };

    public static PricedModel Resolve(LlmRouterOptions options, string alias, string providerName, ProviderOptions provider, DeploymentOptions deployment, PriceCatalog catalog)
    {
        PriceCatalogEntry? entry = catalog.Resolve(deployment.PriceAs ?? deployment.Model!, ProviderPrefixes(providerName, provider));
        if (FindOverride(options, alias, providerName, deployment) is not { } found)
        {
            return new PricedModel(entry?.Price, entry?.MaxInputTokens, entry?.MaxOutputTokens);
        }

        ModelPriceOptions o = found.Options;
        ModelPrice? price = o.SetsPrice ? Build(o, options.ConfigurationPath + ":Prices:" + found.Key) : entry?.Price;
        return new PricedModel(price, o.MaxInputTokens ?? entry?.MaxInputTokens, o.MaxOutputTokens ?? entry?.MaxOutputTokens, o.ContextWindowTokens);
    }

    /// <summary>The catalog prefixes a provider's models may be listed under: from its API host, its kind, and its name.</summary>
    public static IReadOnlyList<string> ProviderPrefixes(string providerName, ProviderOptions provider)
    {
        var prefixes = new List<string>(3);
        if (provider.Endpoint is { IsAbsoluteUri: true } endpoint)
        {
            if (HostPrefixes.TryGetValue(endpoint.Host, out string? byHost))
            {
                prefixes.Add(byHost);
            }
            else if (endpoint.Port == 11434)
            {
                prefixes.Add("ollama");
            }
        }

        if (provider.Kind == ProviderKind.AzureOpenAI)
        {
            prefixes.Add("azure");
        }

        string byName = providerName.ToLowerInvariant();
        if (!prefixes.Contains(byName))
        {
            prefixes.Add(byName);
        }

        return prefixes;
    }

    /// <summary>The <c>Prices</c> entry for a deployment: by <c>provider/model</c>, else by alias, else by model id.</summary>
    public static (string Key, ModelPriceOptions Options)? FindOverride(LlmRouterOptions options, string alias, string providerName, DeploymentOptions deployment)
    {
        if (options.Prices.Count == 0)
        {
            return null;
        }

        string deploymentId = providerName + "/" + deployment.Model;
        foreach (string? key in (ReadOnlySpan<string?>)[deploymentId, alias, deployment.PriceAs, deployment.Model])
        {
            if (key is not null && options.Prices.TryGetValue(key, out ModelPriceOptions? entry) && entry is not null)
            {
                return (key, entry);
            }
        }

        return null;
    }

    /// <summary>Builds the price a validated <c>Prices</c> entry sets.</summary>
    public static ModelPrice Build(ModelPriceOptions o, string sourceName)
    {
        decimal input = o.InputPerMillion!.Value;
        decimal output = o.OutputPerMillion!.Value;
        var rates = new PriceRates
        {
            InputPerMillion = input,
            OutputPerMillion = output,
            CachedInputPerMillion = o.CachedInputPerMillion ?? input,
            CacheWritePerMillion = o.CacheWritePerMillion ?? input,
            ReasoningPerMillion = o.ReasoningPerMillion ?? output,
        };

        var tiers = new List<PriceTier>(o.Tiers.Count);
        foreach (PriceTierOptions tier in o.Tiers)
        {
            decimal tierInput = tier.InputPerMillion!.Value;
            decimal tierOutput = tier.OutputPerMillion!.Value;
            tiers.Add(new PriceTier(tier.AboveInputTokens, new PriceRates
            {
                InputPerMillion = tierInput,
                OutputPerMillion = tierOutput,
                CachedInputPerMillion = tier.CachedInputPerMillion ?? o.CachedInputPerMillion ?? tierInput,
                CacheWritePerMillion = tier.CacheWritePerMillion ?? o.CacheWritePerMillion ?? tierInput,
                ReasoningPerMillion = tier.ReasoningPerMillion ?? o.ReasoningPerMillion ?? tierOutput,
            }));
        }

        return new ModelPrice(rates, tiers, PriceSource.Configuration, sourceName, catalogVersion: null);
    }
}
