namespace LlmRouter;

internal static class PricingOptionsValidation
{
    public static void Validate(LlmRouterOptions options, ConfigurationErrors errors)
    {
        if (options.Pricing is null)
        {
            errors.Add(errors.Path("Pricing"), "is empty");
        }
        else
        {
            AnnotationCheck.Validate(options.Pricing, errors.Path("Pricing"), errors);
        }

        var known = KnownKeys(options);
        foreach ((string key, ModelPriceOptions entry) in options.Prices)
        {
            string path = errors.Path("Prices:" + key);
            if (entry is null)
            {
                errors.Add(path, "is empty");
                continue;
            }

            if (!known.Contains(key))
            {
                errors.Add(path, $"'{ModelNames.Printable(key)}' matches no deployment (provider/model), model alias or model id");
            }

            ValidateEntry(entry, path, errors);
        }

        ValidatePriceAs(options, errors);
    }

    private static void ValidateEntry(ModelPriceOptions entry, string path, ConfigurationErrors errors)
    {
        AnnotationCheck.Validate(entry, path, errors);
        if (!entry.SetsPrice && entry.MaxInputTokens is null && entry.MaxOutputTokens is null && entry.ContextWindowTokens is null)
        {
            errors.Add(path, "sets neither a price nor a token limit");
            return;
        }

        if (entry.SetsPrice && (entry.InputPerMillion is null || entry.OutputPerMillion is null))
        {
            errors.Add(path, "a price needs both InputPerMillion and OutputPerMillion");
        }

        var thresholds = new HashSet<long>();
        for (int i = 0; i < entry.Tiers.Count; i++)
        {
            PriceTierOptions tier = entry.Tiers[i];
            string tierPath = $"{path}:Tiers[{i}]";
            if (tier is null)
            {
                errors.Add(tierPath, "is empty");
                continue;
            }

            AnnotationCheck.Validate(tier, tierPath, errors);
            if (tier.AboveInputTokens > 0 && !thresholds.Add(tier.AboveInputTokens))
            {
                errors.Add(tierPath + ":AboveInputTokens", $"another tier already starts above {tier.AboveInputTokens} tokens");
            }
        }
    }

    /// <summary>A <c>PriceAs</c> must name a catalog model, unless a <c>Prices</c> entry prices the deployment anyway.</summary>
    private static void ValidatePriceAs(LlmRouterOptions options, ConfigurationErrors errors)
    {
        foreach ((string alias, ModelOptions model) in options.Models)
        {
            if (model is null)
            {
                continue;
            }

            for (int i = 0; i < model.Deployments.Count; i++)
            {
                DeploymentOptions deployment = model.Deployments[i];
                if (deployment?.PriceAs is not { } priceAs || deployment.Provider is null || deployment.Model is null)
                {
                    continue;
                }

                string path = errors.Path($"Models:{alias}:Deployments[{i}]:PriceAs");
                if (string.IsNullOrWhiteSpace(priceAs))
                {
                    errors.Add(path, "is empty");
                    continue;
                }

                bool priced = DeploymentPricing.FindOverride(options, alias, deployment.Provider, deployment) is { Options.SetsPrice: true };
                if (!priced && options.Providers.TryGetValue(deployment.Provider, out ProviderOptions? provider) && provider is not null &&
                    PriceCatalog.BuiltIn.Resolve(priceAs, DeploymentPricing.ProviderPrefixes(deployment.Provider, provider)) is null)
                {
                    errors.Add(path, $"the price catalog ({PriceCatalog.BuiltIn.Version}) has no model '{ModelNames.Printable(priceAs)}'; set a price under Prices instead");
                }
            }
        }
    }

    private static HashSet<string> KnownKeys(LlmRouterOptions options)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string alias, ModelOptions model) in options.Models)
        {
            keys.Add(alias);
            foreach (DeploymentOptions deployment in model?.Deployments ?? [])
            {
                if (deployment?.Model is { } id)
                {
                    keys.Add(id);
                    keys.Add(deployment.Provider + "/" + id);
                }

                if (deployment?.PriceAs is { } priceAs)
                {
                    keys.Add(priceAs);
                }
            }
        }

        return keys;
    }
}
