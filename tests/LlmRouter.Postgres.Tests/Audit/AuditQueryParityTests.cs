using LlmRouter.Postgres.Tests.Support;
using LlmRouter.Sqlite;
using LlmRouter.Tests.Support;

namespace LlmRouter.Postgres.Tests.Audit;

/// <summary>The same records in both stores give the same answers, to the last decimal.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditQueryParityTests(PostgresServer server) : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"llmrouter-parity-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }

    public static TheoryData<AuditGrouping, string?> Groupings => new()
    {
        { AuditGrouping.None, null },
        { AuditGrouping.Key, null },
        { AuditGrouping.Tenant, null },
        { AuditGrouping.RequestedModel | AuditGrouping.ServedModel, null },
        { AuditGrouping.Provider | AuditGrouping.Status, null },
        { AuditGrouping.Day, null },
        { AuditGrouping.Day, "Europe/Zurich" },
        { AuditGrouping.Day, "America/New_York" },
        { AuditGrouping.Key | AuditGrouping.Tenant | AuditGrouping.RequestedModel | AuditGrouping.ServedModel | AuditGrouping.Provider | AuditGrouping.Status | AuditGrouping.Day, "Asia/Kolkata" },
    };

    [Fact]
    public async Task Both_stores_give_identical_summaries_records_and_verification()
    {
        List<AuditRecord> records = AuditSamples.Mixed(1500);
        records.Add(AuditSamples.Full());
        await using var sqlite = new SqliteAuditStore($"Data Source={_file}");
        await using var postgres = new PostgresAuditStore(await server.CreateDatabaseAsync("parity"));
        await AuditSamples.WriteAsync(sqlite, records);
        await AuditSamples.WriteAsync(postgres, records);
        var from = AuditSamples.Start.AddHours(7);
        var to = AuditSamples.Start.AddDays(2).AddMinutes(13);

        foreach ((AuditGrouping grouping, string? zone) in Groupings.Select(row => ((AuditGrouping)row[0], (string?)row[1])))
        {
            foreach (string? tenant in new[] { null, "acme" })
            {
                var request = new AuditSummaryRequest
                {
                    From = from,
                    To = to,
                    GroupBy = grouping,
                    Tenant = tenant,
                    TimeZone = zone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone),
                };
                IReadOnlyList<AuditSummaryRow> expected = await sqlite.SummarizeAsync(request);
                IReadOnlyList<AuditSummaryRow> actual = await postgres.SummarizeAsync(request);

                Assert.NotEmpty(expected);
                Assert.Equal(expected, actual);
                Assert.Equal(expected.Select(r => r.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)), actual.Select(r => r.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        AuditSummaryRow total = Assert.Single(await postgres.SummarizeAsync(new AuditSummaryRequest { From = DateTimeOffset.MinValue.AddYears(1), To = DateTimeOffset.MaxValue.AddYears(-1) }));
        Assert.Equal(records.Sum(r => r.Cost ?? 0m), total.Cost);
        Assert.Equal(records.Count, total.Requests);

        foreach (AuditRecord record in records.Take(50).Append(records[^1]))
        {
            Assert.Equal(AuditSamples.Fields((await sqlite.GetAsync(record.Id))!), AuditSamples.Fields((await postgres.GetAsync(record.Id))!));
        }

        Assert.Equal((await new AuditVerifier(sqlite).VerifyAsync()).RecordsVerified, (await new AuditVerifier(postgres).VerifyAsync()).RecordsVerified);
    }

    [Fact]
    public async Task Both_stores_read_the_same_records_of_a_range_in_the_same_order()
    {
        List<AuditRecord> records = AuditSamples.Mixed(800, seed: 7);
        records.AddRange(AuditSamples.SameInstant(AuditSamples.Start.AddHours(20), 4));
        records.Add(AuditSamples.Full());
        await using var sqlite = new SqliteAuditStore($"Data Source={_file}");
        await using var postgres = new PostgresAuditStore(await server.CreateDatabaseAsync("parity"));
        await AuditSamples.WriteAsync(sqlite, records);
        await AuditSamples.WriteAsync(postgres, records);

        foreach ((string? key, string? tenant) in new (string?, string?)[] { (null, null), ("client-chat", null), (null, "globex"), (null, "acme") })
        {
            foreach (bool content in new[] { false, true })
            {
                var request = new AuditReadRequest { From = AuditSamples.Start.AddHours(3), To = DateTimeOffset.MaxValue.AddYears(-1), Key = key, Tenant = tenant, IncludeContent = content };
                List<string> expected = await sqlite.ReadAsync(request).Select(AuditSamples.Fields).ToListAsync();
                List<string> actual = await postgres.ReadAsync(request).Select(AuditSamples.Fields).ToListAsync();

                Assert.NotEmpty(expected);
                Assert.Equal(expected, actual);
                Assert.Equal(AuditSamples.InRange(records, request.From, request.To, key, tenant).Count, expected.Count);
            }
        }
    }
}
