using BenchmarkDotNet.Attributes;
using LlmRouter.Postgres;
using LlmRouter.Sqlite;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Benchmarks;

/// <summary>
/// What a budgeted request costs in its store: one reservation and one settlement, uncontended, for a request under one
/// budget (its key's) and under three (key, tenant, global). The PostgreSQL case runs against a throwaway local server
/// (<see cref="BenchPostgres"/>), or the one <c>LLMROUTER_BENCH_POSTGRES</c> names; without either it is left out of
/// the run (and fails in its setup, saying why, when run anyway).
/// </summary>
[MemoryDiagnoser]
public class BudgetStoreBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private long _requests;
    private BudgetLine[] _lines = [];
    private BudgetCharge[] _charges = [];
    private IBudgetStore? _store;
    private string? _sqliteFile;
    private BenchPostgres? _postgres;
    private PostgresDatabase? _database;

    [Params("in-memory", "SQLite", "PostgreSQL")]
    public string Store { get; set; } = "in-memory";

    [Params(1, 3)]
    public int Scopes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BudgetCounterKey[] counters =
        [
            new(BudgetScope.Key, "client-chat", null, "M:2026-11-01"),
            new(BudgetScope.Tenant, "acme", null, "M:2026-11-01"),
            new(BudgetScope.Global, null, null, "M:2026-11-01"),
        ];
        _lines = [.. counters.Take(Scopes).Select(c => new BudgetLine(c, 1_000_000m, 0.0125m))];
        _charges = [.. counters.Take(Scopes).Select(c => new BudgetCharge(c, 0.0031m))];
        switch (Store)
        {
            case "in-memory":
                _store = new InMemoryBudgetStore();
                break;
            case "SQLite":
                _sqliteFile = Path.Combine(Path.GetTempPath(), $"llmrouter-bench-{Guid.NewGuid():N}.db");
                _store = new SqliteBudgetStore(new SqliteDatabase($"Data Source={_sqliteFile}"));
                break;
            default:
                _postgres = BenchPostgres.Start();
                _database = new PostgresDatabase(_postgres.ConnectionString);
                _store = new PostgresBudgetStore(_database);
                break;
        }

        // Schema, connections and statements are set up before timing.
        ReserveAndSettle().AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_store as IDisposable)?.Dispose();
        _database?.Dispose();
        _postgres?.Dispose();
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (string file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Benchmark(Description = "reserve + settle")]
    public async ValueTask<decimal> ReserveAndSettle()
    {
        // The router reserves under the request's id, which it already has: making one is not part of the cost.
        Guid id = new(0, 0, 0, BitConverter.GetBytes(++_requests));
        BudgetDecision decision = await _store!.ReserveAsync(new BudgetReservation(id, BudgetMode.Strict, Now, Now.AddMinutes(15), _lines)).ConfigureAwait(false);
        if (!decision.IsGranted)
        {
            throw new InvalidOperationException("The benchmark's budget ran out.");
        }

        IReadOnlyList<decimal> spent = await _store!.SettleAsync(new BudgetSettlement(id, _charges)).ConfigureAwait(false);
        return spent[0];
    }
}
