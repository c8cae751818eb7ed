using LlmRouter.Tests.Budgets;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace LlmRouter.Tests.Diagnostics;

/// <summary>The remaining-budget gauge: served from a snapshot the store refreshes in the background, never by waiting on the store.</summary>
public sealed class BudgetGaugesTests
{
    private static void Budgets(LlmRouterOptions options, bool keyAttributes, bool tenantAttributes)
    {
        options.Budgets.Global = new BudgetOptions { Limit = 1m };
        options.Tenants["acme"].Budget = new BudgetOptions { Limit = 0.1m, Period = BudgetPeriod.Weekly };
        options.Keys["alpha"].Budget = new BudgetOptions { Limit = 0.01m, Period = BudgetPeriod.Daily, Models = { ["ledger-large"] = new ModelBudgetOptions { Limit = 0.008m } } };
        options.Keys["beta"].Budget = new BudgetOptions { Limit = 0.02m, Period = BudgetPeriod.Daily };
        options.Telemetry.KeyAttributes = keyAttributes;
        options.Telemetry.TenantAttributes = tenantAttributes;
    }

    private static BudgetGauges GaugesOf(BudgetRouter router) => router.Router.Services.GetRequiredService<RouterTelemetry>().Budgets!;

    private static MetricCollector<double> Collect(BudgetRouter router) =>
        new(router.Router.Services.GetRequiredService<RouterTelemetry>().Meter, "llmrouter.budget.remaining");

    private static Dictionary<string, double> Read(MetricCollector<double> collector)
    {
        collector.Clear();
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot().ToDictionary(
            m => string.Join(",", m.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + "=" + t.Value)),
            m => m.Value);
    }

    [Fact]
    public async Task Every_limit_is_a_series_of_what_is_left_when_key_and_tenant_attributes_are_on()
    {
        await using var router = BudgetRouter.Create(o => Budgets(o, keyAttributes: true, tenantAttributes: true));
        using MetricCollector<double> collector = Collect(router);
        await router.AskAsync("alpha", "ledger-large");

        await GaugesOf(router).RefreshAsync();

        Assert.Equal(
            new Dictionary<string, double>
            {
                ["llmrouter.budget.period=daily,llmrouter.budget.scope=key,llmrouter.key=alpha"] = 0.006,
                ["llmrouter.budget.period=daily,llmrouter.budget.scope=key,llmrouter.key=alpha,llmrouter.model=ledger-large"] = 0.004,
                ["llmrouter.budget.period=daily,llmrouter.budget.scope=key,llmrouter.key=beta"] = 0.02,
                ["llmrouter.budget.period=weekly,llmrouter.budget.scope=tenant,llmrouter.tenant=acme"] = 0.096,
                ["llmrouter.budget.period=monthly,llmrouter.budget.scope=global"] = 0.996,
            },
            Rounded(Read(collector)));
    }

    [Fact]
    public async Task Without_key_and_tenant_attributes_only_the_global_budget_is_reported_so_no_two_budgets_share_a_series()
    {
        await using var router = BudgetRouter.Create(o => Budgets(o, keyAttributes: false, tenantAttributes: false));
        using MetricCollector<double> collector = Collect(router);

        await GaugesOf(router).RefreshAsync();

        Assert.Equal(["llmrouter.budget.period=monthly,llmrouter.budget.scope=global"], Read(collector).Keys);
    }

    [Fact]
    public async Task A_settlement_in_this_process_shows_at_once_without_waiting_for_a_refresh()
    {
        await using var router = BudgetRouter.Create(o => Budgets(o, keyAttributes: true, tenantAttributes: false));
        using MetricCollector<double> collector = Collect(router);
        await GaugesOf(router).RefreshAsync();
        Assert.Equal(0.01, Read(collector)["llmrouter.budget.period=daily,llmrouter.budget.scope=key,llmrouter.key=alpha"], 9);

        await router.AskAsync("alpha");
        await router.AskAsync("alpha");

        Dictionary<string, double> now = Read(collector);
        Assert.Equal(0.008, now["llmrouter.budget.period=daily,llmrouter.budget.scope=key,llmrouter.key=alpha"], 9);
        Assert.Equal(0.998, now["llmrouter.budget.period=monthly,llmrouter.budget.scope=global"], 9);
        Assert.Equal(0.02, now["llmrouter.budget.period=daily,llmrouter.budget.scope=key,llmrouter.key=beta"], 9);
    }

    [Fact]
    public async Task The_gauge_is_read_again_from_the_store_every_refresh_interval_while_something_listens()
    {
        await using var router = BudgetRouter.Create(o => Budgets(o, keyAttributes: false, tenantAttributes: false));
        using MetricCollector<double> collector = Collect(router);
        await GaugesOf(router).RefreshAsync();
        const string global = "llmrouter.budget.period=monthly,llmrouter.budget.scope=global";

        // Another instance sharing the store holds a quarter of the global budget.
        DateTimeOffset now = router.Time.GetUtcNow();
        var counter = new BudgetCounterKey(BudgetScope.Global, null, null, "M:2026-11-01");
        BudgetDecision decision = await router.Store.ReserveAsync(new BudgetReservation(Guid.NewGuid(), BudgetMode.Strict, now, now.AddHours(1), [new BudgetLine(counter, 1m, 0.25m)]));
        Assert.True(decision.IsGranted);
        Assert.Equal(1.0, Read(collector)[global], 9);

        router.Time.Advance(TelemetryOptions.DefaultBudgetRefreshInterval);

        await Until.TrueAsync(() => Math.Abs(Read(collector)[global] - 0.75) < 1e-9, "the refreshed gauge");
    }

    [Fact]
    public async Task Collecting_the_gauge_never_waits_for_the_budget_store()
    {
        var store = new GatedBudgetStore();
        await using var router = BudgetRouter.Create(o => Budgets(o, keyAttributes: false, tenantAttributes: false), builder: b => b.Services.AddSingleton<IBudgetStore>(store));
        using MetricCollector<double> collector = Collect(router);

        Dictionary<string, double> first = await Task.Run(() => Read(collector)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(first);
        store.Open();
        await GaugesOf(router).RefreshAsync();
        Assert.Equal(1.0, Read(collector)["llmrouter.budget.period=monthly,llmrouter.budget.scope=global"], 9);
    }

    private static Dictionary<string, double> Rounded(Dictionary<string, double> values) =>
        values.ToDictionary(v => v.Key, v => Math.Round(v.Value, 9));

    /// <summary>An in-memory store whose reads wait until the spec opens it, as a remote store that stopped answering.</summary>
    private sealed class GatedBudgetStore : IBudgetStore
    {
        private readonly IBudgetStore _inner = new InMemoryBudgetStore();
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _gate.TrySetResult();

        public ValueTask<BudgetDecision> ReserveAsync(BudgetReservation reservation, CancellationToken cancellationToken = default) => _inner.ReserveAsync(reservation, cancellationToken);

        public ValueTask<IReadOnlyList<decimal>> SettleAsync(BudgetSettlement settlement, CancellationToken cancellationToken = default) => _inner.SettleAsync(settlement, cancellationToken);

        public async ValueTask<IReadOnlyList<BudgetCounterState>> ReadAsync(IReadOnlyList<BudgetCounterKey> counters, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            await _gate.Task.WaitAsync(cancellationToken);
            return await _inner.ReadAsync(counters, now, cancellationToken);
        }
    }
}
