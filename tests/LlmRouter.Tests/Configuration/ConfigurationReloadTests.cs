using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmRouter.Tests.Configuration;

public class ConfigurationReloadTests
{
    private static IConfigurationRoot Configuration(string servingProvider) =>
        new ConfigurationBuilder().AddInMemoryCollection(Routers.OpenAccess(new Dictionary<string, string?>
        {
            ["LlmRouter:Providers:old:Kind"] = "Simulated",
            ["LlmRouter:Providers:old:Region"] = "eu",
            ["LlmRouter:Providers:old:Latency"] = "00:00:05",
            ["LlmRouter:Providers:new:Kind"] = "Simulated",
            ["LlmRouter:Providers:new:Region"] = "ch",
            ["LlmRouter:Models:chat:Deployments:0:Provider"] = servingProvider,
            ["LlmRouter:Models:chat:Deployments:0:Model"] = "sim",
        })).Build();

    [Fact]
    public async Task A_reload_swaps_the_table_and_requests_in_flight_finish_on_the_table_they_started_with()
    {
        IConfigurationRoot configuration = Configuration("old");
        var time = Routers.Clock();
        await using var router = LlmRouterClient.FromConfiguration(configuration.GetSection("LlmRouter"), b => b.UseTimeProvider(time));

        Task<ChatResponse> inFlight = router.GetResponseAsync("hello", Routers.For("chat"));
        configuration["LlmRouter:Models:chat:Deployments:0:Provider"] = "new";
        configuration.Reload();

        ChatResponse afterReload = await router.GetResponseAsync("hello", Routers.For("chat"));
        time.Advance(TimeSpan.FromSeconds(5));
        ChatResponse started = await inFlight;

        Assert.Equal("old", started.GetRouteInfo()!.Provider);
        Assert.Equal("eu", started.GetRouteInfo()!.Region);
        Assert.Equal("new", afterReload.GetRouteInfo()!.Provider);
        Assert.Equal("ch", afterReload.GetRouteInfo()!.Region);
    }

    [Fact]
    public async Task A_reload_that_does_not_validate_is_logged_and_the_previous_table_stays_in_service()
    {
        IConfigurationRoot configuration = Configuration("new");
        var logs = new FakeLogCollector();
        await using var router = LlmRouterClient.FromConfiguration(
            configuration.GetSection("LlmRouter"),
            b => b.Services.AddLogging(l => l.AddProvider(new FakeLoggerProvider(logs))));
        _ = await router.GetResponseAsync("hello", Routers.For("chat"));

        configuration["LlmRouter:Models:chat:Deployments:0:Provider"] = "missing";
        configuration.Reload();

        ChatResponse response = await router.GetResponseAsync("hello", Routers.For("chat"));
        Assert.Equal("new", response.GetRouteInfo()!.Provider);
        FakeLogRecord rejected = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("LlmRouter:Models:chat:Deployments[0]:Provider: unknown provider 'missing'", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deployment_health_survives_a_reload()
    {
        IConfigurationRoot configuration = Configuration("new");
        configuration["LlmRouter:Providers:new:FailureRate"] = "1";
        configuration["LlmRouter:Providers:new:FailureKind"] = "RateLimited";
        configuration["LlmRouter:Providers:new:RetryAfter"] = "00:01:00";
        var time = Routers.Clock();
        await using var router = LlmRouterClient.FromConfiguration(configuration.GetSection("LlmRouter"), b => b.UseTimeProvider(time));
        await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hello", Routers.For("chat")));

        configuration["LlmRouter:Providers:new:FailureRate"] = "0";
        configuration.Reload();

        var refused = await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hello", Routers.For("chat")));
        Assert.Equal(SkipReasons.Cooldown, Assert.Single(refused.Attempts).SkipReason);
    }
}
