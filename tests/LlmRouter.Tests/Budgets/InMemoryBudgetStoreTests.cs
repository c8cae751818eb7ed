using LlmRouter.Tests.Support;

namespace LlmRouter.Tests.Budgets;

public sealed class InMemoryBudgetStoreTests : BudgetStoreContract
{
    protected override Task<IBudgetStore> CreateStoreAsync() => Task.FromResult<IBudgetStore>(new InMemoryBudgetStore());

    [Fact]
    public async Task Counters_of_periods_long_over_are_removed_in_the_background_and_nothing_a_decision_needs_is()
    {
        var store = new InMemoryBudgetStore();
        BudgetCounterKey dayBefore = KeyDay with { Period = "D:2026-11-24" };
        BudgetCounterKey nextDay = KeyDay with { Period = "D:2026-11-26" };
        BudgetCounterKey total = KeyDay with { Period = "T" };
        foreach (BudgetCounterKey counter in new[] { KeyDay, nextDay, total, TenantMonth })
        {
            await store.SettleAsync(new BudgetSettlement(Guid.NewGuid(), [new BudgetCharge(counter, 0.1m)]));
        }

        // A request of the day before that still holds its reservation (its lease runs for days).
        await store.ReserveAsync(new BudgetReservation(Guid.NewGuid(), BudgetMode.Strict, Now, Now.AddDays(10), [new BudgetLine(dayBefore, 1m, 0.2m)]));
        await Until.TrueAsync(() => store.Prunes == 1, "the first look for past periods");
        Assert.Equal(5, store.CounterCount);

        // Four days later, 25 November is over everywhere for two days; 26 November not yet.
        DateTimeOffset later = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
        BudgetCounterKey today = KeyDay with { Period = "D:2026-11-29" };
        await store.ReserveAsync(Reserve(Guid.NewGuid(), later, new BudgetLine(today, 1m, 0.1m)));
        await Until.TrueAsync(() => store.Prunes == 2, "the second look for past periods");
        await store.ReserveAsync(Reserve(Guid.NewGuid(), later + InMemoryBudgetStore.PruneInterval - TimeSpan.FromSeconds(1), new BudgetLine(today, 1m, 0.1m)));

        // Today's first hold expired before the last reservation: the counter holds one.
        IReadOnlyList<BudgetCounterState> states = await store.ReadAsync([KeyDay, nextDay, total, TenantMonth, dayBefore, today], later);
        Assert.Equal(
            new BudgetCounterState[] { new(0m, 0m), new(0.1m, 0m), new(0.1m, 0m), new(0.1m, 0m), new(0m, 0.2m), new(0m, 0.1m) },
            states);
        Assert.Equal(5, store.CounterCount);
        Assert.Equal(2, store.Prunes);

        // A late settlement of a pruned period still lands: it starts the counter again, which is removed in turn.
        await store.SettleAsync(new BudgetSettlement(Guid.NewGuid(), [new BudgetCharge(KeyDay, 0.05m)]));
        Assert.Equal(new BudgetCounterState(0.05m, 0m), await ReadAsync(store, KeyDay, later));
    }

    [Theory]
    [InlineData("D:2026-11-25", "2026-11-28T11:59:59Z", false)]
    [InlineData("D:2026-11-25", "2026-11-28T12:00:00Z", true)]
    [InlineData("W:2026-11-23", "2026-12-02T12:00:00Z", true)]
    [InlineData("W:2026-11-23", "2026-12-02T11:00:00Z", false)]
    [InlineData("M:2026-11-01", "2026-12-03T12:00:00Z", true)]
    [InlineData("M:2026-11-01", "2026-12-03T11:00:00Z", false)]
    [InlineData("T", "2099-01-01T00:00:00Z", false)]
    [InlineData("X:2026-11-25", "2099-01-01T00:00:00Z", false)]
    public void A_period_is_long_over_two_days_after_it_ended_in_the_last_time_zone(string period, string now, bool over) =>
        Assert.Equal(over, InMemoryBudgetStore.IsLongOver(period, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
}
