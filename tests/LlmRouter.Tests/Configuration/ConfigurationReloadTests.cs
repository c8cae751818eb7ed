using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

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
    public async Task A_reload_whose_table_cannot_be_built_is_logged_without_secrets_and_the_previous_table_stays_in_service()
    {
        IConfigurationRoot configuration = Configuration("new");
        var logs = new FakeLogCollector();
        await using var router = LlmRouterClient.FromConfiguration(
            configuration.GetSection("LlmRouter"),
            b => b.AddRoutingStrategy("broken", _ => throw new InvalidOperationException("The strategy's store refused sk-live-0123456789abcdefghij."))
                .Services.AddLogging(l => l.AddProvider(new FakeLoggerProvider(logs))));
        _ = await router.GetResponseAsync("hello", Routers.For("chat"));

        // Valid (the strategy is registered), but building the table throws: no exception may reach the reload's caller.
        configuration["LlmRouter:Models:chat:Deployments:0:Provider"] = "old";
        configuration["LlmRouter:Models:chat:Strategy"] = "broken";
        configuration.Reload();

        ChatResponse response = await router.GetResponseAsync("hello", Routers.For("chat"));
        Assert.Equal("new", response.GetRouteInfo()!.Provider);
        FakeLogRecord failed = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("System.InvalidOperationException", failed.Message, StringComparison.Ordinal);
        Assert.Contains("The strategy's store refused [REDACTED].", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bad_reload_before_the_first_request_does_not_throw_and_the_first_request_runs_on_the_last_valid_configuration(bool routerResolvedBefore)
    {
        IConfigurationRoot configuration = Configuration("new");
        var logs = new FakeLogCollector();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLlmRouter(configuration.GetSection("LlmRouter"));
        builder.Services.AddLogging(l => l.AddProvider(new FakeLoggerProvider(logs)));
        using IHost host = builder.Build();
        await host.StartAsync();
        IChatClient? resolved = routerResolvedBefore ? host.Services.GetRequiredService<IChatClient>() : null;

        configuration["LlmRouter:Models:chat:Deployments:0:Provider"] = "missing";
        configuration.Reload();
        LlmRouterOptions current = host.Services.GetRequiredService<IOptionsMonitor<LlmRouterOptions>>().CurrentValue;
        IChatClient chat = resolved ?? host.Services.GetRequiredService<IChatClient>();

        ChatResponse response = await chat.GetResponseAsync("hello", Routers.For("chat"));
        Assert.Equal("missing", current.Models["chat"].Deployments[0].Provider);
        Assert.Equal("new", response.GetRouteInfo()!.Provider);
        FakeLogRecord rejected = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("LlmRouter:Models:chat:Deployments[0]:Provider: unknown provider 'missing'", rejected.Message, StringComparison.Ordinal);

        // A valid reload after it is put in service as usual.
        configuration["LlmRouter:Models:chat:Deployments:0:Provider"] = "old";
        configuration["LlmRouter:Providers:old:Latency"] = "00:00:00";
        configuration.Reload();
        Assert.Equal("old", (await chat.GetResponseAsync("hello", Routers.For("chat"))).GetRouteInfo()!.Provider);
        await host.StopAsync();
    }

    [Fact]
    public async Task Of_two_reloads_built_at_the_same_time_the_later_configuration_stays_in_service_whichever_finishes_last()
    {
        // Two change sources, as when an application adds its own: each reload runs on the thread that raised it.
        IConfigurationRoot configuration = Configuration("new");
        IConfigurationRoot otherSource = new ConfigurationBuilder().AddInMemoryCollection().Build();
        using var slowEntered = new ManualResetEventSlim();
        using var slowRelease = new ManualResetEventSlim();
        await using var router = LlmRouterClient.FromConfiguration(configuration.GetSection("LlmRouter"), b =>
        {
            b.AddRoutingStrategy("slow", _ =>
            {
                // Building the earlier reload's table stalls here until the later one is in service.
                slowEntered.Set();
                Assert.True(slowRelease.Wait(TimeSpan.FromSeconds(30)));
                return new FirstSelector();
            });
            b.Services.AddSingleton<IOptionsChangeTokenSource<LlmRouterOptions>>(new ConfigurationChangeTokenSource<LlmRouterOptions>(otherSource));
        });
        Assert.Equal("new", (await router.GetResponseAsync("hello", Routers.For("chat"))).GetRouteInfo()!.Provider);

        configuration["LlmRouter:Models:chat:Deployments:0:Provider"] = "old";
        configuration["LlmRouter:Models:chat:Strategy"] = "slow";
        Task earlier = Task.Run(configuration.Reload);
        Assert.True(slowEntered.Wait(TimeSpan.FromSeconds(30)));

        configuration["LlmRouter:Models:chat:Deployments:0:Provider"] = "new";
        configuration["LlmRouter:Models:chat:Strategy"] = RoutingStrategies.Weighted;
        configuration["LlmRouter:Providers:new:Region"] = "eu";
        otherSource.Reload();
        RouteInfo later = (await router.GetResponseAsync("hello", Routers.For("chat"))).GetRouteInfo()!;
        slowRelease.Set();
        await earlier;
        RouteInfo afterBoth = (await router.GetResponseAsync("hello", Routers.For("chat"))).GetRouteInfo()!;

        Assert.Equal(("new", "eu"), (later.Provider, later.Region));
        Assert.Equal(("new", "eu"), (afterBoth.Provider, afterBoth.Region));
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

    private sealed class FirstSelector : IDeploymentSelector
    {
        public int Select(ReadOnlySpan<Deployment> candidates, in DeploymentSelectionArguments arguments) => 0;
    }
}
