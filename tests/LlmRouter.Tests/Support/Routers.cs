using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Support;

/// <summary>Builds routers and options for tests: Simulated providers unless a test registers its own client.</summary>
internal static class Routers
{
    public static ProviderOptions Simulated(string region = "eu", Action<ProviderOptions>? configure = null)
    {
        var options = new ProviderOptions { Kind = ProviderKind.Simulated, Region = region, OutputTokens = 5 };
        configure?.Invoke(options);
        return options;
    }

    public static ModelOptions Model(params (string Provider, string Model)[] deployments) =>
        new() { Deployments = [.. deployments.Select(d => new DeploymentOptions { Provider = d.Provider, Model = d.Model })] };

    /// <summary>The key tests that are not about keys run under: every alias, every region.</summary>
    public const string OpenKey = "tests";

    /// <summary>
    /// Gives options without keys one key that may use every alias in every region, and makes it the key of requests
    /// without one — the explicit anonymous policy LlmRouter requires (deny by default).
    /// </summary>
    public static LlmRouterOptions OpenAccess(LlmRouterOptions options)
    {
        if (options.Keys.Count == 0)
        {
            options.Keys[OpenKey] = new KeyOptions { Models = ["*"], Regions = ["*"] };
            options.AnonymousKey = OpenKey;
        }

        return options;
    }

    /// <summary>The configuration entries of <see cref="OpenAccess(LlmRouterOptions)"/>, for tests built from configuration.</summary>
    public static Dictionary<string, string?> OpenAccess(Dictionary<string, string?> values, string section = "LlmRouter")
    {
        if (!values.Keys.Any(k => k.StartsWith(section + ":Keys:", StringComparison.OrdinalIgnoreCase)))
        {
            values[$"{section}:Keys:{OpenKey}:Models:0"] = "*";
            values[$"{section}:Keys:{OpenKey}:Regions:0"] = "*";
            values[$"{section}:AnonymousKey"] = OpenKey;
        }

        return values;
    }

    /// <summary>The smallest valid configuration, as entries of the <c>LlmRouter</c> section: one Simulated provider, one alias, the open key.</summary>
    public static Dictionary<string, string?> MinimalConfiguration() => OpenAccess(new Dictionary<string, string?>
    {
        ["LlmRouter:Providers:local:Kind"] = "Simulated",
        ["LlmRouter:Providers:local:Region"] = "eu",
        ["LlmRouter:Models:fast:Deployments:0:Provider"] = "local",
        ["LlmRouter:Models:fast:Deployments:0:Model"] = "sim-1",
    });

    /// <summary>The <c>LlmRouter</c> section of a configuration made of the entries.</summary>
    public static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("LlmRouter");

    public static LlmRouterClient Create(LlmRouterOptions options, FakeTimeProvider? time = null, Action<LlmRouterBuilder>? configure = null) =>
        LlmRouterClient.Create(OpenAccess(options), builder =>
        {
            if (time is not null)
            {
                builder.UseTimeProvider(time);
            }

            configure?.Invoke(builder);
        });

    public static ChatOptions For(string? model) => new() { ModelId = model };

    /// <summary>A fake clock at 2026-11-25 09:00 UTC that moves only when told, and that <see cref="Clocked"/> can drive.</summary>
    public static SteppedClock Clock() => new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };
}
