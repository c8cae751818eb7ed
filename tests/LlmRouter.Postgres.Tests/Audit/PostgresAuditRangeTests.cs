using LlmRouter.Postgres.Tests.Support;
using LlmRouter.Tests.Support;
using Npgsql;

namespace LlmRouter.Postgres.Tests.Audit;

/// <summary>Reading the records of a time range (<see cref="IAuditQuery.ReadAsync"/>) from the PostgreSQL store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditRangeTests(PostgresServer server)
{
    [Fact]
    public async Task A_range_reads_the_records_that_started_in_it_ordered_by_start_then_id()
    {
        await using var store = new PostgresAuditStore(await server.CreateDatabaseAsync("range"));
        await AuditRangeSpecs.ReadsTheRecordsOfARangeByStartThenIdAsync(store);
    }

    [Fact]
    public async Task Content_is_read_only_when_asked_for()
    {
        await using var store = new PostgresAuditStore(await server.CreateDatabaseAsync("range"));
        await AuditRangeSpecs.ReadsContentOnlyWhenAskedAsync(store);
    }

    [Theory]
    [InlineData(null, null, "audit_records_started_at")]
    [InlineData("client-chat", null, "audit_records_key")]
    [InlineData(null, "acme", "audit_records_tenant")]
    public async Task A_range_is_read_through_the_index_of_its_filter(string? key, string? tenant, string index)
    {
        string database = await server.CreateDatabaseAsync("range");
        await using var store = new PostgresAuditStore(database);
        await AuditSamples.WriteAsync(store, AuditSamples.Mixed(200));

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE audit_records; SET enable_seqscan = off; SET enable_bitmapscan = off", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand { Connection = connection };
        PostgresAuditStore.ConfigureRead(command, new AuditReadRequest { From = AuditSamples.Start, To = AuditSamples.Start.AddHours(6), Key = key, Tenant = tenant });
        command.CommandText = "EXPLAIN " + command.CommandText;
        var plan = new List<string>();
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, step => step.Contains("Index Scan using " + index + " ", StringComparison.Ordinal));
    }
}
