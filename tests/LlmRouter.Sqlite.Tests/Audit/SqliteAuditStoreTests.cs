using LlmRouter.Tests.Audit;
using LlmRouter.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Sqlite.Tests.Audit;

public sealed class SqliteAuditStoreTests : IDisposable
{
    private readonly SqliteAuditFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task No_provider_key_or_authorization_header_reaches_any_byte_of_the_database_its_log_or_its_shared_memory()
    {
        int requests = await AuditSecrecy.RecordAsync(b => b.AddSqliteStores(_file.ConnectionString));

        Assert.Equal(requests, Convert.ToInt32(await _file.ScalarAsync("SELECT COUNT(*) FROM audit_records")));
        Assert.Equal(requests, Convert.ToInt32(await _file.ScalarAsync("SELECT COUNT(*) FROM audit_records WHERE request_content LIKE '%Bearer [REDACTED]%'")));
        AuditSecrecy.AssertNoSecretIn(_file.AllBytes());
    }

    [Fact]
    public async Task A_record_with_every_field_set_reads_back_exactly_and_still_verifies()
    {
        await using SqliteAuditStore store = _file.Store();
        AuditRecord written = AuditSamples.Full();
        await AuditSamples.WriteAsync(store, [written]);

        AuditRecord read = (await store.GetAsync(written.Id))!;

        Assert.Equal(AuditSamples.Canonical(written), AuditSamples.Canonical(read));
        Assert.Equal(written.Hash, read.Hash);
        Assert.Equal("user: Grüezi! Mail [EMAIL] about the \"Q3\" VAT\uFFFD return.\nThanks", read.RequestContent);
        Assert.Equal(0.0085225m, read.Cost);
        Assert.Equal(3, read.Attempts.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), read.Attempts[0].RetryAfter);
        Assert.True((await new AuditVerifier(store).VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task The_schema_is_created_on_first_use_with_typed_columns_and_indexes_for_time_key_and_tenant()
    {
        await using SqliteAuditStore store = _file.Store();
        await AuditSamples.WriteAsync(store, AuditSamples.Mixed(3));

        Assert.Equal(1L, await _file.ScalarAsync("SELECT version FROM llmrouter_schema WHERE component = 'audit'"));
        Assert.Equal(45L, await _file.ScalarAsync("SELECT COUNT(*) FROM pragma_table_info('audit_records')"));
        Assert.Equal("TEXT", await _file.ScalarAsync("SELECT type FROM pragma_table_info('audit_records') WHERE name = 'cost'"));
        foreach (string index in new[] { "audit_records_id", "audit_records_started_at", "audit_records_key", "audit_records_tenant" })
        {
            Assert.Equal(1L, await _file.ScalarAsync($"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '{index}'"));
        }

        Assert.Equal("WAL", ((string)(await _file.ScalarAsync("PRAGMA journal_mode"))!).ToUpperInvariant());
        Assert.Equal(16384L, await _file.ScalarAsync("PRAGMA page_size"));
    }

    [Fact]
    public async Task A_batch_written_twice_is_stored_once()
    {
        await using SqliteAuditStore store = _file.Store();
        await AuditSamples.WriteAsync(store, AuditSamples.Mixed(3));
        AuditBatch batch = await BatchOfStoredChainAsync(store);

        await store.WriteAsync(batch);

        Assert.Equal(3L, await _file.ScalarAsync("SELECT COUNT(*) FROM audit_records"));
        Assert.True((await new AuditVerifier(store).VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task A_batch_that_fails_part_way_leaves_nothing_behind()
    {
        await using SqliteAuditStore store = _file.Store();
        await AuditSamples.WriteAsync(store, AuditSamples.Mixed(2));
        AuditBatch stored = await BatchOfStoredChainAsync(store);
        var head = new AuditChainHead { ChainId = Guid.CreateVersion7(), Instance = "test", StartedAt = AuditSamples.Start, LastSequence = 2, LastHash = "x" };
        AuditRecord first = AuditSamples.Mixed(1)[0];
        first.Seal(head.ChainId, 1, AuditText.ZeroHash, "a");
        AuditRecord clash = WithIdOf(stored.Records[0]);
        clash.Seal(head.ChainId, 2, "a", "b");

        await Assert.ThrowsAsync<SqliteException>(() => store.WriteAsync(new AuditBatch(head, [first, clash])));

        Assert.Equal(2L, await _file.ScalarAsync("SELECT COUNT(*) FROM audit_records"));
        Assert.Equal(1L, await _file.ScalarAsync("SELECT COUNT(*) FROM audit_chains"));
    }

    [Fact]
    public async Task The_verifier_finds_an_edited_cost_a_deleted_row_and_a_reordered_sequence()
    {
        await using SqliteAuditStore store = _file.Store();
        await AuditSamples.WriteAsync(store, AuditSamples.Mixed(10), batchSize: 4);
        var verifier = new AuditVerifier(store);
        Assert.True((await verifier.VerifyAsync()).IsIntact);

        await _file.ExecuteAsync("UPDATE audit_records SET cost = '0.0001' WHERE seq = 3");
        AuditProblem edited = (await verifier.VerifyAsync()).FirstProblem!;
        Assert.Equal((AuditProblemKind.Altered, 3L), (edited.Kind, edited.Sequence));

        await _file.ExecuteAsync("DELETE FROM audit_records WHERE seq = 3");
        AuditProblem deleted = (await verifier.VerifyAsync()).FirstProblem!;
        Assert.Equal((AuditProblemKind.Removed, 3L), (deleted.Kind, deleted.Sequence));

        await _file.ExecuteAsync("UPDATE audit_records SET seq = 3 WHERE seq = 2");
        await _file.ExecuteAsync("UPDATE audit_records SET seq = 2 WHERE seq = 1");
        await _file.ExecuteAsync("UPDATE audit_records SET seq = 1 WHERE seq = 3");
        AuditProblem reordered = (await verifier.VerifyAsync()).FirstProblem!;
        Assert.Equal((AuditProblemKind.Reordered, 1L), (reordered.Kind, reordered.Sequence));

        await _file.ExecuteAsync("DELETE FROM audit_records WHERE seq <= 3");
        await _file.ExecuteAsync("DELETE FROM audit_records WHERE seq = 10");
        AuditChainVerification chain = Assert.Single((await verifier.VerifyAsync()).Chains);
        Assert.Equal(AuditProblemKind.Removed, chain.Problem!.Kind);
    }

    [Fact]
    public async Task Records_removed_from_the_end_of_a_chain_are_found_through_the_chain_head()
    {
        await using SqliteAuditStore store = _file.Store();
        await AuditSamples.WriteAsync(store, AuditSamples.Mixed(6), batchSize: 2);

        await _file.ExecuteAsync("DELETE FROM audit_records WHERE seq >= 5");

        AuditProblem problem = (await new AuditVerifier(store).VerifyAsync()).FirstProblem!;
        Assert.Equal((AuditProblemKind.Removed, 5L), (problem.Kind, problem.Sequence));
    }

    [Fact]
    public async Task Several_writers_on_one_file_keep_one_chain_each()
    {
        var writes = Enumerable.Range(0, 4).Select(async i =>
        {
            await using SqliteAuditStore store = _file.Store();
            await AuditSamples.WriteAsync(store, AuditSamples.Mixed(250, seed: i), batchSize: 50);
        });
        await Task.WhenAll(writes);

        await using SqliteAuditStore reader = _file.Store();
        AuditVerification result = await new AuditVerifier(reader).VerifyAsync();
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(4, result.Chains.Count);
        Assert.Equal(1000, result.RecordsVerified);
    }

    [Fact]
    public async Task Summaries_group_by_every_dimension_with_exact_money()
    {
        await using SqliteAuditStore store = _file.Store();
        List<AuditRecord> records = AuditSamples.Mixed(600);
        await AuditSamples.WriteAsync(store, records);
        var range = (From: AuditSamples.Start, To: AuditSamples.Start.AddDays(4));

        AuditSummaryRow total = Assert.Single(await store.SummarizeAsync(new AuditSummaryRequest { From = range.From, To = range.To }));
        Assert.Equal(600, total.Requests);
        Assert.Equal(records.Sum(r => r.Cost ?? 0m), total.Cost);
        Assert.Equal(records.Sum(r => r.Tokens.InputTokens), total.Tokens.InputTokens);
        Assert.Equal(records.Count(r => r.PriceUnknown), total.UnpricedRequests);
        Assert.Equal(records.Count(r => r.TokensEstimated), total.EstimatedRequests);

        IReadOnlyList<AuditSummaryRow> byKeyAndProvider = await store.SummarizeAsync(new AuditSummaryRequest { From = range.From, To = range.To, GroupBy = AuditGrouping.Key | AuditGrouping.Provider });
        var expected = records.GroupBy(r => (r.Key, r.Provider)).OrderBy(g => g.Key.Key, StringComparer.Ordinal).ThenBy(g => g.Key.Provider, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(g => (g.Key.Key, g.Key.Provider, (long)g.Count(), g.Sum(r => r.Cost ?? 0m))), byKeyAndProvider.Select(r => (r.Key, r.Provider, r.Requests, r.Cost)));
        Assert.All(byKeyAndProvider, row => Assert.Null(row.Tenant));

        IReadOnlyList<AuditSummaryRow> byStatus = await store.SummarizeAsync(new AuditSummaryRequest { From = range.From, To = range.To, GroupBy = AuditGrouping.Status, Tenant = "acme" });
        Assert.Equal(records.Where(r => r.Tenant == "acme").GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => (g.Key, (long)g.Count())), byStatus.Select(r => (r.Status!.Value, r.Requests)));
    }

    [Fact]
    public async Task Days_are_calendar_days_of_the_time_zone_asked_for()
    {
        await using SqliteAuditStore store = _file.Store();
        List<AuditRecord> records = AuditSamples.Mixed(500);
        await AuditSamples.WriteAsync(store, records);
        TimeZoneInfo zurich = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");

        IReadOnlyList<AuditSummaryRow> days = await store.SummarizeAsync(new AuditSummaryRequest
        {
            From = AuditSamples.Start,
            To = AuditSamples.Start.AddDays(4),
            GroupBy = AuditGrouping.Day,
            TimeZone = zurich,
        });

        var expected = records.GroupBy(r => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(r.StartedAt, zurich).DateTime)).OrderBy(g => g.Key);
        Assert.Equal(expected.Select(g => (g.Key, (long)g.Count(), g.Sum(r => r.Cost ?? 0m))), days.Select(d => (d.Day!.Value, d.Requests, d.Cost)));
    }

    [Fact]
    public async Task A_range_bound_finer_than_a_microsecond_is_compared_as_the_stores_keep_time()
    {
        await using SqliteAuditStore store = _file.Store();
        AuditRecord record = AuditSamples.Mixed(1)[0];
        await AuditSamples.WriteAsync(store, [record]);

        Assert.Empty(await store.SummarizeAsync(new AuditSummaryRequest { From = record.StartedAt.AddTicks(1), To = record.StartedAt.AddDays(1) }));
        Assert.Single(await store.SummarizeAsync(new AuditSummaryRequest { From = record.StartedAt, To = record.StartedAt.AddTicks(1) }));
    }

    private static async Task<AuditBatch> BatchOfStoredChainAsync(SqliteAuditStore store)
    {
        AuditChainHead head = await store.ReadChainsAsync().SingleAsync();
        List<AuditRecord> records = await store.ReadChainAsync(head.ChainId).ToListAsync();
        return new AuditBatch(head, records);
    }

    /// <summary>A new record that reuses a stored record's id, which the store's unique index refuses.</summary>
    private static AuditRecord WithIdOf(AuditRecord record) => new()
    {
        Id = record.Id,
        StartedAt = record.StartedAt,
        CompletedAt = record.CompletedAt,
        Status = record.Status,
    };
}
