namespace LlmRouter;

internal static class ProviderOptionsValidation
{
    /// <summary>The shortest per-attempt timeout: the HTTP resilience pipeline's (Polly's) lower bound.</summary>
    internal static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The longest time any setting may give: the HTTP resilience pipeline's (Polly's) upper bound for a timeout, well
    /// below what a timer (<see cref="CancellationTokenSource"/>, <see cref="Task.Delay(TimeSpan, TimeProvider)"/>) takes.
    /// </summary>
    internal static readonly TimeSpan MaxTime = TimeSpan.FromHours(24);

    public static void Validate(LlmRouterOptions options, RouterRegistrations registrations, ConfigurationErrors errors)
    {
        foreach ((string name, ProviderOptions provider) in options.Providers)
        {
            string path = errors.Path("Providers:" + name);
            if (!ModelNames.IsValidName(name))
            {
                errors.Add(path, $"'{ModelNames.Printable(name)}' is not a valid provider name ({ModelNames.NameRule})");
            }

            if (provider is null)
            {
                errors.Add(path, "is empty");
                continue;
            }

            AnnotationCheck.Validate(provider, path, errors);
            if (!Enum.IsDefined(provider.Kind))
            {
                errors.Add(path + ":Kind", $"'{provider.Kind}' is not a provider kind (one of: {string.Join(", ", Enum.GetNames<ProviderKind>())})");
            }

            if (!string.IsNullOrEmpty(provider.Region) && !ModelNames.IsValidRegion(provider.Region))
            {
                errors.Add(path + ":Region", $"'{ModelNames.Printable(provider.Region)}' is not a valid region name ({ModelNames.RegionRule})");
            }

            ValidateEndpoint(provider, path, errors);
            ValidateTimes(provider, path, errors);

            if (provider.Kind == ProviderKind.Custom && !registrations.Providers.ContainsKey(name))
            {
                errors.Add(path, $"Kind Custom needs a client registered in code: AddProvider(\"{name}\", ...)");
            }

            if (provider.Kind != ProviderKind.Custom && registrations.Providers.ContainsKey(name))
            {
                errors.Add(path + ":Kind", $"a client is registered in code for '{name}' with AddProvider, so its Kind must be Custom");
            }
        }

        foreach (string name in registrations.Providers.Keys)
        {
            if (!options.Providers.ContainsKey(name))
            {
                errors.Add(errors.Path("Providers:" + name), "registered in code with AddProvider but missing from configuration (it needs \"Kind\": \"Custom\" and its \"Region\")");
            }
        }
    }

    private static void ValidateEndpoint(ProviderOptions provider, string path, ConfigurationErrors errors)
    {
        bool needsEndpoint = provider.Kind is ProviderKind.AzureOpenAI or ProviderKind.OpenAICompatible;
        if (provider.Endpoint is null)
        {
            if (needsEndpoint)
            {
                errors.Add(path + ":Endpoint", $"is required for Kind {provider.Kind}");
            }
        }
        else if (!provider.Endpoint.IsAbsoluteUri || (provider.Endpoint.Scheme != Uri.UriSchemeHttps && provider.Endpoint.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add(path + ":Endpoint", "must be an absolute http or https address");
        }

        if (string.IsNullOrWhiteSpace(provider.ApiKey) && provider.Kind is ProviderKind.OpenAI or ProviderKind.AzureOpenAI)
        {
            errors.Add(path + ":ApiKey", $"is required for Kind {provider.Kind}");
        }
    }

    private static void ValidateTimes(ProviderOptions provider, string path, ConfigurationErrors errors)
    {
        Between(provider.Timeout, MinTimeout, MaxTime, path + ":Timeout", errors);
        Positive(provider.ConnectTimeout, path + ":ConnectTimeout", errors);
        NotNegative(provider.Latency, path + ":Latency", errors);
        NotNegative(provider.ChunkDelay, path + ":ChunkDelay", errors);
        NotNegative(provider.RetryAfter, path + ":RetryAfter", errors);
    }

    /// <summary>Checks that a time is greater than zero and at most <see cref="MaxTime"/>.</summary>
    internal static void Positive(TimeSpan value, string path, ConfigurationErrors errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(path, "must be greater than zero");
        }
        else if (value > MaxTime)
        {
            errors.Add(path, $"must be at most {MaxTime:c}");
        }
    }

    /// <summary>Checks that a time is zero or more, and at most <see cref="MaxTime"/>.</summary>
    internal static void NotNegative(TimeSpan value, string path, ConfigurationErrors errors)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add(path, "must not be negative");
        }
        else if (value > MaxTime)
        {
            errors.Add(path, $"must be at most {MaxTime:c}");
        }
    }

    /// <summary>Checks that a time is within a range, both ends included.</summary>
    internal static void Between(TimeSpan value, TimeSpan min, TimeSpan max, string path, ConfigurationErrors errors)
    {
        if (value < min || value > max)
        {
            errors.Add(path, $"must be from {min:c} to {max:c}");
        }
    }
}
