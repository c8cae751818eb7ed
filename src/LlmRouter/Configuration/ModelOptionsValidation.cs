namespace LlmRouter;

internal static class ModelOptionsValidation
{
    public static void Validate(LlmRouterOptions options, RouterRegistrations registrations, ConfigurationErrors errors)
    {
        if (options.Models.Count == 0)
        {
            errors.Add(errors.Path("Models"), "no model is configured (is the configuration section name right?)");
        }

        foreach ((string alias, ModelOptions model) in options.Models)
        {
            string path = errors.Path("Models:" + alias);
            if (!ModelNames.IsValidName(alias))
            {
                errors.Add(path, $"'{ModelNames.Printable(alias)}' is not a valid model alias ({ModelNames.NameRule})");
            }

            if (model is null)
            {
                errors.Add(path, "is empty");
                continue;
            }

            ValidateDeployments(options, alias, model, path, errors);
            ValidateTargets(options, alias, model.Fallbacks, path + ":Fallbacks", errors);
            ValidateTargets(options, alias, model.ContextWindowFallbacks, path + ":ContextWindowFallbacks", errors);
            ValidateTargets(options, alias, model.ContentPolicyFallbacks, path + ":ContentPolicyFallbacks", errors);
            if (model.Strategy is not null && !registrations.IsKnownStrategy(model.Strategy))
            {
                errors.Add(path + ":Strategy", $"unknown routing strategy '{model.Strategy}' ({registrations.DescribeStrategies()})");
            }
        }

        FallbackCycles.Report(options, errors);
    }

    private static void ValidateDeployments(LlmRouterOptions options, string alias, ModelOptions model, string path, ConfigurationErrors errors)
    {
        if (model.Deployments.Count == 0)
        {
            errors.Add(path + ":Deployments", $"model '{alias}' needs at least one deployment");
            return;
        }

        bool anyWeight = false;
        bool badWeight = false;
        var seen = new HashSet<(string?, string?)>();
        for (int i = 0; i < model.Deployments.Count; i++)
        {
            DeploymentOptions deployment = model.Deployments[i];
            string itemPath = $"{path}:Deployments[{i}]";
            if (deployment is null)
            {
                errors.Add(itemPath, "is empty");
                continue;
            }

            AnnotationCheck.Validate(deployment, itemPath, errors);
            if (!string.IsNullOrEmpty(deployment.Provider) && !options.Providers.ContainsKey(deployment.Provider))
            {
                errors.Add(itemPath + ":Provider", $"unknown provider '{ModelNames.Printable(deployment.Provider)}'");
            }

            if (double.IsNaN(deployment.Weight) || double.IsInfinity(deployment.Weight) || deployment.Weight < 0)
            {
                errors.Add(itemPath + ":Weight", $"must be zero or a positive number, not {deployment.Weight}");
                badWeight = true;
            }
            else if (deployment.Weight > 0)
            {
                anyWeight = true;
            }

            if (!seen.Add((deployment.Provider, deployment.Model)))
            {
                errors.Add(itemPath, $"deployment '{deployment.Provider}/{deployment.Model}' is listed twice");
            }
        }

        if (!anyWeight && !badWeight)
        {
            errors.Add(path + ":Deployments", "at least one deployment needs a positive Weight");
        }
    }

    internal static void ValidateTargets(LlmRouterOptions options, string? alias, List<string> targets, string path, ConfigurationErrors errors)
    {
        for (int i = 0; i < targets.Count; i++)
        {
            string target = targets[i];
            string itemPath = $"{path}[{i}]";
            if (string.IsNullOrEmpty(target))
            {
                errors.Add(itemPath, "is empty");
            }
            else if (!options.Models.ContainsKey(target))
            {
                errors.Add(itemPath, $"unknown model '{ModelNames.Printable(target)}'");
            }
            else if (alias is not null && string.Equals(target, alias, StringComparison.Ordinal))
            {
                errors.Add(itemPath, $"model '{alias}' cannot fall back to itself");
            }
        }
    }
}
