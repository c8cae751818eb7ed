using LlmRouter.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Sqlite.Tests.Audit;

/// <summary>Reading the records of a time range (<see cref="IAuditQuery.ReadAsync"/>) from the SQLite store.</summary>
public sealed class SqliteAuditRangeTests : IDisposable
{
    private readonly SqliteAuditFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task A_range_reads_the_records_that_started_in_it_ordered_by_start_then_id()
    {
        await using var store = _file.Store();
        await AuditRangeSpecs.ReadsTheRecordsOfARangeByStartThenIdAsync(store);
    }

    [Fact]
    public async Task The_range_includes_its_start_and_excludes_its_end_to_the_microsecond()
    {
        await using SqliteAuditStore store = _file.Store();
        List<AuditRecord> records = AuditSamples.SameInstant(AuditSamples.Start, 1);
        records.AddRange(AuditSamples.SameInstant(AuditSamples.Start.AddTicks(10), 1));
        await AuditSamples.WriteAsync(store, records);

        var read = new List<AuditRecord>();
        await foreach (AuditRecord record in store.ReadAsync(new AuditReadRequest { From = AuditSamples.Start, To = AuditSamples.Start.AddTicks(10) }))
        {
            read.Add(record);
        }

        Assert.Equal(records[0].Id, Assert.Single(read).Id);
    }

    [Fact]
    public async Task Content_is_read_only_when_asked_for()
    {
        await using var store = _file.Store();
        await AuditRangeSpecs.ReadsContentOnlyWhenAskedAsync(store);
    }

    [Fact]
    public void An_empty_range_is_refused_before_anything_is_read()
    {
        using SqliteAuditStore store = _file.Store();

        Assert.Throws<ArgumentException>(() => store.ReadAsync(new AuditReadRequest { From = AuditSamples.Start, To = AuditSamples.Start }));
    }

    [Theory]
    [InlineData(null, null, "audit_records_started_at")]
    [InlineData("client-chat", null, "audit_records_key")]
    [InlineData(null, "acme", "audit_records_tenant")]
    public async Task A_range_is_read_through_the_index_of_its_filter(string? key, string? tenant, string index)
    {
        await using SqliteAuditStore store = _file.Store();
        await AuditSamples.WriteAsync(store, AuditSamples.Mixed(200));
        await _file.ExecuteAsync("ANALYZE");

        await using var connection = new SqliteConnection(_file.ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        SqliteAuditStore.ConfigureRead(command, new AuditReadRequest { From = AuditSamples.Start, To = AuditSamples.Start.AddHours(6), Key = key, Tenant = tenant });
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var plan = new List<string>();
        await using (SqliteDataReader reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Contains(plan, step => step.Contains("USING INDEX " + index, StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN audit_records", StringComparison.Ordinal) && !step.Contains("INDEX", StringComparison.Ordinal));
    }
}
