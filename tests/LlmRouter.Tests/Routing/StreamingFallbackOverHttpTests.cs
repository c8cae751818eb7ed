using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Routing;

/// <summary>Streams over HTTP: where fallback may still switch deployment, and the stream's own timeouts.</summary>
public sealed class StreamingFallbackOverHttpTests
{
    private static readonly ChatOptions Primary = new() { ModelId = "primary" };

    [Fact]
    public async Task A_stream_that_fails_after_its_first_chunk_is_not_retried_elsewhere()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.AbortAfter(chunks: 2) with { Text = "Half an answer" });
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));
        var received = new List<ChatResponseUpdate>();

        ProviderException failure = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("hi", Primary))
            {
                received.Add(update);
            }
        });

        Assert.Equal("Half", string.Concat(received.Select(u => u.Text)));
        Assert.True(failure.OutputStarted);
        Assert.Equal(ErrorClass.Network, failure.ErrorClass);
        Assert.Equal(RouteStatus.Failed, failure.Route!.Status);
        RouteAttempt attempt = Assert.Single(failure.Route.Attempts);
        Assert.True(attempt.OutputStarted);
        Assert.NotNull(attempt.TimeToFirstToken);
        Assert.Equal(0, secondary.RequestCount);
    }

    [Fact]
    public async Task A_stream_that_fails_before_its_first_chunk_falls_back()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.AbortAfter(chunks: 0));
        secondary.RespondWith(WireBehavior.Reply("from the fallback"));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        ChatResponse response = await router.GetStreamingResponseAsync("hi", Primary).ToChatResponseAsync();

        Assert.Equal("from the fallback", response.Text);
        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal(RouteStatus.Served, route.Status);
        Assert.Equal("secondary", route.ServedModel);
        Assert.Equal((AttemptOutcome.Failed, ErrorClass.Network, false), (route.Attempts[0].Outcome, route.Attempts[0].ErrorClass, route.Attempts[0].OutputStarted));
        Assert.Equal(AttemptOutcome.Succeeded, route.Attempts[1].Outcome);
        Assert.Equal(1, secondary.RequestCount);
    }

    [Fact]
    public async Task A_stream_refused_with_an_error_status_falls_back()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.RateLimited());
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        RouteInfo route = (await router.GetStreamingResponseAsync("hi", Primary).ToChatResponseAsync()).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        Assert.Equal((ErrorClass.RateLimited, 429), (route.Attempts[0].ErrorClass, route.Attempts[0].StatusCode));
    }

    [Fact]
    public async Task A_stream_that_goes_silent_after_its_first_chunk_fails_as_a_timeout()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.StallAfter(chunks: 2));
        var clock = new FakeTimeProvider();
        await using var router = LlmRouterClient.FromConfiguration(Configuration(primary, secondary, streamIdleTimeout: "00:00:05"), b => b.UseTimeProvider(clock));
        await using IAsyncEnumerator<ChatResponseUpdate> updates = router.GetStreamingResponseAsync("hi", Primary).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync());
        Assert.True(await updates.MoveNextAsync());
        string firstWord = updates.Current.Text;

        ValueTask<bool> silence = updates.MoveNextAsync();
        clock.Advance(TimeSpan.FromSeconds(5));
        ProviderException failure = await Assert.ThrowsAsync<ProviderException>(async () => await silence);

        Assert.Equal(WireBehavior.DefaultText.Split(' ')[0], firstWord);
        Assert.Equal(ErrorClass.Timeout, failure.ErrorClass);
        Assert.True(failure.OutputStarted);
        Assert.Contains("idle timeout", failure.Attempt.Error, StringComparison.Ordinal);
        Assert.Equal(0, secondary.RequestCount);
    }

    [Fact]
    public async Task A_stream_that_stays_silent_before_its_first_chunk_falls_back_as_a_timeout()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.StallAfter(chunks: 0));
        var clock = new FakeTimeProvider();
        await using var router = LlmRouterClient.FromConfiguration(
            Configuration(primary, secondary, streamIdleTimeout: "00:00:05", streamFirstTokenTimeout: "00:00:30"), b => b.UseTimeProvider(clock));

        Task<ChatResponse> response = router.GetStreamingResponseAsync("hi", Primary).ToChatResponseAsync();
        await primary.WaitForRequestsAsync(1);
        clock.Advance(TimeSpan.FromSeconds(30));
        RouteInfo route = (await response).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        Assert.Equal(ErrorClass.Timeout, route.Attempts[0].ErrorClass);
        Assert.False(route.Attempts[0].OutputStarted);
        Assert.Contains("first-token timeout of 00:00:30", route.Attempts[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_whose_first_frame_is_malformed_falls_back()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.MalformedJson());
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        RouteInfo route = (await router.GetStreamingResponseAsync("hi", Primary).ToChatResponseAsync()).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        Assert.Equal(ErrorClass.InvalidResponse, route.Attempts[0].ErrorClass);
    }

    [Fact]
    public async Task A_caller_slow_to_read_each_update_does_not_trip_the_idle_timeout()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        var clock = new FakeTimeProvider();
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Routing.StreamIdleTimeout = TimeSpan.FromSeconds(1);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options), b => b.UseTimeProvider(clock));
        var received = new List<ChatResponseUpdate>();

        await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("hi", Primary))
        {
            // The caller spends longer on each update than the provider may stay silent: that silence is the caller's.
            clock.Advance(TimeSpan.FromSeconds(5));
            received.Add(update);
        }

        RouteInfo route = received.ToChatResponse().GetRouteInfo()!;
        Assert.Equal(RouteStatus.Served, route.Status);
        Assert.Equal(WireBehavior.DefaultText, received.ToChatResponse().Text);
        Assert.Equal(0, Health(router, "a", "gpt-primary").RecentFailures);
    }

    [Fact]
    public async Task The_total_timeout_counts_the_callers_time_too()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        var clock = new FakeTimeProvider();
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Routing.StreamIdleTimeout = TimeSpan.FromSeconds(5);
        options.Routing.StreamTotalTimeout = TimeSpan.FromSeconds(10);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options), b => b.UseTimeProvider(clock));
        int received = 0;

        ProviderException failure = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("hi", Primary))
            {
                clock.Advance(TimeSpan.FromSeconds(6));
                received++;
            }
        });

        Assert.Equal(2, received);
        Assert.Equal(ErrorClass.Timeout, failure.ErrorClass);
        Assert.Contains("total timeout", failure.Attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_still_open_at_its_total_timeout_fails_as_a_timeout()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.StallAfter(chunks: 2));
        var clock = new FakeTimeProvider();
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Routing.StreamIdleTimeout = TimeSpan.FromMinutes(1);
        options.Routing.StreamTotalTimeout = TimeSpan.FromSeconds(10);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options), b => b.UseTimeProvider(clock));
        await using IAsyncEnumerator<ChatResponseUpdate> updates = router.GetStreamingResponseAsync("hi", Primary).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync());
        Assert.True(await updates.MoveNextAsync());

        ValueTask<bool> next = updates.MoveNextAsync();
        clock.Advance(TimeSpan.FromSeconds(10));
        ProviderException failure = await Assert.ThrowsAsync<ProviderException>(async () => await next);

        Assert.Equal(ErrorClass.Timeout, failure.ErrorClass);
        Assert.Contains("total timeout", failure.Attempt.Error, StringComparison.Ordinal);
        Assert.Equal(0, secondary.RequestCount);
    }

    [Fact]
    public async Task A_stream_that_keeps_talking_past_its_total_timeout_is_cut_off_as_a_total_timeout()
    {
        // Real timers on purpose: they tick in milliseconds and may fire a hair before the high-resolution clock
        // reaches the deadline, which once made this read as an idle timeout. No fallback, so a slow first chunk on
        // a cold start ends the same way.
        await using var server = await OpenAIWireServer.StartAsync();
        server.RespondWith(WireBehavior.Reply(string.Join(' ', Enumerable.Repeat("word", 40))) with { ChunkDelay = TimeSpan.FromMilliseconds(25) });
        var options = new LlmRouterOptions();
        options.Providers["a"] = WireProviders.OpenAI(server);
        options.Models["primary"] = WireProviders.Alias("a", "gpt-primary");
        options.Routing.StreamIdleTimeout = TimeSpan.FromSeconds(5);
        options.Routing.StreamTotalTimeout = TimeSpan.FromMilliseconds(300);
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));

        LlmRouterException failure = await Assert.ThrowsAnyAsync<LlmRouterException>(async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("hi", Primary))
            {
            }
        });

        RouteAttempt attempt = Assert.Single(failure.Route!.Attempts);
        Assert.Equal(ErrorClass.Timeout, attempt.ErrorClass);
        Assert.Contains("total timeout", attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_that_cancels_a_stream_is_not_failed_over_and_the_deployment_is_not_blamed()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.StallAfter(chunks: 2));
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Routing.AllowedFailures = 1;
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(options));
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("hi", Primary, cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, secondary.RequestCount);
        DeploymentHealth health = Health(router, "a", "gpt-primary");
        Assert.Equal((0, 0, false), (health.InFlight, health.RecentFailures, health.IsCoolingDown));
    }

    [Fact]
    public async Task A_caller_that_stops_reading_a_stalled_stream_releases_the_deployment()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.StallAfter(chunks: 2));
        await using var router = LlmRouterClient.Create(Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)));

        await using (IAsyncEnumerator<ChatResponseUpdate> updates = router.GetStreamingResponseAsync("hi", Primary).GetAsyncEnumerator())
        {
            Assert.True(await updates.MoveNextAsync());
        }

        DeploymentHealth health = Health(router, "a", "gpt-primary");
        Assert.Equal((0, 0), (health.InFlight, health.RecentFailures));
        Assert.Equal(0, secondary.RequestCount);
    }

    private static DeploymentHealth Health(LlmRouterClient router, string provider, string providerModel) =>
        ((DeploymentHealthRegistry)router.Services.GetService(typeof(DeploymentHealthRegistry))!).Get(provider, providerModel);

    /// <summary>The two-alias setup as an application would write it in appsettings.json.</summary>
    private static IConfigurationSection Configuration(OpenAIWireServer primary, OpenAIWireServer secondary, string streamIdleTimeout, string? streamFirstTokenTimeout = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(Routers.OpenAccess(new Dictionary<string, string?>
        {
            ["LlmRouter:Providers:a:Kind"] = "OpenAI",
            ["LlmRouter:Providers:a:Endpoint"] = primary.Endpoint.ToString(),
            ["LlmRouter:Providers:a:ApiKey"] = WireProviders.ApiKey,
            ["LlmRouter:Providers:a:Region"] = "eu",
            ["LlmRouter:Providers:b:Kind"] = "OpenAI",
            ["LlmRouter:Providers:b:Endpoint"] = secondary.Endpoint.ToString(),
            ["LlmRouter:Providers:b:ApiKey"] = WireProviders.ApiKey,
            ["LlmRouter:Providers:b:Region"] = "eu",
            ["LlmRouter:Models:primary:Deployments:0:Provider"] = "a",
            ["LlmRouter:Models:primary:Deployments:0:Model"] = "gpt-primary",
            ["LlmRouter:Models:primary:Fallbacks:0"] = "secondary",
            ["LlmRouter:Models:secondary:Deployments:0:Provider"] = "b",
            ["LlmRouter:Models:secondary:Deployments:0:Model"] = "gpt-secondary",
            ["LlmRouter:Routing:StreamIdleTimeout"] = streamIdleTimeout,
            ["LlmRouter:Routing:StreamFirstTokenTimeout"] = streamFirstTokenTimeout ?? RoutingOptions.DefaultStreamFirstTokenTimeout.ToString(),
        })).Build().GetSection("LlmRouter");
}
