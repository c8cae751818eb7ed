using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmRouter.Tests.Costs;

/// <summary>A deployment without a price is reported at start-up, flagged at run time, and refused in strict mode — never recorded as $0.</summary>
public class UnknownPriceTests
{
    private static LlmRouterOptions HouseModel(bool strict, bool withFallback)
    {
        LlmRouterOptions options = PricingFixtures.OneModel("house", "house-model-7");
        options.Pricing.Strict = strict;
        if (withFallback)
        {
            options.Models["house"].Fallbacks = ["priced"];
            options.Models["priced"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "sim", Model = "gpt-4o-mini" }] };
        }

        return options;
    }

    private static (LlmRouterClient Router, FakeLogCollector Logs) Create(LlmRouterOptions options)
    {
        LlmRouterClient router = LlmRouterClient.Create(Routers.OpenAccess(options), builder => builder.Services.AddLogging(logging => logging.AddFakeLogging()));
        return (router, router.Services.GetFakeLogCollector());
    }

    /// <summary>A warning other than the audit layer's at start-up (these routers have no audit store).</summary>
    private static bool IsPricingWarning(FakeLogRecord record) => record.Level == LogLevel.Warning && record.Category != "LlmRouter.Audit";

    [Fact]
    public async Task A_call_on_an_unpriced_deployment_is_flagged_and_has_no_cost_rather_than_zero()
    {
        (LlmRouterClient router, _) = Create(HouseModel(strict: false, withFallback: false));
        await using (router)
        {
            RouteInfo route = (await router.GetResponseAsync("hello", new ChatOptions { ModelId = "house" })).GetRouteInfo()!;

            Assert.Equal(RouteStatus.Served, route.Status);
            Assert.True(route.PriceUnknown);
            Assert.Null(route.Cost);
            Assert.Null(route.Price);
            Assert.Null(route.PriceSource);
            RouteAttempt attempt = Assert.Single(route.Attempts);
            Assert.True(attempt.PriceUnknown);
            Assert.Null(attempt.Cost);
            Assert.False(attempt.Tokens.IsEmpty);
        }
    }

    [Fact]
    public async Task An_unpriced_deployment_is_reported_at_start_up()
    {
        (LlmRouterClient router, FakeLogCollector logs) = Create(HouseModel(strict: false, withFallback: false));
        await using (router)
        {
            Assert.Equal("sim/house-model-7", Assert.Single(router.Services.GetRoutingTable().Unpriced).Id);
            FakeLogRecord warning = Assert.Single(logs.GetSnapshot(), IsPricingWarning);
            Assert.Contains("house via sim/house-model-7", warning.Message, StringComparison.Ordinal);
            Assert.Contains(PriceCatalog.BuiltIn.Version, warning.Message, StringComparison.Ordinal);
            Assert.Contains("flagged price_unknown", warning.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task With_AddLlmRouter_an_unpriced_deployment_is_reported_when_the_host_starts_before_any_request(bool strict)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(logging => logging.AddFakeLogging());
        builder.Services.AddSingleton<TimeProvider>(Routers.Clock());
        builder.Services.AddLlmRouter(options =>
        {
            LlmRouterOptions configured = Routers.OpenAccess(HouseModel(strict, withFallback: false));
            options.Providers = configured.Providers;
            options.Models = configured.Models;
            options.Keys = configured.Keys;
            options.AnonymousKey = configured.AnonymousKey;
            options.Pricing = configured.Pricing;
        });
        using IHost host = builder.Build();
        FakeLogCollector logs = host.Services.GetFakeLogCollector();
        Assert.Empty(logs.GetSnapshot());

        await host.StartAsync();

        FakeLogRecord warning = Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Id.Id != 1311);
        Assert.Equal(1007, warning.Id.Id);
        Assert.Contains("house via sim/house-model-7", warning.Message, StringComparison.Ordinal);
        Assert.Contains(strict ? "refused (Pricing:Strict)" : "flagged price_unknown", warning.Message, StringComparison.Ordinal);

        // Strict mode's refusal is still made per request, at run time.
        IChatClient chat = host.Services.GetRequiredService<IChatClient>();
        if (strict)
        {
            var refusal = await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => chat.GetResponseAsync("hello", new ChatOptions { ModelId = "house" }));
            Assert.Equal(SkipReasons.PriceUnknown, Assert.Single(refusal.Route!.Attempts).SkipReason);
        }
        else
        {
            Assert.True((await chat.GetResponseAsync("hello", new ChatOptions { ModelId = "house" })).GetRouteInfo()!.PriceUnknown);
        }

        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 1007);
        await host.StopAsync();
    }

    [Fact]
    public async Task Strict_mode_refuses_an_unpriced_deployment_and_says_why()
    {
        (LlmRouterClient router, FakeLogCollector logs) = Create(HouseModel(strict: true, withFallback: false));
        await using (router)
        {
            Assert.Contains("refused (Pricing:Strict)", Assert.Single(logs.GetSnapshot(), IsPricingWarning).Message, StringComparison.Ordinal);

            var error = await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hello", new ChatOptions { ModelId = "house" }));

            RouteAttempt skipped = Assert.Single(error.Attempts);
            Assert.Equal(AttemptOutcome.Skipped, skipped.Outcome);
            Assert.Equal(SkipReasons.PriceUnknown, skipped.SkipReason);
            Assert.Contains("skipped (price_unknown)", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Strict_mode_falls_back_to_a_priced_alias()
    {
        (LlmRouterClient router, _) = Create(HouseModel(strict: true, withFallback: true));
        await using (router)
        {
            RouteInfo route = (await router.GetResponseAsync("hello", new ChatOptions { ModelId = "house" })).GetRouteInfo()!;

            Assert.Equal("priced", route.ServedModel);
            Assert.Equal(SkipReasons.PriceUnknown, route.Attempts[0].SkipReason);
            Assert.False(route.PriceUnknown);
            Assert.True(route.Cost > 0);
        }
    }
}
