using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Routing;

public class StreamingTests
{
    /// <summary>The update a stream is on and every one after it.</summary>
    private static async Task<List<ChatResponseUpdate>> ThisAndTheRestAsync(IAsyncEnumerator<ChatResponseUpdate> stream)
    {
        var updates = new List<ChatResponseUpdate> { stream.Current };
        while (await stream.MoveNextAsync())
        {
            updates.Add(stream.Current);
        }

        return updates;
    }

    private static LlmRouterOptions PrimaryAndBackup(Action<ProviderOptions> primary)
    {
        var options = new LlmRouterOptions();
        options.Providers["primary"] = Routers.Simulated("eu", primary);
        options.Providers["backup"] = Routers.Simulated("ch");
        options.Models["chat"] = Routers.Model(("primary", "sim-a"));
        options.Models["chat"].Fallbacks = ["spare"];
        options.Models["spare"] = Routers.Model(("backup", "sim-b"));
        return options;
    }

    [Fact]
    public async Task A_stream_carries_its_route_in_a_last_update_so_the_combined_response_has_it()
    {
        var time = Routers.Clock();
        var options = PrimaryAndBackup(p => p.ChunkDelay = TimeSpan.FromMilliseconds(10));
        await using var router = Routers.Create(options, time);

        List<ChatResponseUpdate> updates = await Clocked.ReadAllAsync(time, router.GetStreamingResponseAsync("hello", Routers.For("chat")), TimeSpan.FromMilliseconds(10));

        RouteInfo route = updates[^1].GetRouteInfo()!;
        Assert.Equal(RouteStatus.Served, route.Status);
        Assert.True(route.Streaming);
        Assert.Equal("primary", route.Provider);
        Assert.Equal(TimeSpan.Zero, route.TimeToFirstToken);
        Assert.Equal(TimeSpan.FromMilliseconds(40), route.Duration); // four chunk delays of 10 ms, on the fake clock
        Assert.Equal(5, route.Tokens.OutputTokens);
        Assert.Equal(route, updates.ToChatResponse().GetRouteInfo());
        Assert.Equal("the router sends each request", updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task A_stream_that_fails_before_its_first_update_falls_back()
    {
        await using var router = Routers.Create(PrimaryAndBackup(p => p.FailureRate = 1));

        ChatResponse response = await router.GetStreamingResponseAsync("hello", Routers.For("chat")).ToChatResponseAsync();

        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal("spare", route.ServedModel);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Succeeded], route.Attempts.Select(a => a.Outcome));
        Assert.False(route.Attempts[0].OutputStarted);
    }

    [Fact]
    public async Task A_stream_that_fails_after_its_first_update_surfaces_the_error_and_is_never_spliced()
    {
        await using var router = Routers.Create(PrimaryAndBackup(p =>
        {
            p.FailureRate = 1;
            p.FailAfterChunks = 2;
        }));
        var received = new List<string>();

        var failure = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("hello", Routers.For("chat")))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal(["the", " router"], received);
        Assert.True(failure.OutputStarted);
        Assert.Equal(ErrorClass.ServerError, failure.ErrorClass);
        RouteInfo route = failure.Route!;
        Assert.Equal(RouteStatus.Failed, route.Status);
        RouteAttempt attempt = Assert.Single(route.Attempts);
        Assert.Equal("primary", attempt.Provider);
        Assert.Equal("primary", route.Provider);
    }

    [Fact]
    public async Task A_stream_without_a_first_update_within_its_first_token_timeout_fails_and_falls_back()
    {
        var time = Routers.Clock();
        var options = PrimaryAndBackup(p => p.Latency = TimeSpan.FromMinutes(10));
        options.Routing.StreamFirstTokenTimeout = TimeSpan.FromMinutes(2);
        options.Routing.StreamIdleTimeout = TimeSpan.FromSeconds(30);
        await using var router = Routers.Create(options, time);

        await using IAsyncEnumerator<ChatResponseUpdate> stream = router.GetStreamingResponseAsync("hello", Routers.For("chat")).GetAsyncEnumerator();
        ValueTask<bool> first = stream.MoveNextAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(first.IsCompleted); // the idle timeout does not bound the wait for the first update
        time.Advance(TimeSpan.FromSeconds(90));

        Assert.True(await first);
        List<ChatResponseUpdate> updates = await ThisAndTheRestAsync(stream);

        RouteInfo route = updates[^1].GetRouteInfo()!;
        Assert.Equal("spare", route.ServedModel);
        Assert.Equal(ErrorClass.Timeout, route.Attempts[0].ErrorClass);
        Assert.False(route.Attempts[0].OutputStarted);
        Assert.Contains("first-token timeout of 00:02:00", route.Attempts[0].Error, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(2), route.Attempts[0].Duration);
        Assert.Equal(TimeSpan.FromMinutes(2), route.TimeToFirstToken);
    }

    [Fact]
    public async Task A_model_that_thinks_longer_than_the_idle_timeout_before_its_first_token_is_served()
    {
        var time = Routers.Clock();
        var options = PrimaryAndBackup(p =>
        {
            p.Latency = TimeSpan.FromMinutes(4);
            p.ChunkDelay = TimeSpan.FromSeconds(1);
        });
        options.Routing.StreamIdleTimeout = TimeSpan.FromSeconds(30);
        await using var router = Routers.Create(options, time);

        List<ChatResponseUpdate> updates = await Clocked.ReadAllAsync(time, router.GetStreamingResponseAsync("hello", Routers.For("chat")), TimeSpan.FromSeconds(1));

        RouteInfo route = updates[^1].GetRouteInfo()!;
        Assert.Equal(RouteStatus.Served, route.Status);
        Assert.Equal("primary", route.Provider);
        Assert.Equal(TimeSpan.FromMinutes(4), route.TimeToFirstToken);
        Assert.Equal(RoutingOptions.DefaultStreamFirstTokenTimeout, options.Routing.StreamFirstTokenTimeout);
    }

    [Fact]
    public async Task The_total_timeout_bounds_the_wait_for_the_first_update_too()
    {
        var time = Routers.Clock();
        var options = PrimaryAndBackup(p => p.Latency = TimeSpan.FromMinutes(10));
        options.Routing.StreamFirstTokenTimeout = TimeSpan.FromMinutes(5);
        options.Routing.StreamTotalTimeout = TimeSpan.FromMinutes(3);
        await using var router = Routers.Create(options, time);

        await using IAsyncEnumerator<ChatResponseUpdate> stream = router.GetStreamingResponseAsync("hello", Routers.For("chat")).GetAsyncEnumerator();
        ValueTask<bool> first = stream.MoveNextAsync();
        time.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromMilliseconds(1));
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await first);
        List<ChatResponseUpdate> updates = await ThisAndTheRestAsync(stream);

        RouteInfo route = updates[^1].GetRouteInfo()!;
        Assert.Equal("spare", route.ServedModel);
        RouteAttempt timedOut = route.Attempts[0];
        Assert.Equal((ErrorClass.Timeout, TimeSpan.FromMinutes(3)), (timedOut.ErrorClass, timedOut.Duration));
        Assert.Contains("total timeout", timedOut.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_goes_silent_after_it_started_fails_with_a_timeout()
    {
        var time = Routers.Clock();
        var options = PrimaryAndBackup(p => p.ChunkDelay = TimeSpan.FromMinutes(10));
        options.Routing.StreamIdleTimeout = TimeSpan.FromSeconds(30);
        await using var router = Routers.Create(options, time);

        await using IAsyncEnumerator<ChatResponseUpdate> stream = router.GetStreamingResponseAsync("hello", Routers.For("chat")).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());
        ValueTask<bool> second = stream.MoveNextAsync();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        // After the first update, the idle timeout (not the first-token timeout) bounds the silence between updates.
        var failure = await Assert.ThrowsAsync<ProviderException>(async () => await second);
        Assert.Equal(ErrorClass.Timeout, failure.ErrorClass);
        Assert.True(failure.OutputStarted);
        Assert.Contains("idle timeout of 00:00:30", failure.Attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_is_bounded_by_its_total_timeout_even_when_it_keeps_talking()
    {
        var time = Routers.Clock();
        var options = PrimaryAndBackup(p =>
        {
            p.ChunkDelay = TimeSpan.FromSeconds(20);
            p.OutputTokens = 100;
        });
        options.Routing.StreamIdleTimeout = TimeSpan.FromSeconds(30);
        options.Routing.StreamTotalTimeout = TimeSpan.FromSeconds(90);
        await using var router = Routers.Create(options, time);

        int received = 0;
        var failure = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await using IAsyncEnumerator<ChatResponseUpdate> stream = router.GetStreamingResponseAsync("hello", Routers.For("chat")).GetAsyncEnumerator();
            while (true)
            {
                ValueTask<bool> next = stream.MoveNextAsync();
                await Clocked.AdvanceUntilAsync(time, TimeSpan.FromSeconds(10), () => next.IsCompleted);

                if (!await next)
                {
                    break;
                }

                received++;
            }
        });

        Assert.Equal(ErrorClass.Timeout, failure.ErrorClass);
        Assert.Contains("total timeout", failure.Attempt.Error, StringComparison.Ordinal);
        Assert.Equal(5, received);
    }

    [Fact]
    public async Task Cancelling_a_stream_reaches_the_provider_and_marks_the_request_cancelled()
    {
        var time = Routers.Clock();
        var primary = new CancellationObservingChatClient();
        var provider = new RouteCapturingChatClient(primary);
        var options = new LlmRouterOptions();
        options.Providers["custom"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
        options.Models["chat"] = Routers.Model(("custom", "m"));
        await using var router = Routers.Create(options, time, b => b.AddProvider("custom", provider));
        using var cancellation = new CancellationTokenSource();

        IAsyncEnumerator<ChatResponseUpdate> stream = router.GetStreamingResponseAsync("hello", Routers.For("chat"), cancellation.Token).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());
        ValueTask<bool> waiting = stream.MoveNextAsync();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        Assert.True(primary.SawCancellation);
        await stream.DisposeAsync();
        RouteInfo route = provider.LastRoute!;
        Assert.Equal(RouteStatus.Cancelled, route.Status);
        Assert.Equal(ReasonCodes.Cancelled, route.ReasonCode);
        RouteAttempt attempt = Assert.Single(route.Attempts);
        Assert.Equal(AttemptOutcome.Cancelled, attempt.Outcome);
        Assert.True(attempt.OutputStarted);
    }

    [Fact]
    public async Task A_caller_that_stops_reading_leaves_a_cancelled_route_with_what_it_received()
    {
        var provider = new RouteCapturingChatClient(new SimulatedChatClient(Routers.Simulated()));
        var options = new LlmRouterOptions();
        options.Providers["custom"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
        options.Models["chat"] = Routers.Model(("custom", "m"));
        await using var router = Routers.Create(options, configure: b => b.AddProvider("custom", provider));

        await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("hello", Routers.For("chat")))
        {
            break;
        }

        RouteInfo route = provider.LastRoute!;
        Assert.Equal(RouteStatus.Cancelled, route.Status);
        Assert.Equal(ReasonCodes.Cancelled, route.ReasonCode);
        RouteAttempt attempt = Assert.Single(route.Attempts);
        Assert.Equal(AttemptOutcome.Cancelled, attempt.Outcome);
        Assert.True(attempt.OutputStarted);
        Assert.Equal("custom", route.Provider);
    }

    private sealed class CancellationObservingChatClient : IChatClient
    {
        public bool SawCancellation { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "first");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                SawCancellation = cancellationToken.IsCancellationRequested;
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, "never");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
