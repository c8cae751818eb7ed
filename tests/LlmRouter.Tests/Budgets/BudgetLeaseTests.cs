using System.Runtime.CompilerServices;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Tests.Budgets;

/// <summary>
/// A reservation's lease: renewed while a stream runs, so a stream read slowly keeps its room however long it lasts;
/// written to outlive the lease by the clock-skew allowance, so a host whose clock runs ahead does not take it early.
/// </summary>
public sealed class BudgetLeaseTests
{
    private static readonly TimeSpan Held = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_stream_read_more_slowly_than_its_lease_renews_it_and_keeps_its_room_to_the_end()
    {
        var ticks = new TickingChatClient(updates: 5);
        await using var setup = BudgetRouter.Create(
            o =>
            {
                o.Keys["alpha"].Budget = new BudgetOptions { Limit = 0.005m };
                o.Routing.StreamTotalTimeout = TimeSpan.FromHours(2);
            },
            builder: b => b.AddProvider("dear", ticks));
        var reserved = new List<decimal>();
        var refused = new List<bool>();

        await foreach (ChatResponseUpdate update in setup.Router.GetStreamingResponseAsync("Summarize the ledger.", BudgetRouter.As("alpha", "ledger-large")))
        {
            if (update.GetRouteInfo() is not null)
            {
                break;
            }

            // The caller holds every update (five ticks and the usage) for ten minutes: an hour in all, four times the lease.
            setup.Time.Advance(Held);
            reserved.Add((await setup.StatusAsync(BudgetScope.Key, "alpha")).Reserved);
            refused.Add(await RefusedAsync(setup.AskAsync("alpha", "ledger-large")));
        }

        BudgetStatus after = await setup.StatusAsync(BudgetScope.Key, "alpha");
        Assert.Equal(6, reserved.Count);
        Assert.All(reserved, r => Assert.Equal(BudgetRouter.LedgerLargeCost, r));
        Assert.All(refused, Assert.True);
        Assert.Equal((BudgetRouter.LedgerLargeCost, 0m), (after.Spent, after.Reserved));
        Assert.Equal(6, setup.Statistics.Renewals);
        Assert.Equal((0, 0, 0), (setup.Statistics.SettledAfterLease, setup.Statistics.SettledOverHold, setup.Statistics.LeasesLost));
    }

    [Fact]
    public async Task A_stream_read_without_pauses_makes_no_store_call_for_its_lease()
    {
        var ticks = new TickingChatClient(updates: 200);
        var store = new CountingBudgetStore();
        await using var setup = BudgetRouter.Create(
            o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m },
            builder: b => b.AddProvider("dear", ticks).Services.AddSingleton<IBudgetStore>(store));

        ChatResponse response = await setup.Router.GetStreamingResponseAsync("Summarize the ledger.", BudgetRouter.As("alpha", "ledger-large")).ToChatResponseAsync();

        Assert.Equal(RouteStatus.Served, response.GetRouteInfo()!.Status);
        Assert.Equal((1, 1), (store.Reservations, store.Settlements));
        Assert.Equal(0, setup.Statistics.Renewals);
    }

    [Fact]
    public async Task A_stream_whose_reader_held_an_update_past_the_lease_is_ended_when_its_room_was_taken_meanwhile()
    {
        var ticks = new TickingChatClient(updates: 3);
        await using var setup = BudgetRouter.Create(
            o =>
            {
                // A long answer: its worst case ($0.004) is worth forty output tokens, a tick two.
                o.Models["long"] = Routers.Model(("dear", "long-answers"));
                o.Prices["long-answers"] = new ModelPriceOptions { InputPerMillion = 0, OutputPerMillion = 100, MaxOutputTokens = 40 };
                o.Keys["alpha"].Budget = new BudgetOptions { Limit = 0.005m };
                o.Routing.StreamTotalTimeout = TimeSpan.FromHours(2);
            },
            builder: b => b.AddProvider("dear", ticks));
        await using IAsyncEnumerator<ChatResponseUpdate> stream = setup.Router.GetStreamingResponseAsync("Summarize the ledger.", BudgetRouter.As("alpha", "long")).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync());

        // The reader keeps the update until the hold has expired, and two requests take the room it held.
        setup.Time.Advance(BudgetingOptions.DefaultLeaseTime + BudgetingOptions.DefaultMaxClockSkew);
        setup.Cheap.CloseGate();
        Task<ChatResponse>[] others = [setup.AskAsync("alpha"), setup.AskAsync("alpha")];
        await setup.Cheap.WaitForInFlightAsync(2);
        var lost = await Assert.ThrowsAsync<BudgetExceededException>(async () => await stream.MoveNextAsync());
        setup.Cheap.OpenGate();
        await Task.WhenAll(others);

        BudgetStatus after = await setup.StatusAsync(BudgetScope.Key, "alpha");
        Assert.Equal((false, 0.004m, 2 * BudgetRouter.LedgerCost), (lost.IsRejection, lost.Requested, lost.Reserved));
        Assert.Equal((RouteStatus.Failed, ReasonCodes.BudgetExceeded), (lost.Route!.Status, lost.Route.ReasonCode));
        Assert.True(after.Spent <= after.Limit, $"spent {after.Spent}");
        Assert.Equal((2 * BudgetRouter.LedgerCost) + lost.Route.Cost!.Value, after.Spent);
        Assert.Equal(0m, after.Reserved);
        Assert.Equal(1, setup.Statistics.LeasesLost);
        Assert.Contains(setup.Logs.GetSnapshot(), r => r.Id.Id == 1408 && r.Level == LogLevel.Warning);
        Assert.Equal(1, ticks.Disposed);
    }

    [Fact]
    public async Task A_hold_outlives_its_lease_by_the_clock_skew_allowance_so_a_host_whose_clock_runs_ahead_keeps_it()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = BudgetRouter.LedgerCost, Period = BudgetPeriod.Daily };
            o.Budgets.MaxClockSkew = TimeSpan.FromMinutes(2);
        });
        setup.Cheap.CloseGate();
        Task<ChatResponse> held = setup.AskAsync("alpha");
        await setup.Cheap.WaitForInFlightAsync(1);
        DateTimeOffset taken = setup.Time.GetUtcNow();
        var line = new BudgetLine(new BudgetCounterKey(BudgetScope.Key, "alpha", null, "D:2026-11-25"), BudgetRouter.LedgerCost, BudgetRouter.LedgerCost);

        // Another host, whose clock is up to two minutes ahead, reserving when the holder's lease is just over.
        DateTimeOffset ahead = taken + BudgetingOptions.DefaultLeaseTime + TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1);
        BudgetDecision whileLive = await setup.Store.ReserveAsync(new BudgetReservation(Guid.NewGuid(), BudgetMode.Strict, ahead, ahead + BudgetingOptions.DefaultLeaseTime, [line]));
        DateTimeOffset expired = ahead + TimeSpan.FromSeconds(1);
        BudgetDecision afterExpiry = await setup.Store.ReserveAsync(new BudgetReservation(Guid.NewGuid(), BudgetMode.Strict, expired, expired + BudgetingOptions.DefaultLeaseTime, [line]));
        setup.Cheap.OpenGate();
        await held;

        Assert.False(whileLive.IsGranted);
        Assert.True(afterExpiry.IsGranted);
    }

    private static async Task<bool> RefusedAsync(Task<ChatResponse> call)
    {
        try
        {
            await call;
            return false;
        }
        catch (BudgetExceededException)
        {
            return true;
        }
    }

    /// <summary>A provider whose stream sends a number of updates and then its usage: two output tokens.</summary>
    private sealed class TickingChatClient(int updates) : IChatClient
    {
        public int Disposed { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                for (int i = 0; i < updates; i++)
                {
                    await Task.Yield();
                    yield return new ChatResponseUpdate(ChatRole.Assistant, "tick ");
                }

                yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 })] };
            }
            finally
            {
                Disposed++;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>The in-memory store, counting the calls the router makes to it.</summary>
    private sealed class CountingBudgetStore : IBudgetStore
    {
        private readonly InMemoryBudgetStore _inner = new();

        public int Reservations { get; private set; }

        public int Settlements { get; private set; }

        public ValueTask<BudgetDecision> ReserveAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
        {
            Reservations++;
            return _inner.ReserveAsync(reservation, cancellationToken);
        }

        public ValueTask<IReadOnlyList<decimal>> SettleAsync(BudgetSettlement settlement, CancellationToken cancellationToken = default)
        {
            Settlements++;
            return _inner.SettleAsync(settlement, cancellationToken);
        }

        public ValueTask<IReadOnlyList<BudgetCounterState>> ReadAsync(IReadOnlyList<BudgetCounterKey> counters, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(counters, now, cancellationToken);
    }
}
