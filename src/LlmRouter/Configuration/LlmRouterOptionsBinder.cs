using Microsoft.Extensions.Configuration;

namespace LlmRouter;

/// <summary>
/// Binds the <c>LlmRouter</c> section so that every mistake is reported together: values that do not convert and
/// unknown settings are collected with their paths, and each entry is bound on its own so one bad entry does not stop
/// the others from being bound and validated.
/// </summary>
internal static class LlmRouterOptionsBinder
{
    public static void Bind(IConfiguration configuration, LlmRouterOptions options)
    {
        string path = (configuration as IConfigurationSection)?.Path ?? LlmRouterOptions.SectionName;
        options.ConfigurationPath = path;
        var errors = new ConfigurationErrors(path);
        ConfigurationShapeCheck.Check(configuration, typeof(LlmRouterOptions), path, errors);
        options.BindingErrors.AddRange(errors.Errors);

        foreach (IConfigurationSection section in configuration.GetChildren())
        {
            switch (section.Key.ToUpperInvariant())
            {
                case "PROVIDERS":
                    BindEach(section, options.Providers, options);
                    break;
                case "MODELS":
                    BindEach(section, options.Models, options);
                    break;
                case "PRICES":
                    BindEach(section, options.Prices, options);
                    break;
                case "KEYS":
                    BindEach(section, options.Keys, options);
                    break;
                case "TENANTS":
                    BindEach(section, options.Tenants, options);
                    break;
                case "ANONYMOUSKEY":
                    options.AnonymousKey = section.Value;
                    break;
                default:
                    BindSection(section, options);
                    break;
            }
        }
    }

    /// <summary>Binds each child of a dictionary section into its own entry, so one failing entry does not stop the others.</summary>
    public static void BindEach<T>(IConfigurationSection section, Dictionary<string, T> target, LlmRouterOptions options)
        where T : class, new()
    {
        foreach (IConfigurationSection entry in section.GetChildren())
        {
            if (!target.TryGetValue(entry.Key, out T? value) || value is null)
            {
                value = new T();
                target[entry.Key] = value;
            }

            TryBind(entry, value, options);
        }
    }

    private static void BindSection(IConfigurationSection section, LlmRouterOptions options)
    {
        System.Reflection.PropertyInfo? property = typeof(LlmRouterOptions).GetProperty(section.Key, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
        if (property?.GetValue(options) is { } value)
        {
            TryBind(section, value, options);
        }
    }

    private static void TryBind(IConfigurationSection section, object target, LlmRouterOptions options)
    {
        try
        {
            section.Bind(target);
        }
        catch (InvalidOperationException ex)
        {
            // Already reported with its path by the shape check; keep the binder's words only if it was not.
            if (options.BindingErrors.Count == 0)
            {
                options.BindingErrors.Add(section.Path + ": " + ex.Message);
            }
        }
    }
}
