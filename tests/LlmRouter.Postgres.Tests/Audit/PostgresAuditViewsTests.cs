using LlmRouter.Postgres.Tests.Support;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace LlmRouter.Postgres.Tests.Audit;

/// <summary>The views the PostgreSQL audit store creates for dashboards, and the read-only role that may read them.</summary>
[Collection(PostgresCollection.Name)]
public class PostgresAuditViewsTests(PostgresServer server)
{
    private static readonly string[] Hidden = ["request_content", "response_content", "user_id", "tags", "error_message", "pii_findings", "prev_hash", "hash"];

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string UniqueRole(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..12];

    private static string As(string connectionString, string user, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = user, Password = password }.ConnectionString;

    private async Task<string> WrittenDatabaseAsync(IEnumerable<AuditRecord> records, string? readerRole = PostgresStoreOptions.DefaultReaderRole)
    {
        string database = await server.CreateDatabaseAsync("views");
        await using var store = new PostgresAuditStore(new PostgresStoreOptions { ConnectionString = database, ReaderRole = readerRole });
        await AuditSamples.WriteAsync(store, records);
        return database;
    }

    [Fact]
    public async Task The_views_show_no_content_user_tags_error_message_or_pii_findings()
    {
        AuditRecord full = AuditSamples.Full();
        string database = await WrittenDatabaseAsync([full, .. FallbackSamples.Rescued(2, full.StartedAt.AddHours(1))]);

        foreach (string view in PostgresAuditSchema.Views)
        {
            SqlResult rows = await SqlResult.QueryAsync(database, $"SELECT v.*, row_to_json(v)::text AS whole FROM {view} v");

            Assert.NotEmpty(rows.Rows);
            Assert.Empty(rows.Columns.Intersect(Hidden));
            foreach (object?[] row in rows.Rows)
            {
                string whole = (string)rows.Value(row, "whole")!;
                foreach (string secret in new[] { "Grüezi", "日本語", "zoë", "someone@acme.example", "invoice", "Rate limit reached", "phone" })
                {
                    Assert.DoesNotContain(secret, whole, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public async Task The_reader_role_reads_every_view_and_no_table()
    {
        string database = await WrittenDatabaseAsync(AuditSamples.Mixed(20));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await new NpgsqlCommand($"SET ROLE {PostgresStoreOptions.DefaultReaderRole}", connection).ExecuteNonQueryAsync();

        foreach (string view in PostgresAuditSchema.Views)
        {
            await SqlResult.QueryAsync(connection, $"SELECT * FROM {view}");
        }

        foreach (string table in new[] { "audit_records", "audit_chains", "llmrouter_schema" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => SqlResult.QueryAsync(connection, $"SELECT count(*) FROM {table}"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        SqlResult role = await SqlResult.QueryAsync(server.AdminConnectionString, $"SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = '{PostgresStoreOptions.DefaultReaderRole}'");
        Assert.Equal(new object?[] { false, false, false, false }, Assert.Single(role.Rows));
    }

    [Fact]
    public async Task Stores_of_many_databases_creating_one_reader_role_at_once_all_start()
    {
        string reader = UniqueRole("reader");
        string[] databases = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => server.CreateDatabaseAsync("roles")));

        await Task.WhenAll(databases.SelectMany(database => Enumerable.Range(0, 2).Select(async i =>
        {
            await using var store = new PostgresAuditStore(new PostgresStoreOptions { ConnectionString = database, ReaderRole = reader });
            await AuditSamples.WriteAsync(store, AuditSamples.Mixed(5, seed: i));
        })));

        Assert.Single((await SqlResult.QueryAsync(server.AdminConnectionString, $"SELECT 1 FROM pg_roles WHERE rolname = '{reader}' AND NOT rolcanlogin")).Rows);
        foreach (string database in databases)
        {
            SqlResult grants = await SqlResult.QueryAsync(database, $"SELECT has_table_privilege('{reader}', 'audit_daily_spend', 'SELECT'), has_table_privilege('{reader}', 'audit_fallbacks', 'SELECT'), has_table_privilege('{reader}', 'audit_records', 'SELECT'), has_schema_privilege('{reader}', 'public', 'USAGE')");
            Assert.Equal(new object?[] { true, true, false, true }, Assert.Single(grants.Rows));
        }
    }

    [Fact]
    public async Task A_database_user_that_may_not_create_roles_is_warned_and_its_store_still_works()
    {
        string owner = UniqueRole("owner");
        string reader = UniqueRole("reader");
        string admin = await server.CreateDatabaseAsync("noroles");
        string name = new NpgsqlConnectionStringBuilder(admin).Database!;
        await ExecuteAsync(admin, $"CREATE ROLE {owner} LOGIN NOCREATEROLE PASSWORD 'owner-password'; ALTER DATABASE \"{name}\" OWNER TO {owner}");
        string database = As(admin, owner, "owner-password");
        var logger = new FakeLogger<PostgresAuditStore>();

        await using (var store = new PostgresAuditStore(new PostgresStoreOptions { ConnectionString = database, ReaderRole = reader }, logger))
        {
            await AuditSamples.WriteAsync(store, AuditSamples.Mixed(5));
            Assert.Equal(5, (await store.SummarizeAsync(new AuditSummaryRequest { From = AuditSamples.Start, To = AuditSamples.Start.AddDays(4) })).Single().Requests);
        }

        FakeLogRecord warning = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Equal(1601, warning.Id.Id);
        Assert.Contains(reader, warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("owner-password", warning.Message, StringComparison.Ordinal);
        Assert.Empty((await SqlResult.QueryAsync(admin, $"SELECT 1 FROM pg_roles WHERE rolname = '{reader}'")).Rows);

        // An administrator creates the role; the next start grants it the views.
        await ExecuteAsync(admin, $"CREATE ROLE {reader} NOLOGIN");
        await using (var store = new PostgresAuditStore(new PostgresStoreOptions { ConnectionString = database, ReaderRole = reader }, logger))
        {
            await store.GetAsync(Guid.Empty);
        }

        SqlResult grants = await SqlResult.QueryAsync(admin, $"SELECT has_table_privilege('{reader}', 'audit_request_facts', 'SELECT'), has_table_privilege('{reader}', 'audit_records', 'SELECT')");
        Assert.Equal(new object?[] { true, false }, Assert.Single(grants.Rows));
        Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Without_a_reader_role_nothing_is_granted()
    {
        string database = await WrittenDatabaseAsync(AuditSamples.Mixed(5), readerRole: null);

        SqlResult grants = await SqlResult.QueryAsync(database, "SELECT grantee, table_name FROM information_schema.role_table_grants WHERE table_name LIKE 'audit%' AND grantee <> current_user");

        Assert.Empty(grants.Rows);
        Assert.Equal(PostgresAuditSchema.Views.Count, (await SqlResult.QueryAsync(database, "SELECT 1 FROM information_schema.views WHERE table_name LIKE 'audit%'")).Rows.Count);
    }

    [Fact]
    public async Task Daily_spend_equals_the_audit_query_by_utc_day_to_the_last_decimal_whatever_the_session_time_zone()
    {
        List<AuditRecord> records = [.. AuditSamples.Mixed(600), .. FallbackSamples.Rescued(6, AuditSamples.Start.AddHours(1)), AuditSamples.Full()];
        string database = await WrittenDatabaseAsync(records);
        await using var store = new PostgresAuditStore(database);
        IReadOnlyList<AuditSummaryRow> expected = await store.SummarizeAsync(new AuditSummaryRequest
        {
            From = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            To = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
            GroupBy = AuditGrouping.Day | AuditGrouping.Tenant | AuditGrouping.Key | AuditGrouping.ServedModel | AuditGrouping.Provider,
        });

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await new NpgsqlCommand("SET TIME ZONE 'Pacific/Chatham'", connection).ExecuteNonQueryAsync();
        SqlResult view = await SqlResult.QueryAsync(connection, "SELECT * FROM audit_daily_spend");
        var actual = view.Rows.Select(r => new AuditSummaryRow
        {
            Day = DateOnly.FromDateTime((DateTime)view.Value(r, "day")!),
            Tenant = (string?)view.Value(r, "tenant"),
            Key = (string?)view.Value(r, "key_id"),
            ServedModel = (string?)view.Value(r, "served_model"),
            Provider = (string?)view.Value(r, "provider"),
            Requests = (long)view.Value(r, "requests")!,
            Tokens = new TokenUsage
            {
                InputTokens = (long)view.Value(r, "input_tokens")!,
                CachedInputTokens = (long)view.Value(r, "cached_input_tokens")!,
                CacheWriteTokens = (long)view.Value(r, "cache_write_tokens")!,
                OutputTokens = (long)view.Value(r, "output_tokens")!,
                ReasoningTokens = (long)view.Value(r, "reasoning_tokens")!,
            },
            Cost = AuditText.Normalize((decimal)view.Value(r, "cost")!),
            UnpricedRequests = (long)view.Value(r, "unpriced_requests")!,
            EstimatedRequests = (long)view.Value(r, "estimated_requests")!,
        }).ToList();

        Assert.Equal(expected, AuditSummaries.Sort(actual));
        Assert.Equal(records.Sum(r => r.Cost ?? 0m), actual.Sum(r => r.Cost));
    }

    [Fact]
    public async Task Daily_requests_count_each_status_and_reason_like_the_audit_query()
    {
        string database = await WrittenDatabaseAsync(AuditSamples.Mixed(400));
        await using var store = new PostgresAuditStore(database);
        IReadOnlyList<AuditSummaryRow> expected = await store.SummarizeAsync(new AuditSummaryRequest
        {
            From = AuditSamples.Start.AddDays(-1),
            To = AuditSamples.Start.AddDays(5),
            GroupBy = AuditGrouping.Day | AuditGrouping.Status | AuditGrouping.RequestedModel,
        });

        SqlResult view = await SqlResult.QueryAsync(database, "SELECT day, status, requested_model, sum(requests)::bigint AS requests, count(DISTINCT reason_code) AS reasons FROM audit_daily_requests GROUP BY 1, 2, 3");

        Assert.Equal(
            expected.Select(r => (r.Day!.Value, AuditText.Status(r.Status!.Value), r.RequestedModel, r.Requests)).Order(),
            view.Rows.Select(r => (DateOnly.FromDateTime((DateTime)r[0]!), (string)r[1]!, (string?)r[2], (long)r[3]!)).Order());
        Assert.All(view.Rows, r => Assert.Equal((string)r[1]! == "served" ? 0L : 1L, (long)r[4]!));
    }

    [Fact]
    public async Task Request_facts_give_milliseconds_and_count_provider_calls_not_skipped_targets()
    {
        AuditRecord full = AuditSamples.Full();
        string database = await WrittenDatabaseAsync([full]);

        SqlResult facts = await SqlResult.QueryAsync(database, "SELECT request_id, duration_ms, ttft_ms, streaming, attempts, status, served_model, cost FROM audit_request_facts");

        object?[] row = Assert.Single(facts.Rows);
        Assert.Equal(new object?[] { full.Id, 2500.0, 350.001, true, 2L, "served", "assistant-ch", 0.0085225m }, row);
        Assert.Equal("double precision", facts.Types[1]);
    }

    [Fact]
    public async Task Fallbacks_name_the_first_alias_that_failed_and_the_alias_that_served()
    {
        DateTimeOffset start = AuditSamples.Start;
        List<AuditRecord> records = [.. AuditSamples.Mixed(50), .. FallbackSamples.Rescued(3, start), .. FallbackSamples.Rescued(2, start, from: "summarizer", to: "assistant")];
        string database = await WrittenDatabaseAsync(records);

        SqlResult fallbacks = await SqlResult.QueryAsync(database, "SELECT from_model, from_provider, from_error_class, to_model, to_provider, count(*), sum(failed_attempts)::bigint FROM audit_fallbacks GROUP BY 1, 2, 3, 4, 5 ORDER BY 1");

        Assert.Equal(
            new object?[][]
            {
                ["assistant", "mistral", "rate_limited", "assistant-ch", "infomaniak", 3L, 3L],
                ["summarizer", "mistral", "rate_limited", "assistant", "infomaniak", 2L, 2L],
            },
            fallbacks.Rows);
    }
}
