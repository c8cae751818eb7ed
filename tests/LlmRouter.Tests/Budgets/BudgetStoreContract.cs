namespace LlmRouter.Tests.Budgets;

/// <summary>
/// What every <see cref="IBudgetStore"/> must do, run against each store (in memory here; SQLite and PostgreSQL in their
/// own test projects, which link this file): all-or-nothing reservations, holds that are replaced, expire and are
/// released, settlements that commit even after expiry, and no overshoot under concurrency.
/// </summary>
public abstract class BudgetStoreContract
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);

    protected static readonly BudgetCounterKey KeyDay = new(BudgetScope.Key, "alpha", null, "D:2026-11-25");
    protected static readonly BudgetCounterKey KeyModelDay = new(BudgetScope.Key, "alpha", "gpt-4o", "D:2026-11-25");
    protected static readonly BudgetCounterKey TenantMonth = new(BudgetScope.Tenant, "acme", null, "M:2026-11-01");

    /// <summary>Creates the store under test, empty.</summary>
    protected abstract Task<IBudgetStore> CreateStoreAsync();

    protected static BudgetReservation Reserve(Guid id, DateTimeOffset now, params BudgetLine[] lines) =>
        new(id, BudgetMode.Strict, now, now + Lease, lines);

    protected static async Task<BudgetCounterState> ReadAsync(IBudgetStore store, BudgetCounterKey counter, DateTimeOffset? now = null) =>
        (await store.ReadAsync([counter], now ?? Now))[0];

    [Fact]
    public async Task A_reservation_is_taken_on_every_line_or_on_none()
    {
        IBudgetStore store = await CreateStoreAsync();
        Guid first = Guid.NewGuid();
        Assert.True((await store.ReserveAsync(Reserve(first, Now, new BudgetLine(TenantMonth, 1.00m, 0.80m)))).IsGranted);

        BudgetDecision decision = await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 5m, 0.30m), new BudgetLine(TenantMonth, 1.00m, 0.30m)));

        Assert.False(decision.IsGranted);
        Assert.Equal((1, 0m, 0.80m), (decision.RefusedLine, decision.Spent, decision.Reserved));
        Assert.Equal(new BudgetCounterState(0m, 0m), await ReadAsync(store, KeyDay));
        Assert.Equal(new BudgetCounterState(0m, 0.80m), await ReadAsync(store, TenantMonth));
    }

    [Fact]
    public async Task A_counter_admits_exactly_up_to_its_limit()
    {
        IBudgetStore store = await CreateStoreAsync();

        Assert.True((await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 1m, 0.4m)))).IsGranted);
        Assert.True((await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 1m, 0.6m)))).IsGranted);
        Assert.False((await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 1m, 0.000000001m)))).IsGranted);
        Assert.True((await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyModelDay, 0m, 0m)))).IsGranted);
    }

    [Fact]
    public async Task Reserving_again_replaces_the_holds_checking_only_what_grows()
    {
        IBudgetStore store = await CreateStoreAsync();
        Guid id = Guid.NewGuid();
        Guid other = Guid.NewGuid();
        await store.ReserveAsync(Reserve(id, Now, new BudgetLine(KeyDay, 1m, 0.5m)));
        await store.ReserveAsync(Reserve(other, Now, new BudgetLine(KeyDay, 1m, 0.3m)));

        BudgetDecision grow = await store.ReserveAsync(Reserve(id, Now, new BudgetLine(KeyDay, 1m, 0.8m)));
        Assert.Equal((0, 0.3m), (grow.RefusedLine, grow.Reserved));
        Assert.Equal(0.8m, (await ReadAsync(store, KeyDay)).Reserved);

        Assert.True((await store.ReserveAsync(Reserve(id, Now, new BudgetLine(KeyDay, 1m, 0.7m)))).IsGranted);
        Assert.Equal(1.0m, (await ReadAsync(store, KeyDay)).Reserved);

        // Lowering the limit below what is held does not take back a hold that does not grow.
        Assert.True((await store.ReserveAsync(Reserve(id, Now, new BudgetLine(KeyDay, 0.1m, 0.2m), new BudgetLine(KeyModelDay, 1m, 0.2m)))).IsGranted);
        Assert.Equal(new BudgetCounterState(0m, 0.5m), await ReadAsync(store, KeyDay));
        Assert.Equal(new BudgetCounterState(0m, 0.2m), await ReadAsync(store, KeyModelDay));
    }

    [Fact]
    public async Task Settling_commits_the_charges_releases_every_hold_and_returns_what_is_spent()
    {
        IBudgetStore store = await CreateStoreAsync();
        Guid id = Guid.NewGuid();
        await store.ReserveAsync(Reserve(id, Now, new BudgetLine(KeyDay, 1m, 0.5m), new BudgetLine(KeyModelDay, 1m, 0.5m)));
        await store.SettleAsync(new BudgetSettlement(Guid.NewGuid(), [new BudgetCharge(KeyDay, 0.25m)]));

        IReadOnlyList<decimal> spent = await store.SettleAsync(new BudgetSettlement(id, [new BudgetCharge(KeyDay, 0.123456789m), new BudgetCharge(KeyModelDay, 0m)]));

        Assert.Equal(new[] { 0.373456789m, 0m }, spent);
        Assert.Equal(new BudgetCounterState(0.373456789m, 0m), await ReadAsync(store, KeyDay));
        Assert.Equal(new BudgetCounterState(0m, 0m), await ReadAsync(store, KeyModelDay));
    }

    [Fact]
    public async Task A_hold_whose_lease_expired_stops_counting_and_its_settlement_still_commits()
    {
        IBudgetStore store = await CreateStoreAsync();
        Guid crashed = Guid.NewGuid();
        Guid slow = Guid.NewGuid();
        await store.ReserveAsync(Reserve(crashed, Now, new BudgetLine(KeyDay, 1m, 0.6m)));
        await store.ReserveAsync(Reserve(slow, Now + TimeSpan.FromMinutes(1), new BudgetLine(KeyDay, 1m, 0.4m)));
        DateTimeOffset expired = Now + Lease;

        Assert.False((await store.ReserveAsync(Reserve(Guid.NewGuid(), expired - TimeSpan.FromTicks(1), new BudgetLine(KeyDay, 1m, 0.1m)))).IsGranted);
        Assert.Equal(new BudgetCounterState(0m, 0.4m), await ReadAsync(store, KeyDay, expired));
        Assert.True((await store.ReserveAsync(Reserve(Guid.NewGuid(), expired, new BudgetLine(KeyDay, 1m, 0.6m)))).IsGranted);

        await store.SettleAsync(new BudgetSettlement(crashed, [new BudgetCharge(KeyDay, 0.05m)]));
        Assert.Equal(new BudgetCounterState(0.05m, 1.0m), await ReadAsync(store, KeyDay, expired));
    }

    [Fact]
    public async Task Renewing_a_reservation_renews_its_lease()
    {
        IBudgetStore store = await CreateStoreAsync();
        Guid id = Guid.NewGuid();
        await store.ReserveAsync(Reserve(id, Now, new BudgetLine(KeyDay, 1m, 0.6m)));
        await store.ReserveAsync(Reserve(id, Now + TimeSpan.FromMinutes(10), new BudgetLine(KeyDay, 1m, 0.6m)));

        Assert.Equal(0.6m, (await ReadAsync(store, KeyDay, Now + Lease + TimeSpan.FromMinutes(5))).Reserved);
        Assert.Equal(0m, (await ReadAsync(store, KeyDay, Now + Lease + TimeSpan.FromMinutes(10))).Reserved);
    }

    [Fact]
    public async Task Lenient_mode_admits_while_committed_spend_is_below_the_limit()
    {
        IBudgetStore store = await CreateStoreAsync();
        await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 1m, 0.9m)));

        Assert.True((await store.ReserveAsync(new BudgetReservation(Guid.NewGuid(), BudgetMode.Lenient, Now, Now + Lease, [new BudgetLine(KeyDay, 1m, 0.9m)]))).IsGranted);
        await store.SettleAsync(new BudgetSettlement(Guid.NewGuid(), [new BudgetCharge(KeyDay, 1m)]));
        BudgetDecision used = await store.ReserveAsync(new BudgetReservation(Guid.NewGuid(), BudgetMode.Lenient, Now, Now + Lease, [new BudgetLine(KeyDay, 1m, 0.01m)]));

        Assert.Equal((0, 1m), (used.RefusedLine, used.Spent));
    }

    [Fact]
    public async Task Each_period_is_a_counter_of_its_own()
    {
        IBudgetStore store = await CreateStoreAsync();
        await store.SettleAsync(new BudgetSettlement(Guid.NewGuid(), [new BudgetCharge(KeyDay, 1m)]));

        BudgetCounterKey nextDay = KeyDay with { Period = "D:2026-11-26" };
        BudgetCounterKey weekly = KeyDay with { Period = "W:2026-11-23" };
        IReadOnlyList<BudgetCounterState> states = await store.ReadAsync([KeyDay, nextDay, weekly, new BudgetCounterKey(BudgetScope.Global, null, null, "T")], Now);

        Assert.Equal(new BudgetCounterState[] { new(1m, 0m), default, default, default }, states);
        Assert.True((await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(nextDay, 1m, 1m)))).IsGranted);
    }

    [Fact]
    public async Task Concurrent_reservations_never_hold_more_than_the_limit()
    {
        IBudgetStore store = await CreateStoreAsync();
        using var start = new SemaphoreSlim(0);
        Task<bool>[] reservations = [.. Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            BudgetLine[] lines = i % 2 == 0
                ? [new BudgetLine(KeyDay, 1m, 0.01m), new BudgetLine(TenantMonth, 0.7m, 0.01m)]
                : [new BudgetLine(TenantMonth, 0.7m, 0.01m)];
            return (await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, lines))).IsGranted;
        }))];

        start.Release(200);
        bool[] granted = await Task.WhenAll(reservations);

        Assert.Equal(70, granted.Count(g => g));
        Assert.Equal(0.70m, (await ReadAsync(store, TenantMonth)).Reserved);
    }
}
