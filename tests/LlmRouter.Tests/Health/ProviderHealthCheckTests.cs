using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmRouter.Tests.Health;

/// <summary>The providers' health check: deployments cooling down make it degraded; an alias nothing can serve, unhealthy.</summary>
public sealed class ProviderHealthCheckTests
{
    private const string Name = LlmRouterHealthChecksBuilderExtensions.ProviderCheckName;

    [Fact]
    public async Task Cooling_deployments_degrade_the_check_and_an_alias_nothing_can_serve_makes_it_unhealthy_until_the_cooldown_ends()
    {
        var options = new LlmRouterOptions();
        options.Providers["limited"] = Routers.Simulated("eu", p => (p.FailureRate, p.FailureKind, p.RetryAfter) = (1.0, SimulatedFailureKind.RateLimited, TimeSpan.FromSeconds(30)));
        options.Providers["steady"] = Routers.Simulated("eu");
        options.Models["rescued"] = new ModelOptions { Deployments = [new() { Provider = "limited", Model = "sim-rescued" }], Fallbacks = ["spare"] };
        options.Models["spare"] = Routers.Model(("steady", "sim-spare"));
        options.Models["alone"] = Routers.Model(("limited", "sim-alone"));
        var time = Routers.Clock();
        await using LlmRouterClient router = Routers.Create(options, time, b => b.WithHealthChecks());

        HealthReportEntry healthy = await HealthChecks.CheckAsync(router.Services, Name);
        Assert.Equal((HealthStatus.Healthy, "No deployment cools down."), (healthy.Status, healthy.Description));

        Assert.Equal("spare", (await router.GetResponseAsync("hi", Routers.For("rescued"))).GetRouteInfo()!.ServedModel);
        HealthReportEntry degraded = await HealthChecks.CheckAsync(router.Services, Name);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal(["limited/sim-rescued"], (string[])degraded.Data["cooling"]);
        Assert.Equal(["rescued"], (string[])degraded.Data["unavailable_models"]);
        Assert.Empty((string[])degraded.Data["unserved_models"]);

        await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hi", Routers.For("alone")));
        HealthReportEntry unhealthy = await HealthChecks.CheckAsync(router.Services, Name);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Equal("Nothing can serve alone: every deployment of the alias and of its fallbacks cools down.", unhealthy.Description);
        Assert.Equal(["limited/sim-alone", "limited/sim-rescued"], (string[])unhealthy.Data["cooling"]);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HealthStatus.Healthy, (await HealthChecks.CheckAsync(router.Services, Name)).Status);
    }

    [Fact]
    public async Task When_every_deployment_cools_down_every_alias_is_unserved()
    {
        var options = new LlmRouterOptions();
        options.Providers["limited"] = Routers.Simulated("eu", p => (p.FailureRate, p.FailureKind, p.RetryAfter) = (1.0, SimulatedFailureKind.RateLimited, TimeSpan.FromSeconds(30)));
        options.Models["first"] = new ModelOptions { Deployments = [new() { Provider = "limited", Model = "sim-first" }], Fallbacks = ["second"] };
        options.Models["second"] = Routers.Model(("limited", "sim-second"));
        await using LlmRouterClient router = Routers.Create(options, Routers.Clock(), b => b.WithHealthChecks());

        await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hi", Routers.For("first")));
        HealthReportEntry entry = await HealthChecks.CheckAsync(router.Services, Name);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal(["first", "second"], (string[])entry.Data["unserved_models"]);
    }
}
