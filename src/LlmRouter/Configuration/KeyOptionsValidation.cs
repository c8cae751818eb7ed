namespace LlmRouter;

/// <summary>Validates <c>Keys</c>, <c>Tenants</c> and <c>AnonymousKey</c>: names, patterns, regions, rate limits and PII policies (budgets: <see cref="BudgetOptionsValidation"/>).</summary>
internal static class KeyOptionsValidation
{
    public static void Validate(LlmRouterOptions options, ConfigurationErrors errors)
    {
        var regions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (ProviderOptions provider in options.Providers.Values)
        {
            if (provider?.Region is { } region)
            {
                regions.Add(region);
            }
        }

        foreach ((string name, TenantOptions tenant) in options.Tenants)
        {
            string path = errors.Path("Tenants:" + name);
            if (!ModelNames.IsValidName(name))
            {
                errors.Add(path, $"'{ModelNames.Printable(name)}' is not a valid tenant name ({ModelNames.NameRule})");
            }

            if (tenant is null)
            {
                errors.Add(path, "is empty");
                continue;
            }

            ValidateShared(tenant.RateLimit, tenant.Pii, regions, path, errors);
        }

        foreach ((string id, KeyOptions key) in options.Keys)
        {
            string path = errors.Path("Keys:" + id);
            if (!ModelNames.IsValidName(id))
            {
                errors.Add(path, $"not a valid key id ({ModelNames.NameRule})");
            }

            if (key is null)
            {
                errors.Add(path, "is empty");
                continue;
            }

            if (key.Tenant is not null && !options.Tenants.ContainsKey(key.Tenant))
            {
                errors.Add(path + ":Tenant", $"unknown tenant '{ModelNames.Printable(key.Tenant)}' (declare it under Tenants)");
            }

            ValidatePatterns(options, key.Models ?? [], path + ":Models", errors);
            ValidateRegions(key, regions, path, errors);
            ValidateShared(key.RateLimit, key.Pii, regions, path, errors);
        }

        if (options.Keys.Count == 0)
        {
            errors.Add(errors.Path("Keys"), "no key is configured, so every request would be refused (deny by default): add the keys callers use, and set AnonymousKey to the key for requests that come without one");
        }

        if (options.AnonymousKey is { } anonymous && !options.Keys.ContainsKey(anonymous))
        {
            errors.Add(errors.Path("AnonymousKey"), "names no key under Keys");
        }
    }

    private static void ValidatePatterns(LlmRouterOptions options, List<string> patterns, string path, ConfigurationErrors errors)
    {
        for (int i = 0; i < patterns.Count; i++)
        {
            string pattern = patterns[i];
            string itemPath = $"{path}[{i}]";
            if (string.IsNullOrWhiteSpace(pattern))
            {
                errors.Add(itemPath, "is empty");
            }
            else if (!ModelPatterns.IsWellFormed(pattern))
            {
                errors.Add(itemPath, $"'{ModelNames.Printable(pattern)}' is not a model pattern ({ModelPatterns.Rule})");
            }
            else if (pattern != "*" && !MatchesAny(options, pattern))
            {
                errors.Add(itemPath, pattern.EndsWith('*')
                    ? $"'{pattern}' matches no configured model"
                    : $"unknown model '{pattern}'");
            }
        }
    }

    private static bool MatchesAny(LlmRouterOptions options, string pattern)
    {
        if (!pattern.EndsWith('*'))
        {
            return options.Models.ContainsKey(pattern);
        }

        string prefix = pattern[..^1];
        foreach (string alias in options.Models.Keys)
        {
            if (alias.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void ValidateRegions(KeyOptions key, SortedSet<string> known, string path, ConfigurationErrors errors)
    {
        List<string> regions = key.Regions ?? [];
        if (regions.Count == 0 && key.Models is { Count: > 0 })
        {
            errors.Add(path + ":Regions", "the key lists models but no region, so it could reach none: list its regions, or '*' for every region");
        }

        for (int i = 0; i < regions.Count; i++)
        {
            string region = regions[i];
            string itemPath = $"{path}:Regions[{i}]";
            if (string.IsNullOrWhiteSpace(region))
            {
                errors.Add(itemPath, "is empty");
            }
            else if (region != "*")
            {
                CheckRegion(region, known, itemPath, errors);
            }
        }
    }

    private static void ValidateShared(RateLimitOptions? rateLimit, PiiPolicyOptions? pii, SortedSet<string> regions, string path, ConfigurationErrors errors)
    {
        if (rateLimit is not null)
        {
            AnnotationCheck.Validate(rateLimit, path + ":RateLimit", errors);
        }

        if (pii is not null)
        {
            ValidatePii(pii, regions, path + ":Pii", errors);
        }
    }

    private static void ValidatePii(PiiPolicyOptions pii, SortedSet<string> regions, string path, ConfigurationErrors errors)
    {
        if (!Enum.IsDefined(pii.Default))
        {
            errors.Add(path + ":Default", $"'{pii.Default}' is not a PII action (one of: {string.Join(", ", Enum.GetNames<PiiAction>())})");
        }

        foreach ((string region, PiiAction action) in pii.Regions)
        {
            CheckRegion(region, regions, path + ":Regions:" + region, errors);
            if (!Enum.IsDefined(action))
            {
                errors.Add(path + ":Regions:" + region, $"'{action}' is not a PII action (one of: {string.Join(", ", Enum.GetNames<PiiAction>())})");
            }
        }

        foreach ((string kind, PiiAction action) in pii.Kinds)
        {
            string kindPath = path + ":Kinds:" + kind;
            if (!PiiKindInfo.TryParse(kind, out _))
            {
                errors.Add(kindPath, $"unknown kind of personal data '{ModelNames.Printable(kind)}' (one of: {PiiKindInfo.Describe()})");
            }
            else if (action is not (PiiAction.Redact or PiiAction.Block))
            {
                errors.Add(kindPath, $"must be Redact or Block: a kind's action only makes the region's stricter, so '{action}' would have no effect");
            }
        }
    }

    private static void CheckRegion(string region, SortedSet<string> known, string path, ConfigurationErrors errors)
    {
        if (region == "*")
        {
            errors.Add(path, "'*' is not a region here; use Default for every region not listed");
        }
        else if (!known.Contains(region))
        {
            errors.Add(path, $"unknown region '{ModelNames.Printable(region)}': no provider is in it (known: {string.Join(", ", known)})");
        }
    }
}
