using System.Globalization;

namespace LlmRouter;

/// <summary>Validates the budgets of keys, tenants and <c>Budgets:Global</c>, and the <c>Budgets</c> settings.</summary>
internal static class BudgetOptionsValidation
{
    /// <summary>The largest limit a budget may have: one billion USD (the SQLite store keeps nano-dollars in 64 bits).</summary>
    public const decimal MaxLimit = 1_000_000_000m;

    public static void Validate(LlmRouterOptions options, ConfigurationErrors errors)
    {
        bool any = false;
        foreach ((string name, TenantOptions tenant) in options.Tenants)
        {
            if (tenant?.Budget is { } budget)
            {
                ValidateBudget(options, budget, errors.Path("Tenants:" + name + ":Budget"), errors);
                any = true;
            }
        }

        foreach ((string id, KeyOptions key) in options.Keys)
        {
            if (key?.Budget is { } budget)
            {
                ValidateBudget(options, budget, errors.Path("Keys:" + id + ":Budget"), errors);
                any = true;
            }
        }

        string path = errors.Path("Budgets");
        if (options.Budgets is not { } settings)
        {
            errors.Add(path, "is empty");
            return;
        }

        if (settings.Global is { } global)
        {
            ValidateBudget(options, global, path + ":Global", errors);
            any = true;
        }

        if (!BudgetCalendar.TryFindZone(settings.TimeZone, out _))
        {
            errors.Add(path + ":TimeZone", $"'{ModelNames.Printable(settings.TimeZone ?? string.Empty)}' is not an IANA time zone id known on this machine (for example UTC, Europe/Zurich, America/New_York)");
        }

        if (!Enum.IsDefined(settings.Mode))
        {
            errors.Add(path + ":Mode", $"'{settings.Mode}' is not a budget mode (one of: {string.Join(", ", Enum.GetNames<BudgetMode>())})");
        }

        ValidateLease(options, settings.LeaseTime, any, path + ":LeaseTime", errors);
        if (settings.MaxClockSkew < TimeSpan.Zero || settings.MaxClockSkew > BudgetingOptions.MaxClockSkewLimit)
        {
            errors.Add(path + ":MaxClockSkew", $"must be between 00:00:00 and {BudgetingOptions.MaxClockSkewLimit}, not {settings.MaxClockSkew}");
        }
    }

    private static void ValidateLease(LlmRouterOptions options, TimeSpan lease, bool budgeted, string path, ConfigurationErrors errors)
    {
        if (lease <= TimeSpan.Zero)
        {
            errors.Add(path, $"must be positive, not {lease}");
            return;
        }

        if (!budgeted)
        {
            return;
        }

        // A stream renews its reservation once half the lease has passed, when an update arrives: a provider silent for
        // longer than the other half could let the lease lapse before the next update.
        if (options.Routing is { } routing && lease < 2 * routing.StreamIdleTimeout)
        {
            errors.Add(path, $"must be at least twice Routing:StreamIdleTimeout ({routing.StreamIdleTimeout}), or a stream waiting for its next update could lose its reservation");
        }

        // A call that is not streamed cannot renew its reservation while it runs.
        foreach ((string name, ProviderOptions provider) in options.Providers)
        {
            if (provider is not null && provider.Kind != ProviderKind.Custom && lease < provider.Timeout)
            {
                errors.Add(path, $"must be at least Providers:{name}:Timeout ({provider.Timeout}), or a call still running could lose its reservation");
            }
        }
    }

    private static void ValidateBudget(LlmRouterOptions options, BudgetOptions budget, string path, ConfigurationErrors errors)
    {
        Dictionary<string, ModelBudgetOptions> models = budget.Models ?? [];
        if (budget.Limit is null && models.Count == 0)
        {
            errors.Add(path + ":Limit", "is required (or set limits per model under Models)");
        }

        ValidateAmounts(budget.Limit, budget.SoftLimit, path, errors);
        ValidatePeriod(budget.Period, path + ":Period", errors);
        foreach ((string alias, ModelBudgetOptions model) in models)
        {
            string modelPath = path + ":Models:" + alias;
            if (!options.Models.ContainsKey(alias))
            {
                errors.Add(modelPath, $"unknown model '{ModelNames.Printable(alias)}'");
            }

            if (model is null)
            {
                errors.Add(modelPath, "is empty");
                continue;
            }

            if (model.Limit is null)
            {
                errors.Add(modelPath + ":Limit", "is required");
            }

            ValidateAmounts(model.Limit, model.SoftLimit, modelPath, errors);
            if (model.Period is BudgetPeriod period)
            {
                ValidatePeriod(period, modelPath + ":Period", errors);
            }
        }
    }

    private static void ValidateAmounts(decimal? limit, decimal? softLimit, string path, ConfigurationErrors errors)
    {
        if (limit is decimal hard)
        {
            CheckAmount(hard, path + ":Limit", errors);
        }

        if (softLimit is decimal soft)
        {
            CheckAmount(soft, path + ":SoftLimit", errors);
            if (limit is decimal hardLimit && hardLimit >= 0 && soft > hardLimit)
            {
                errors.Add(path + ":SoftLimit", string.Create(CultureInfo.InvariantCulture, $"must not be more than Limit ({hardLimit}), not {soft}"));
            }
        }
    }

    private static void CheckAmount(decimal amount, string path, ConfigurationErrors errors)
    {
        if (amount < 0)
        {
            errors.Add(path, string.Create(CultureInfo.InvariantCulture, $"must be zero or more, not {amount}"));
        }
        else if (amount > MaxLimit)
        {
            errors.Add(path, string.Create(CultureInfo.InvariantCulture, $"must be at most {MaxLimit:#,0} USD, not {amount}"));
        }
    }

    private static void ValidatePeriod(BudgetPeriod period, string path, ConfigurationErrors errors)
    {
        if (!Enum.IsDefined(period))
        {
            errors.Add(path, $"'{period}' is not a budget period (one of: {string.Join(", ", Enum.GetNames<BudgetPeriod>())})");
        }
    }
}
