using System.Globalization;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Routing;

/// <summary>Cooldowns after rate-limit answers and repeated failures, on a fake clock: no test sleeps.</summary>
public sealed class CooldownOverHttpTests
{
    private static readonly ChatOptions Primary = new() { ModelId = "primary" };

    [Fact]
    public async Task A_rate_limited_deployment_is_skipped_without_a_call_until_its_retry_after_has_passed()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.Enqueue(WireBehavior.RateLimited(retryAfter: TimeSpan.FromSeconds(30)));
        var clock = new FakeTimeProvider();
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)), b => b.UseTimeProvider(clock));

        RouteInfo limited = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;
        RouteInfo skipped = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;
        clock.Advance(TimeSpan.FromSeconds(29));
        RouteInfo stillSkipped = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;
        clock.Advance(TimeSpan.FromSeconds(2));
        RouteInfo recovered = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal(ErrorClass.RateLimited, limited.Attempts[0].ErrorClass);
        foreach (RouteInfo route in new[] { skipped, stillSkipped })
        {
            Assert.Equal("secondary", route.ServedModel);
            RouteAttempt skip = route.Attempts[0];
            Assert.Equal(AttemptOutcome.Skipped, skip.Outcome);
            Assert.Equal(SkipReasons.Cooldown, skip.SkipReason);
            Assert.Equal(("primary", "a"), (skip.Model, skip.Provider));
        }

        Assert.Equal("primary", recovered.ServedModel);
        Assert.Single(recovered.Attempts);
        Assert.Equal(2, primary.RequestCount);
        Assert.Equal(3, secondary.RequestCount);
    }

    [Fact]
    public async Task Retry_after_ms_is_preferred_to_the_rounded_retry_after()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();

        // Sent as "retry-after: 2" and "retry-after-ms: 1500", as OpenAI does.
        primary.Enqueue(WireBehavior.RateLimited(retryAfter: TimeSpan.FromMilliseconds(1500)));
        var clock = new FakeTimeProvider();
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)), b => b.UseTimeProvider(clock));

        RouteInfo limited = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;
        clock.Advance(TimeSpan.FromMilliseconds(1600));
        RouteInfo recovered = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal(TimeSpan.FromMilliseconds(1500), limited.Attempts[0].RetryAfter);
        Assert.Equal("primary", recovered.ServedModel);
    }

    [Fact]
    public async Task A_retry_after_given_as_an_http_date_is_measured_on_the_routers_clock()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        string inOneMinute = clock.GetUtcNow().AddMinutes(1).ToString("r", CultureInfo.InvariantCulture);
        primary.Enqueue(WireBehavior.Error(429, "rate_limit_exceeded", "Rate limit reached.", "requests", headers: new Dictionary<string, string> { ["retry-after"] = inOneMinute }));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)), b => b.UseTimeProvider(clock));

        RouteInfo limited = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;
        clock.Advance(TimeSpan.FromSeconds(59));
        RouteInfo skipped = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;
        clock.Advance(TimeSpan.FromSeconds(2));
        RouteInfo recovered = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal(TimeSpan.FromMinutes(1), limited.Attempts[0].RetryAfter);
        Assert.Equal(SkipReasons.Cooldown, skipped.Attempts[0].SkipReason);
        Assert.Equal("primary", recovered.ServedModel);
    }

    [Fact]
    public async Task A_deployment_that_keeps_failing_is_cooled_down_after_the_allowed_failures()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.Enqueue(WireBehavior.ServerError(), WireBehavior.ServerError());
        var clock = new FakeTimeProvider();
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Routing.AllowedFailures = 2;
        options.Routing.Cooldown = TimeSpan.FromSeconds(10);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options), b => b.UseTimeProvider(clock));

        await router.GetResponseAsync("hi", Primary);
        await router.GetResponseAsync("hi", Primary);
        RouteInfo skipped = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;
        clock.Advance(TimeSpan.FromSeconds(11));
        RouteInfo recovered = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal(SkipReasons.Cooldown, skipped.Attempts[0].SkipReason);
        Assert.Equal("primary", recovered.ServedModel);
        Assert.Equal(3, primary.RequestCount);
    }

    [Fact]
    public async Task A_bad_request_does_not_count_against_the_deployments_health()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.Enqueue(WireBehavior.BadRequest(), WireBehavior.BadRequest(), WireBehavior.BadRequest());
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Routing.AllowedFailures = 1;
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options), b => b.UseTimeProvider(new FakeTimeProvider()));

        for (int i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<ProviderException>(() => router.GetResponseAsync("hi", Primary));
        }

        RouteInfo route = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal("primary", route.ServedModel);
        Assert.Equal(4, primary.RequestCount);
        Assert.Equal(0, secondary.RequestCount);
    }
}
