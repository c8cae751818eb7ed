using System.Net;
using LlmRouter.Tests.Policies;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmRouter.Tests.Budgets;

/// <summary>
/// Budgets reserve before the call and settle after it: the key's, the tenant's, the global one and per-model limits,
/// all or nothing — so committed spend never exceeds a limit, however many requests run at once.
/// </summary>
public sealed class BudgetEnforcementTests
{
    private static async Task<(int Served, List<Exception> Refused)> ConcurrentlyAsync(int count, Func<int, Task> call, MeteredChatClient provider)
    {
        provider.CloseGate();
        var refused = new List<Exception>();
        Task[] calls = [.. Enumerable.Range(0, count).Select(i => Task.Run(() => call(i)))];

        // Every request is either refused at once or holding its reservation inside the provider, all at the same time.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (calls.Count(c => c.IsCompleted) + provider.InFlight < count)
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        provider.OpenGate();
        int served = 0;
        foreach (Task pending in calls)
        {
            try
            {
                await pending;
                served++;
            }
            catch (Exception ex)
            {
                refused.Add(ex);
            }
        }

        return (served, refused);
    }

    [Fact]
    public async Task Budget_is_never_exceeded_by_a_thousand_concurrent_requests_and_they_get_what_the_limit_allows()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 100 * BudgetRouter.LedgerCost, Period = BudgetPeriod.Daily });

        (int served, List<Exception> refused) = await ConcurrentlyAsync(1000, _ => setup.AskAsync("alpha"), setup.Cheap);

        BudgetStatus status = await setup.StatusAsync(BudgetScope.Key, "alpha");
        Assert.True(status.Spent <= status.Limit);
        Assert.InRange(served, 99, 100);
        Assert.Equal(served * BudgetRouter.LedgerCost, status.Spent);
        Assert.Equal(0m, status.Reserved);
        Assert.Equal(served, setup.Cheap.Calls);
        Assert.Equal(1000 - served, refused.Count);
        Assert.All(refused, r => Assert.Equal(ReasonCodes.BudgetExceeded, Assert.IsType<BudgetExceededException>(r).ReasonCode));
    }

    [Fact]
    public async Task A_request_must_fit_every_scope_and_is_reserved_on_all_of_them_or_on_none()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m };
            o.Tenants["acme"].Budget = new BudgetOptions { Limit = 2 * BudgetRouter.LedgerCost };
        });
        setup.Cheap.CloseGate();
        Task<ChatResponse> first = setup.AskAsync("alpha");
        Task<ChatResponse> second = setup.AskAsync("beta");
        await setup.Cheap.WaitForInFlightAsync(2);

        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("alpha"));
        BudgetStatus key = await setup.StatusAsync(BudgetScope.Key, "alpha");
        Task<ChatResponse> untenanted = setup.AskAsync("gamma");
        await setup.Cheap.WaitForInFlightAsync(3);
        setup.Cheap.OpenGate();
        await Task.WhenAll(first, second, untenanted);

        Assert.Equal((BudgetScope.Tenant, 0.002m, 0m, 0.002m, 0.001m), (refusal.Scope, refusal.Limit, refusal.Spent, refusal.Reserved, refusal.Requested));
        Assert.Equal(BudgetRouter.LedgerCost, key.Reserved);
        Assert.Equal(0.002m, (await setup.StatusAsync(BudgetScope.Tenant, "acme")).Spent);
        Assert.Equal(0.001m, (await setup.StatusAsync(BudgetScope.Key, "alpha")).Spent);
    }

    [Fact]
    public async Task A_per_model_limit_counts_only_the_calls_to_that_alias()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["gamma"].Budget = new BudgetOptions
        {
            Period = BudgetPeriod.Daily,
            Models = { ["ledger-large"] = new ModelBudgetOptions { Limit = BudgetRouter.LedgerLargeCost } },
        });

        await setup.AskAsync("gamma", "ledger-large");
        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("gamma", "ledger-large"));
        for (int i = 0; i < 5; i++)
        {
            await setup.AskAsync("gamma", "ledger");
        }

        Assert.Equal((BudgetScope.Key, "ledger-large", BudgetPeriod.Daily), (refusal.Scope, refusal.Model, refusal.Period));
        Assert.Contains("the key's daily budget for ledger-large of $0.004", refusal.Message, StringComparison.Ordinal);
        BudgetStatus status = Assert.Single(await setup.Query.GetForKeyAsync("gamma"));
        Assert.Equal(("ledger-large", 0.004m, 0m), (status.Model, status.Spent, status.Remaining));
    }

    [Fact]
    public async Task The_global_budget_covers_every_key_together()
    {
        await using var setup = BudgetRouter.Create(o => o.Budgets.Global = new BudgetOptions { Limit = 3 * BudgetRouter.LedgerCost, Period = BudgetPeriod.Total });

        await setup.AskAsync("alpha");
        await setup.AskAsync("beta");
        await setup.AskAsync("gamma");
        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("alpha"));

        Assert.Equal((BudgetScope.Global, BudgetPeriod.Total, null), (refusal.Scope, refusal.Period, refusal.ResetsAt));
        Assert.Equal("Budget exceeded: the global total budget of $0.003 ($0.003 spent, $0.00 reserved) cannot cover the request's worst case of $0.001.", refusal.Message);
    }

    [Fact]
    public async Task The_refusal_names_the_scope_limit_spend_and_reset_and_no_provider_is_called()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 0.0015m, Period = BudgetPeriod.Daily });
        await setup.AskAsync("alpha");

        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("alpha"));

        Assert.Equal("Budget exceeded: the key's daily budget of $0.0015 ($0.001 spent, $0.00 reserved) cannot cover the request's worst case of $0.001; it resets at 2026-11-26T00:00:00+00:00.", refusal.Message);
        Assert.DoesNotContain("alpha", refusal.Message, StringComparison.Ordinal);
        Assert.Equal((ReasonCodes.BudgetExceeded, true, BudgetMode.Strict), (refusal.ReasonCode, refusal.IsRejection, refusal.Mode));
        Assert.Equal((0.0015m, 0.001m, 0m, 0.001m), (refusal.Limit, refusal.Spent, refusal.Reserved, refusal.Requested));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), refusal.ResetsAt);
        RouteInfo route = refusal.Route!;
        Assert.Equal((RouteStatus.Rejected, ReasonCodes.BudgetExceeded, "alpha"), (route.Status, route.ReasonCode, route.Key));
        RouteAttempt skipped = Assert.Single(route.Attempts);
        Assert.Equal((AttemptOutcome.Skipped, SkipReasons.BudgetExceeded), (skipped.Outcome, skipped.SkipReason));
        Assert.Equal(1, setup.Cheap.Calls);
        Assert.Contains(setup.Logs.GetSnapshot(), r => r.Level == LogLevel.Debug && r.Message.Contains("the Key budget (all models) has 0.001 USD spent", StringComparison.Ordinal));
        Assert.DoesNotContain(setup.Logs.GetSnapshot(), r => r.Message.Contains("alpha", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_the_budget_cannot_cover_is_refused_before_any_provider_is_called()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 0.0005m });

        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(async () =>
        {
            await foreach (ChatResponseUpdate update in setup.Router.GetStreamingResponseAsync("Summarize the ledger.", BudgetRouter.As("alpha")))
            {
                Assert.Fail("no update expected");
            }
        });

        Assert.Equal(RouteStatus.Rejected, refusal.Route!.Status);
        Assert.Equal(0, setup.Cheap.Calls);
    }

    [Fact]
    public async Task A_key_without_a_budget_adds_nothing_to_its_requests()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m });

        RouteInfo route = (await setup.AskAsync("gamma")).GetRouteInfo()!;

        Assert.Null(route.Budget);
        Assert.Null(route.BudgetReserved);
        Assert.Empty(await setup.Query.GetForKeyAsync("gamma"));
        Assert.Null(route.RequestOptions!.MaxOutputTokens);
        Assert.Equal(0.001m, (await setup.AskAsync("alpha")).GetRouteInfo()!.BudgetReserved);
    }

    [Fact]
    public async Task A_deployment_without_a_price_cannot_be_budgeted_and_is_skipped()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Models["house"] = Routers.Model(("cheap", "house-model-7"));
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m };
        });

        var failure = await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => setup.AskAsync("alpha", "house"));
        RouteInfo unbudgeted = (await setup.AskAsync("gamma", "house")).GetRouteInfo()!;

        Assert.Equal(SkipReasons.PriceUnknown, Assert.Single(failure.Attempts).SkipReason);
        Assert.True(unbudgeted.PriceUnknown);
        Assert.Equal(1, setup.Cheap.Calls);
    }

    [Fact]
    public async Task A_failed_call_releases_its_reservation_and_is_charged_only_what_the_provider_billed()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m });
        setup.Flaky.Then(new HttpRequestException("unavailable", null, HttpStatusCode.ServiceUnavailable));

        await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => setup.AskAsync("alpha", "flaky"));
        BudgetStatus afterFailure = await setup.StatusAsync(BudgetScope.Key, "alpha");
        await setup.AskAsync("alpha", "flaky");

        Assert.Equal((0m, 0m), (afterFailure.Spent, afterFailure.Reserved));
        Assert.Equal(BudgetRouter.FlakyCost, (await setup.StatusAsync(BudgetScope.Key, "alpha")).Spent);
    }

    [Fact]
    public async Task A_cancelled_request_releases_its_reservation()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m });
        setup.Cheap.CloseGate();
        using var cancel = new CancellationTokenSource();
        Task<ChatResponse> call = setup.AskAsync("alpha", cancellationToken: cancel.Token);
        await setup.Cheap.WaitForInFlightAsync(1);
        BudgetStatus during = await setup.StatusAsync(BudgetScope.Key, "alpha");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        BudgetStatus after = await setup.StatusAsync(BudgetScope.Key, "alpha");

        Assert.Equal((0m, BudgetRouter.LedgerCost), (during.Spent, during.Reserved));
        Assert.Equal((0m, 0m), (after.Spent, after.Reserved));
    }

    [Fact]
    public async Task A_stream_abandoned_after_output_pays_for_what_it_received_and_releases_the_rest()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m });
        RouteInfo? route = null;

        await foreach (ChatResponseUpdate update in setup.Router.GetStreamingResponseAsync("Summarize the ledger.", BudgetRouter.As("alpha")))
        {
            route = update.GetRouteInfo();
            break;
        }

        BudgetStatus status = await setup.StatusAsync(BudgetScope.Key, "alpha");
        Assert.Equal(0m, status.Reserved);
        Assert.True(status.Spent > 0m);
        Assert.True(status.Spent <= BudgetRouter.LedgerCost);
        Assert.Equal(1, setup.Cheap.Calls);
        Assert.Null(route);
    }

    [Fact]
    public async Task A_crashed_holders_reservation_expires_after_its_lease()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 0.01m, Period = BudgetPeriod.Daily });
        DateTimeOffset now = setup.Time.GetUtcNow();
        var counter = new BudgetCounterKey(BudgetScope.Key, "alpha", null, "D:2026-11-25");

        // What a process that reserved and then died leaves behind: a hold nobody will settle.
        await setup.Store.ReserveAsync(new BudgetReservation(Guid.NewGuid(), BudgetMode.Strict, now, now + BudgetingOptions.DefaultLeaseTime, [new BudgetLine(counter, 0.01m, 0.01m)]));
        await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("alpha"));
        setup.Time.Advance(BudgetingOptions.DefaultLeaseTime - TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("alpha"));
        setup.Time.Advance(TimeSpan.FromSeconds(1));

        RouteInfo route = (await setup.AskAsync("alpha")).GetRouteInfo()!;

        Assert.Equal(RouteStatus.Served, route.Status);
        Assert.Equal(new BudgetCounterState(0.001m, 0m), (await setup.Store.ReadAsync([counter], setup.Time.GetUtcNow()))[0]);
    }

    [Fact]
    public async Task Fallback_to_a_dearer_model_grows_the_reservation_before_that_call()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Models["flaky"].Fallbacks = ["ledger-large"];
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 0.005m };
        });
        setup.Flaky.Then(new HttpRequestException("unavailable", null, HttpStatusCode.ServiceUnavailable));
        setup.Dear.CloseGate();

        Task<ChatResponse> call = setup.AskAsync("alpha", "flaky");
        await setup.Dear.WaitForInFlightAsync(1);
        BudgetStatus during = await setup.StatusAsync(BudgetScope.Key, "alpha");
        setup.Dear.OpenGate();
        RouteInfo route = (await call).GetRouteInfo()!;

        Assert.Equal(BudgetRouter.LedgerLargeCost, during.Reserved);
        Assert.Equal(BudgetRouter.LedgerLargeCost, route.BudgetReserved);
        Assert.Equal(("ledger-large", 2), (route.ServedModel, route.Attempts.Count));
        Assert.Equal(BudgetRouter.LedgerLargeCost, (await setup.StatusAsync(BudgetScope.Key, "alpha")).Spent);
    }

    [Fact]
    public async Task A_fallback_the_budget_cannot_cover_is_skipped_and_the_caller_gets_the_budget_refusal()
    {
        await using var setup = BudgetRouter.Create(o =>
        {
            o.Models["flaky"].Fallbacks = ["ledger-large"];
            o.Keys["alpha"].Budget = new BudgetOptions { Limit = 0.003m };
        });
        setup.Flaky.Then(new HttpRequestException("unavailable", null, HttpStatusCode.ServiceUnavailable));

        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("alpha", "flaky"));

        Assert.Equal((BudgetScope.Key, 0.004m, false), (refusal.Scope, refusal.Requested, refusal.IsRejection));
        Assert.IsType<AllDeploymentsFailedException>(refusal.InnerException);
        Assert.Equal(RouteStatus.Failed, refusal.Route!.Status);
        Assert.Equal(
            [(AttemptOutcome.Failed, null), (AttemptOutcome.Skipped, SkipReasons.BudgetExceeded)],
            refusal.Route.Attempts.Select(a => (a.Outcome, a.SkipReason)));
        Assert.Equal(0, setup.Dear.Calls);
        BudgetStatus status = await setup.StatusAsync(BudgetScope.Key, "alpha");
        Assert.Equal((0m, 0m), (status.Spent, status.Reserved));
    }

    [Fact]
    public async Task A_stream_that_fails_after_output_is_charged_what_the_provider_billed()
    {
        await using var setup = BudgetRouter.Create(
            o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m },
            builder: b => b.AddProvider("flaky", new BrokenStreamChatClient()));

        var failure = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in setup.Router.GetStreamingResponseAsync("Summarize the ledger.", BudgetRouter.As("alpha", "flaky")))
            {
                Assert.Equal("partial", update.Text);
            }
        });

        BudgetStatus status = await setup.StatusAsync(BudgetScope.Key, "alpha");
        Assert.True(failure.OutputStarted);
        Assert.True(failure.Route!.Cost > 0m);
        Assert.Equal((failure.Route.Cost!.Value, 0m), (status.Spent, status.Reserved));
    }

    /// <summary>A provider whose stream sends one update and then breaks, as a dropped connection would.</summary>
    private sealed class BrokenStreamChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "partial");
            throw new HttpRequestException("connection reset", null, HttpStatusCode.BadGateway);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
