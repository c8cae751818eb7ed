using Microsoft.Extensions.AI;
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

    public static LlmRouterClient Create(LlmRouterOptions options, FakeTimeProvider? time = null, Action<LlmRouterBuilder>? configure = null) =>
        LlmRouterClient.Create(options, builder =>
        {
            if (time is not null)
            {
                builder.UseTimeProvider(time);
            }

            configure?.Invoke(builder);
        });

    public static ChatOptions For(string? model) => new() { ModelId = model };

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };
}
