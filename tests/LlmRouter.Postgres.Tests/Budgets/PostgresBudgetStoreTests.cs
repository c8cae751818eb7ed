using LlmRouter.BudgetWorker;
using LlmRouter.Postgres.Tests.Support;
using LlmRouter.Tests.Budgets;
using Npgsql;

namespace LlmRouter.Postgres.Tests.Budgets;

/// <summary>The PostgreSQL budget store: the store specs, exact numeric money, versioned schema, and three OS processes sharing one database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBudgetStoreTests(PostgresServer server) : BudgetStoreContract, IAsyncLifetime
{
    private readonly List<PostgresDatabase> _databases = [];
    private string? _connectionString;

    /// <summary>Gets the connection string of the worker processes: twenty connections each, sixty for the three.</summary>
    private string WorkerConnectionString => new NpgsqlConnectionStringBuilder(_connectionString) { MaxPoolSize = 20 }.ConnectionString;

    public async Task InitializeAsync() => _connectionString = await server.CreateDatabaseAsync("budget");

    public async Task DisposeAsync()
    {
        foreach (PostgresDatabase database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    protected override Task<IBudgetStore> CreateStoreAsync() => Task.FromResult<IBudgetStore>(Open());

    private PostgresBudgetStore Open()
    {
        var database = new PostgresDatabase(_connectionString!);
        _databases.Add(database);
        return new PostgresBudgetStore(database);
    }

    [Fact]
    public async Task Money_is_exact_numeric_to_any_precision()
    {
        PostgresBudgetStore store = Open();

        IReadOnlyList<decimal> spent = await store.SettleAsync(new BudgetSettlement(Guid.NewGuid(), [new BudgetCharge(KeyDay, 0.0000000000123456789m)]));
        BudgetDecision decision = await store.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 0.0000000000123456790m, 0.0000000000000000002m)));

        Assert.Equal(0.0000000000123456789m, Assert.Single(spent));
        Assert.False(decision.IsGranted);
    }

    [Fact]
    public async Task The_schema_and_its_functions_are_created_on_first_use_and_versioned()
    {
        PostgresBudgetStore store = Open();
        await ReadAsync(store, KeyDay);

        await using NpgsqlConnection connection = await _databases[0].OpenAsync();
        await using var check = new NpgsqlCommand("""
            SELECT (SELECT max(version) FROM llmrouter_schema WHERE component = 'budgets'),
                   (SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE proname LIKE 'llmrouter_budget_%')
            """, connection);
        await using NpgsqlDataReader reader = await check.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((1, "llmrouter_budget_reserve,llmrouter_budget_settle"), (reader.GetInt32(0), reader.GetString(1)));
    }

    [Fact]
    public async Task Instances_starting_together_migrate_once_and_share_their_counters()
    {
        PostgresBudgetStore[] stores = [Open(), Open(), Open(), Open()];

        BudgetDecision[] decisions = await Task.WhenAll(stores.Select(s => s.ReserveAsync(Reserve(Guid.NewGuid(), Now, new BudgetLine(KeyDay, 1m, 0.3m))).AsTask()));

        Assert.Equal(3, decisions.Count(d => d.IsGranted));
        Assert.Equal(0.9m, (await ReadAsync(stores[0], KeyDay)).Reserved);
    }

    [Fact]
    public Task Three_processes_with_a_thousand_requests_in_flight_on_one_database_never_exceed_the_limit_and_serve_what_it_allows() =>
        ThreeProcessBudgets.NeverExceedTheLimitAsync("postgres", WorkerConnectionString, ReadTotalAsync);

    [Fact]
    public Task Three_processes_on_one_database_whose_requests_cost_less_than_they_reserve_serve_what_actual_costs_allow() =>
        ThreeProcessBudgets.ServeWhatActualCostsAllowAsync("postgres", WorkerConnectionString, ReadTotalAsync);

    private Task<BudgetCounterState> ReadTotalAsync() => ReadAsync(Open(), ThreeProcessBudgets.Counter, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_killed_processs_reservation_holds_until_its_lease_expires()
    {
        var counter = new BudgetCounterKey(BudgetScope.Key, Worker.Key, null, "T");
        using (WorkerProcess holder = await WorkerProcess.StartAsync("postgres", _connectionString!, limit: Worker.RequestCost, hold: true))
        {
            await holder.GoAsync();
            await holder.ExpectAsync("holding");
            holder.Kill();
        }

        PostgresBudgetStore store = Open();
        DateTimeOffset now = DateTimeOffset.UtcNow;
        BudgetLine line = new(counter, Worker.RequestCost, Worker.RequestCost);
        Assert.Equal(new BudgetCounterState(0m, Worker.RequestCost), await ReadAsync(store, counter, now));
        Assert.False((await store.ReserveAsync(Reserve(Guid.NewGuid(), now, line))).IsGranted);

        Assert.True((await store.ReserveAsync(Reserve(Guid.NewGuid(), now + BudgetingOptions.DefaultLeaseTime + BudgetingOptions.DefaultMaxClockSkew, line))).IsGranted);
    }
}
