using BenchmarkDotNet.Attributes;
using Npgsql;

namespace LlmRouter.Benchmarks;

/// <summary>
/// What the PostgreSQL budget store's numbers are made of, on the same throwaway server: a bare round trip, and one
/// durable commit of a one-row write. A reservation and a settlement are two durable commits.
/// </summary>
[BenchmarkCategory(BenchPostgres.Category)]
public class PostgresBaselineBenchmarks
{
    private BenchPostgres? _server;
    private NpgsqlDataSource? _source;

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchPostgres.Start();
        _source = NpgsqlDataSource.Create(_server.ConnectionString);
        using NpgsqlCommand create = _source.CreateCommand("CREATE TABLE IF NOT EXISTS bench_counter (id int PRIMARY KEY, n bigint NOT NULL); INSERT INTO bench_counter VALUES (1, 0) ON CONFLICT DO NOTHING");
        create.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _source?.Dispose();
        _server?.Dispose();
    }

    [Benchmark(Description = "round trip: SELECT 1")]
    public async Task<object?> RoundTrip()
    {
        await using NpgsqlCommand command = _source!.CreateCommand("SELECT 1");
        return await command.ExecuteScalarAsync();
    }

    [Benchmark(Description = "durable commit: UPDATE one row")]
    public async Task<int> Commit()
    {
        await using NpgsqlCommand command = _source!.CreateCommand("UPDATE bench_counter SET n = n + 1 WHERE id = 1");
        return await command.ExecuteNonQueryAsync();
    }
}
