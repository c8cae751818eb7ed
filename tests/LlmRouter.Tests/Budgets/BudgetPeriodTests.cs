using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Budgets;

/// <summary>Budgets start again with each calendar period of the configured time zone, on the router's clock; soft limits speak once per period.</summary>
public sealed class BudgetPeriodTests
{
    private static readonly TimeSpan Zurich = TimeSpan.FromHours(1);

    [Fact]
    public async Task A_monthly_budget_starts_again_at_midnight_in_Zurich_when_it_is_still_November_in_UTC()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 22, 30, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };
        await using var setup = BudgetRouter.Create(
            o =>
            {
                o.Budgets.TimeZone = "Europe/Zurich";
                o.Keys["alpha"].Budget = new BudgetOptions { Limit = 2 * BudgetRouter.LedgerCost, Period = BudgetPeriod.Monthly };
                o.Keys["beta"].Budget = new BudgetOptions { Limit = 2 * BudgetRouter.LedgerCost, Period = BudgetPeriod.Daily };
            },
            time);
        await setup.AskAsync("alpha");
        await setup.AskAsync("alpha");
        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("alpha"));
        BudgetStatus november = await setup.StatusAsync(BudgetScope.Key, "alpha");

        time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromTicks(1));
        await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("alpha"));
        time.Advance(TimeSpan.FromTicks(1));
        await setup.AskAsync("alpha");
        BudgetStatus december = await setup.StatusAsync(BudgetScope.Key, "alpha");

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, Zurich), refusal.ResetsAt);
        Assert.Contains("it resets at 2026-12-01T00:00:00+01:00", refusal.Message, StringComparison.Ordinal);
        Assert.Equal((new DateTimeOffset(2026, 11, 1, 0, 0, 0, Zurich), 0.002m), (november.PeriodStart!.Value, november.Spent));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, Zurich), december.PeriodStart);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, Zurich), december.ResetsAt);
        Assert.Equal((0.001m, 0.001m), (december.Spent, december.Remaining));
        Assert.Equal(TimeSpan.FromHours(1), december.PeriodStart!.Value.Offset);
    }

    [Fact]
    public async Task A_request_is_charged_to_the_period_it_started_in()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 23, 59, 59, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m, Period = BudgetPeriod.Daily }, time);
        setup.Cheap.CloseGate();
        Task<ChatResponse> call = setup.AskAsync("alpha");
        await setup.Cheap.WaitForInFlightAsync(1);

        time.Advance(TimeSpan.FromSeconds(2));
        setup.Cheap.OpenGate();
        await call;

        var day = new BudgetCounterKey(BudgetScope.Key, "alpha", null, "D:2026-11-25");
        var nextDay = day with { Period = "D:2026-11-26" };
        IReadOnlyList<BudgetCounterState> states = await setup.Store.ReadAsync([day, nextDay], time.GetUtcNow());
        Assert.Equal(new BudgetCounterState[] { new(0.001m, 0m), new(0m, 0m) }, states);
        Assert.Equal(0m, (await setup.StatusAsync(BudgetScope.Key, "alpha")).Spent);
    }

    [Fact]
    public async Task A_soft_limit_calls_back_and_logs_once_per_period()
    {
        var crossed = new List<BudgetSoftLimitArguments>();
        await using var setup = BudgetRouter.Create(
            o =>
            {
                o.Tenants["acme"].Budget = new BudgetOptions { Limit = 1m, SoftLimit = 0.0025m, Period = BudgetPeriod.Daily };
                o.Keys["gamma"].Budget = new BudgetOptions { Models = { ["ledger"] = new ModelBudgetOptions { Limit = 1m, SoftLimit = 0m } } };
            },
            builder: b => b.OnBudgetSoftLimit(arguments =>
            {
                lock (crossed)
                {
                    crossed.Add(arguments);
                }

                return ValueTask.CompletedTask;
            }));

        for (int i = 0; i < 5; i++)
        {
            await setup.AskAsync(i % 2 == 0 ? "alpha" : "beta");
        }

        setup.Time.Advance(TimeSpan.FromDays(1));
        for (int i = 0; i < 3; i++)
        {
            await setup.AskAsync("alpha");
        }

        await setup.AskAsync("gamma");
        await setup.AskAsync("gamma");

        Assert.Equal(3, crossed.Count);
        BudgetSoftLimitArguments first = crossed[0];
        Assert.Equal((BudgetScope.Tenant, "acme", (string?)null, 0.0025m, 1m, 0.003m), (first.Scope, first.Name, first.Model, first.SoftLimit, first.Limit, first.Spent));
        Assert.Equal((BudgetPeriod.Daily, new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero)), (first.Period, first.PeriodStart!.Value, first.ResetsAt!.Value));
        Assert.Equal("alpha", first.Route.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), crossed[1].PeriodStart);
        Assert.Equal((BudgetScope.Key, "ledger", 0.001m), (crossed[2].Scope, crossed[2].Model, crossed[2].Spent));
        FakeLogRecord[] warnings = [.. setup.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Category == "LlmRouter.Budget")];
        Assert.Equal(3, warnings.Length);
        Assert.Contains("Budget soft limit reached: the Tenant budget (all models, Daily period", warnings[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", warnings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_soft_limit_callback_is_logged_and_the_request_is_served()
    {
        await using var setup = BudgetRouter.Create(
            o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = 1m, SoftLimit = 0.001m },
            builder: b => b.OnBudgetSoftLimit(_ => throw new InvalidOperationException("pager down")));

        RouteInfo route = (await setup.AskAsync("alpha")).GetRouteInfo()!;

        Assert.Equal(RouteStatus.Served, route.Status);
        FakeLogRecord error = Assert.Single(setup.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Equal("pager down", error.Exception!.Message);
    }

    [Fact]
    public async Task A_total_budget_never_starts_again()
    {
        await using var setup = BudgetRouter.Create(o => o.Keys["alpha"].Budget = new BudgetOptions { Limit = BudgetRouter.LedgerCost, Period = BudgetPeriod.Total });
        await setup.AskAsync("alpha");

        setup.Time.Advance(TimeSpan.FromDays(400));

        var refusal = await Assert.ThrowsAsync<BudgetExceededException>(() => setup.AskAsync("alpha"));
        Assert.Null(refusal.ResetsAt);
        BudgetStatus status = await setup.StatusAsync(BudgetScope.Key, "alpha");
        Assert.Equal((null, null, 0.001m), (status.PeriodStart, status.ResetsAt, status.Spent));
    }
}
