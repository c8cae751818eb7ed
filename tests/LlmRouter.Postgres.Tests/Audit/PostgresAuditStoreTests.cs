using System.Text;
using LlmRouter.Postgres.Tests.Support;
using LlmRouter.Tests.Audit;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LlmRouter.Postgres.Tests.Audit;

[Collection(PostgresCollection.Name)]
public class PostgresAuditStoreTests(PostgresServer server)
{
    private static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task No_provider_key_or_authorization_header_reaches_any_column_of_any_table()
    {
        string database = await server.CreateDatabaseAsync("audit");

        int requests = await AuditSecrecy.RecordAsync(b => b.AddPostgresStores(database));

        // Every row of every table, all its columns as text (jsonb, numeric and timestamps included).
        var dump = new StringBuilder();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (NpgsqlDataReader reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (string table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", connection);
            await using NpgsqlDataReader reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                dump.AppendLine(reader.GetString(0));
            }
        }

        Assert.Contains("audit_records", tables);
        Assert.Equal((long)requests, await ScalarAsync(database, "SELECT COUNT(*) FROM audit_records WHERE request_content LIKE '%Bearer [REDACTED]%'"));
        AuditSecrecy.AssertNoSecretIn(dump.ToString());
    }

    [Fact]
    public async Task A_record_with_every_field_set_reads_back_exactly_and_still_verifies()
    {
        string database = await server.CreateDatabaseAsync("audit");
        await using var store = new PostgresAuditStore(database);
        AuditRecord written = AuditSamples.Full();
        await AuditSamples.WriteAsync(store, [written]);

        AuditRecord read = (await store.GetAsync(written.Id))!;

        Assert.Equal(AuditSamples.Canonical(written), AuditSamples.Canonical(read));
        Assert.Equal(0.0085225m, read.Cost);
        Assert.True((await new AuditVerifier(store).VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task The_schema_uses_uuid_timestamptz_and_numeric_with_indexes_for_time_key_and_tenant()
    {
        string database = await server.CreateDatabaseAsync("audit");
        await using var store = new PostgresAuditStore(database);
        await AuditSamples.WriteAsync(store, AuditSamples.Mixed(3));

        Assert.Equal("uuid", await ScalarAsync(database, "SELECT data_type FROM information_schema.columns WHERE table_name = 'audit_records' AND column_name = 'id'"));
        Assert.Equal("timestamp with time zone", await ScalarAsync(database, "SELECT data_type FROM information_schema.columns WHERE table_name = 'audit_records' AND column_name = 'started_at'"));
        Assert.Equal("numeric", await ScalarAsync(database, "SELECT data_type FROM information_schema.columns WHERE table_name = 'audit_records' AND column_name = 'cost'"));
        Assert.Equal(45L, await ScalarAsync(database, "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'audit_records'"));
        foreach (string index in new[] { "audit_records_id", "audit_records_started_at", "audit_records_key", "audit_records_tenant" })
        {
            Assert.Equal(1L, await ScalarAsync(database, $"SELECT COUNT(*) FROM pg_indexes WHERE indexname = '{index}'"));
        }
    }

    [Fact]
    public async Task A_batch_written_twice_is_stored_once_and_a_failing_batch_leaves_nothing_behind()
    {
        string database = await server.CreateDatabaseAsync("audit");
        await using var store = new PostgresAuditStore(database);
        await AuditSamples.WriteAsync(store, AuditSamples.Mixed(3));
        AuditChainHead head = await store.ReadChainsAsync().SingleAsync();
        List<AuditRecord> stored = await store.ReadChainAsync(head.ChainId).ToListAsync();

        await store.WriteAsync(new AuditBatch(head, stored));
        var other = new AuditChainHead { ChainId = Guid.CreateVersion7(), Instance = "test", StartedAt = AuditSamples.Start, LastSequence = 1, LastHash = "b" };
        AuditRecord clash = new() { Id = stored[0].Id, StartedAt = AuditSamples.Start, CompletedAt = AuditSamples.Start };
        clash.Seal(other.ChainId, 1, AuditText.ZeroHash, "b");
        await Assert.ThrowsAsync<PostgresException>(() => store.WriteAsync(new AuditBatch(other, [clash])));

        Assert.Equal(3L, await ScalarAsync(database, "SELECT COUNT(*) FROM audit_records"));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT COUNT(*) FROM audit_chains"));
        Assert.True((await new AuditVerifier(store).VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task The_verifier_finds_an_edited_cost_a_deleted_row_and_a_reordered_sequence()
    {
        string database = await server.CreateDatabaseAsync("audit");
        await using var store = new PostgresAuditStore(database);
        await AuditSamples.WriteAsync(store, AuditSamples.Mixed(10), batchSize: 4);
        var verifier = new AuditVerifier(store);
        Assert.True((await verifier.VerifyAsync()).IsIntact);

        await ExecuteAsync(database, "UPDATE audit_records SET cost = 0.0001 WHERE seq = 3");
        AuditProblem edited = (await verifier.VerifyAsync()).FirstProblem!;
        Assert.Equal((AuditProblemKind.Altered, 3L), (edited.Kind, edited.Sequence));

        await ExecuteAsync(database, "DELETE FROM audit_records WHERE seq = 3");
        AuditProblem deleted = (await verifier.VerifyAsync()).FirstProblem!;
        Assert.Equal((AuditProblemKind.Removed, 3L), (deleted.Kind, deleted.Sequence));

        await ExecuteAsync(database, "UPDATE audit_records SET seq = -seq WHERE seq IN (1, 2); UPDATE audit_records SET seq = CASE seq WHEN -1 THEN 2 ELSE 1 END WHERE seq < 0");
        AuditProblem reordered = (await verifier.VerifyAsync()).FirstProblem!;
        Assert.Equal((AuditProblemKind.Reordered, 1L), (reordered.Kind, reordered.Sequence));

        await ExecuteAsync(database, "DELETE FROM audit_records WHERE seq <= 3; DELETE FROM audit_records WHERE seq = 10");
        AuditProblem tail = (await verifier.VerifyAsync()).FirstProblem!;
        Assert.Equal(AuditProblemKind.Removed, tail.Kind);
    }

    [Fact]
    public async Task Many_instances_write_their_own_chains_to_one_database()
    {
        string database = await server.CreateDatabaseAsync("audit");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            await using var store = new PostgresAuditStore(database);
            await AuditSamples.WriteAsync(store, AuditSamples.Mixed(250, seed: i), batchSize: 50);
        }));

        await using var reader = new PostgresAuditStore(database);
        AuditVerification result = await new AuditVerifier(reader).VerifyAsync();
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal((4, 1000L), (result.Chains.Count, result.RecordsVerified));
    }
}
