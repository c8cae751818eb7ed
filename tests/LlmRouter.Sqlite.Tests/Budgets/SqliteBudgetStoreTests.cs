using LlmRouter.BudgetWorker;
using LlmRouter.Tests.Budgets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Sqlite.Tests.Budgets;

/// <summary>The SQLite budget store: the store specs, exact nano-dollars, versioned schema, and three OS processes sharing one file.</summary>
public sealed class SqliteBudgetStoreTests : BudgetStoreContract, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"llmrouter-budget-{Guid.NewGuid():N}.db");
    private readonly List<SqliteBudgetStore> _stores = [];

    private string ConnectionString => $"Data Source={_file}";

    public void Dispose()
    {
        foreach (SqliteBudgetStore store in _stores)
        {
            store.Dispose();
        }

        SqliteConnection.ClearAllPools();
        foreach (string file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }

    protected override Task<IBudgetStore> CreateStoreAsync() => Task.FromResult<IBudgetStore>(Open());

    private SqliteBudgetStore Open()
    {
        var store = new SqliteBudgetStore(new SqliteDatabase(ConnectionString));
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task Money_is_kept_in_nano_dollars_rounding_holds_and_charges_up_and_limits_down()
    {
        SqliteBudgetStore store = Open();

        IReadOnlyList<decimal> spent = await store.SettleAsync(new BudgetSettlement(Guid.NewGuid(), [new BudgetCharge(KeyDay, 0.0000000001m)]));
        BudgetDecision tooMuch = await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 0.0000000029m, 0.0000000015m)));
        BudgetDecision fits = await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 0.0000000030m, 0.0000000015m)));

        Assert.Equal(0.000000001m, Assert.Single(spent));
        Assert.False(tooMuch.IsGranted);
        Assert.True(fits.IsGranted);
        Assert.Equal(new BudgetCounterState(0.000000001m, 0.000000002m), await ReadAsync(store, KeyDay));
    }

    [Fact]
    public async Task The_schema_is_created_on_first_use_and_versioned()
    {
        SqliteBudgetStore store = Open();
        await ReadAsync(store, KeyDay);

        Assert.Equal(1, await new SqliteDatabase(ConnectionString).MigrateAsync(SqliteBudgetSchema.Component, SqliteBudgetSchema.Migrations));
        await using SqliteConnection connection = await new SqliteDatabase(ConnectionString).OpenAsync();
        await using SqliteCommand tables = connection.CreateCommand();
        tables.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'budget_%' ORDER BY name)";
        Assert.Equal("budget_counters,budget_holds", await tables.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Two_stores_on_one_file_share_their_counters()
    {
        SqliteBudgetStore first = Open();
        SqliteBudgetStore second = Open();

        await first.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 1m, 0.7m)));
        BudgetDecision refused = await second.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 1m, 0.5m)));

        Assert.Equal((0, 0.7m), (refused.RefusedLine, refused.Reserved));
    }

    [Fact]
    public Task Three_processes_with_a_thousand_requests_in_flight_on_one_file_never_exceed_the_limit_and_serve_what_it_allows() =>
        ThreeProcessBudgets.NeverExceedTheLimitAsync("sqlite", ConnectionString, ReadTotalAsync);

    [Fact]
    public Task Three_processes_on_one_file_whose_requests_cost_less_than_they_reserve_serve_what_actual_costs_allow() =>
        ThreeProcessBudgets.ServeWhatActualCostsAllowAsync("sqlite", ConnectionString, ReadTotalAsync);

    private Task<BudgetCounterState> ReadTotalAsync() => ReadAsync(Open(), ThreeProcessBudgets.Counter, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_killed_processs_reservation_holds_until_its_lease_expires()
    {
        var counter = new BudgetCounterKey(BudgetScope.Key, Worker.Key, null, "T");
        using (WorkerProcess holder = await WorkerProcess.StartAsync("sqlite", ConnectionString, limit: Worker.RequestCost, hold: true))
        {
            await holder.GoAsync();
            await holder.ExpectAsync("holding");
            holder.Kill();
        }

        SqliteBudgetStore store = Open();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        BudgetLine line = new(counter, Worker.RequestCost, Worker.RequestCost);
        Assert.Equal(new BudgetCounterState(0m, Worker.RequestCost), await ReadAsync(store, counter, now));
        Assert.False((await store.ReserveAsync(Reserve(Guid.NewGuid(), now, line))).IsGranted);

        DateTimeOffset afterLease = now + BudgetingOptions.DefaultLeaseTime + BudgetingOptions.DefaultMaxClockSkew;
        Assert.True((await store.ReserveAsync(Reserve(Guid.NewGuid(), afterLease, line))).IsGranted);
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_refuses_budgeted_requests_and_never_calls_the_provider()
    {
        string unreachable = $"Data Source={Path.Combine(_file, "no-such-directory", "budget.db")};Mode=ReadWrite";
        var options = new LlmRouterOptions();
        options.Providers["local"] = new ProviderOptions { Kind = ProviderKind.Simulated, Region = "eu" };
        options.Models["chat"] = new ModelOptions { Deployments = [new DeploymentOptions { Provider = "local", Model = "gpt-4o-mini" }] };
        options.Keys["budgeted"] = new KeyOptions { Models = ["*"], Regions = ["*"], Budget = new BudgetOptions { Limit = 1m } };
        options.Keys["free"] = new KeyOptions { Models = ["*"], Regions = ["*"] };
        await using var router = LlmRouterClient.Create(options, b => b.AddSqliteStores(unreachable));

        var failure = await Assert.ThrowsAsync<BudgetUnavailableException>(() => router.GetResponseAsync("hello", new ChatOptions { ModelId = "chat" }.WithRouterKey("budgeted")));
        RouteInfo free = (await router.GetResponseAsync("hello", new ChatOptions { ModelId = "chat" }.WithRouterKey("free"))).GetRouteInfo()!;

        Assert.Equal((ReasonCodes.BudgetUnavailable, RouteStatus.Rejected), (failure.ReasonCode, failure.Route!.Status));
        Assert.IsType<SqliteException>(failure.InnerException);
        Assert.DoesNotContain(_file, failure.Message, StringComparison.Ordinal);
        Assert.Empty(failure.Route.Attempts);
        Assert.Equal(RouteStatus.Served, free.Status);
    }
}
