using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace LlmRouter.Postgres;

/// <summary>
/// The PostgreSQL audit store, for many application instances sharing one audit log: writes each batch with binary
/// <c>COPY</c> in one transaction, reads the chains back for <see cref="IAuditVerifier"/>, and answers
/// <see cref="IAuditQuery"/> summaries with the same results as the SQLite store.
/// </summary>
/// <remarks>
/// <para>
/// The schema (tables <c>audit_records</c> and <c>audit_chains</c>, documented in <c>docs/audit.md</c>; <c>uuid</c>,
/// <c>timestamptz</c>, <c>numeric</c> money, indexes on time, key and tenant) is created or migrated on first use, under
/// an advisory lock so instances starting together migrate once. Each instance writes its own chain.
/// </para>
/// <para>
/// The schema also holds views for dashboards (<c>audit_daily_spend</c>, <c>audit_daily_requests</c>,
/// <c>audit_request_facts</c>, <c>audit_fallbacks</c>; <c>docs/dashboard.md</c>) without any content column, granted to a
/// read-only role (<see cref="PostgresStoreOptions.ReaderRole"/>) that may read nothing else.
/// </para>
/// <para>
/// Registered by <c>AddPostgresStores</c>; construct it directly to read or verify an audit log outside an application.
/// Thread-safe. Connection strings are never logged nor put in messages.
/// </para>
/// </remarks>
public sealed class PostgresAuditStore : IAuditStore, IAuditReader, IAuditQuery, IStoreProbe, IAsyncDisposable, IDisposable
{
    private readonly PostgresDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly TimeProvider _time;
    private readonly string? _readerRole;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _migrated;

    /// <summary>Initializes a new instance of the <see cref="PostgresAuditStore"/> class, granting its views to <see cref="PostgresStoreOptions.DefaultReaderRole"/>.</summary>
    /// <param name="connectionString">The Npgsql connection string. A secret when it holds a password.</param>
    public PostgresAuditStore(string connectionString)
        : this(new PostgresStoreOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostgresAuditStore"/> class.</summary>
    /// <param name="options">The connection string and the read-only role to grant the audit views to.</param>
    /// <param name="logger">Where to say that the read-only role could not be created or granted; none by default.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public PostgresAuditStore(PostgresStoreOptions options, ILogger<PostgresAuditStore>? logger = null)
        : this(Validated(options), TimeProvider.System, ownsDatabase: true, options.ReaderRole, logger ?? (ILogger)NullLogger.Instance)
    {
    }

    internal PostgresAuditStore(PostgresDatabase database, TimeProvider timeProvider, bool ownsDatabase, string? readerRole, ILogger logger)
    {
        _database = database;
        _time = timeProvider;
        _ownsDatabase = ownsDatabase;
        _readerRole = string.IsNullOrEmpty(readerRole) ? null : readerRole;
        _logger = logger;
    }

    /// <inheritdoc/>
    public async Task WriteAsync(AuditBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable transactionScope = transaction.ConfigureAwait(false);

        AuditChainHead head = batch.Chain;
        DateTimeOffset now = AuditText.Microseconds(_time.GetUtcNow());
        using (var register = new NpgsqlCommand(
            "INSERT INTO audit_chains (chain_id, instance, started_at, last_seq, last_hash, updated_at) VALUES (@chain, @instance, @started, 0, @zero, @now) ON CONFLICT (chain_id) DO NOTHING",
            connection,
            transaction))
        {
            register.Parameters.AddWithValue("chain", head.ChainId);
            register.Parameters.AddWithValue("instance", head.Instance ?? string.Empty);
            register.Parameters.AddWithValue("started", head.StartedAt ?? batch.Records[0].StartedAt);
            register.Parameters.AddWithValue("zero", AuditText.ZeroHash);
            register.Parameters.AddWithValue("now", now);
            await register.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using (var lockHead = new NpgsqlCommand("SELECT last_seq FROM audit_chains WHERE chain_id = @chain FOR UPDATE", connection, transaction))
        {
            lockHead.Parameters.AddWithValue("chain", head.ChainId);
            if (await lockHead.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long stored && stored >= batch.FirstSequence)
            {
                // Written before: the commit succeeded but its acknowledgement was lost.
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        NpgsqlBinaryImporter importer = await connection.BeginBinaryImportAsync($"COPY audit_records ({PostgresAuditSchema.Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            using var json = new AuditJson();
            foreach (AuditRecord record in batch.Records)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                Copy(importer, record, json);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        using (var advance = new NpgsqlCommand("UPDATE audit_chains SET last_seq = @seq, last_hash = @hash, updated_at = @now WHERE chain_id = @chain", connection, transaction))
        {
            advance.Parameters.AddWithValue("seq", batch.LastSequence);
            advance.Parameters.AddWithValue("hash", batch.Records[^1].Hash);
            advance.Parameters.AddWithValue("now", now);
            advance.Parameters.AddWithValue("chain", head.ChainId);
            await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AuditChainHead> ReadChainsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using var command = new NpgsqlCommand(
            """
            SELECT chain_id, instance, started_at, last_seq, last_hash FROM audit_chains
            UNION ALL
            SELECT DISTINCT r.chain_id, NULL::text, NULL::timestamptz, NULL::bigint, NULL::text FROM audit_records r
            WHERE NOT EXISTS (SELECT 1 FROM audit_chains c WHERE c.chain_id = r.chain_id)
            ORDER BY 1
            """,
            connection);
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new AuditChainHead
            {
                ChainId = reader.GetGuid(0),
                Instance = reader.IsDBNull(1) ? null : reader.GetString(1),
                StartedAt = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                LastSequence = reader.IsDBNull(3) ? null : reader.GetInt64(3),
                LastHash = reader.IsDBNull(4) ? null : reader.GetString(4),
            };
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AuditRecord> ReadChainAsync(Guid chainId, long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using var command = new NpgsqlCommand($"SELECT {PostgresAuditSchema.Columns} FROM audit_records WHERE chain_id = @chain AND seq >= @from ORDER BY seq", connection);
        command.Parameters.AddWithValue("chain", chainId);
        command.Parameters.AddWithValue("from", fromSequence);
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadRecord(reader);
        }
    }

    /// <inheritdoc/>
    public async Task<AuditRecord?> GetAsync(Guid requestId, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using var command = new NpgsqlCommand($"SELECT {PostgresAuditSchema.Columns} FROM audit_records WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", requestId);
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRecord(reader) : null;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<AuditRecord> ReadAsync(AuditReadRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        return ReadRangeAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuditSummaryRow>> SummarizeAsync(AuditSummaryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using var command = new NpgsqlCommand { Connection = connection };
        command.CommandText = SummarySql(request, command);
        var rows = new List<AuditSummaryRow>();
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            long requests = reader.GetInt64(7);
            if (requests == 0)
            {
                continue;
            }

            rows.Add(new AuditSummaryRow
            {
                Key = NullableString(reader, 0),
                Tenant = NullableString(reader, 1),
                RequestedModel = NullableString(reader, 2),
                ServedModel = NullableString(reader, 3),
                Provider = NullableString(reader, 4),
                Status = reader.IsDBNull(5) ? null : AuditText.ParseStatus(reader.GetString(5)),
                Day = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6),
                Requests = requests,
                Tokens = new TokenUsage
                {
                    InputTokens = reader.GetInt64(8),
                    CachedInputTokens = reader.GetInt64(9),
                    CacheWriteTokens = reader.GetInt64(10),
                    OutputTokens = reader.GetInt64(11),
                    ReasoningTokens = reader.GetInt64(12),
                },
                Cost = AuditText.Normalize(reader.GetDecimal(13)),
                UnpricedRequests = reader.GetInt64(14),
                EstimatedRequests = reader.GetInt64(15),
            });
        }

        return AuditSummaries.Sort(rows);
    }

    /// <inheritdoc/>
    /// <remarks>Runs <c>SELECT 1</c> on a pooled connection; nothing is read or written. The exception of a failed probe never holds the connection string.</remarks>
    public Task ProbeAsync(CancellationToken cancellationToken = default) => _database.ProbeAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDatabase)
        {
            await _database.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _database.Dispose();
        }
    }

    /// <summary>
    /// Creates or migrates the audit tables and views and grants the views to the read-only role, once per store; a failure
    /// is retried on the next use.
    /// </summary>
    internal async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        await _schemaLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await _database.MigrateAsync(PostgresAuditSchema.Component, PostgresAuditSchema.Migrations, cancellationToken).ConfigureAwait(false);
                if (_readerRole is not null)
                {
                    await PostgresReaderRole.GrantAsync(_database, _readerRole, PostgresAuditSchema.Views, _logger, cancellationToken).ConfigureAwait(false);
                }

                _migrated = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    private static PostgresDatabase Validated(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new PostgresDatabase(options.ConnectionString);
    }

    private static void Copy(NpgsqlBinaryImporter w, AuditRecord r, AuditJson json)
    {
        w.Write(r.ChainId, NpgsqlDbType.Uuid);
        w.Write(r.Sequence, NpgsqlDbType.Bigint);
        w.Write(r.Id, NpgsqlDbType.Uuid);
        w.Write(r.PreviousHash, NpgsqlDbType.Text);
        w.Write(r.Hash, NpgsqlDbType.Text);
        w.Write((short)r.HashVersion, NpgsqlDbType.Smallint);
        w.Write(r.StartedAt, NpgsqlDbType.TimestampTz);
        w.Write(r.CompletedAt, NpgsqlDbType.TimestampTz);
        w.Write(AuditText.ToMicroseconds(r.Duration), NpgsqlDbType.Bigint);
        Nullable<long>(w, r.TimeToFirstToken is { } ttft ? AuditText.ToMicroseconds(ttft) : null, NpgsqlDbType.Bigint);
        w.Write(r.Streaming, NpgsqlDbType.Boolean);
        Text(w, r.Key);
        Text(w, r.Tenant);
        Text(w, r.User);
        w.Write(r.Tags as string[] ?? [.. r.Tags], NpgsqlDbType.Array | NpgsqlDbType.Text);
        Text(w, r.RequestedModel);
        Text(w, r.ServedModel);
        Text(w, r.Provider);
        Text(w, r.ProviderModel);
        Text(w, r.Region);
        w.Write(AuditText.Status(r.Status), NpgsqlDbType.Text);
        Text(w, r.ReasonCode);
        Text(w, AuditText.Error(r.ErrorClass));
        Text(w, r.ErrorMessage);
        w.Write(json.Attempts(r.Attempts), NpgsqlDbType.Jsonb);
        w.Write(r.Tokens.InputTokens, NpgsqlDbType.Bigint);
        w.Write(r.Tokens.CachedInputTokens, NpgsqlDbType.Bigint);
        w.Write(r.Tokens.CacheWriteTokens, NpgsqlDbType.Bigint);
        w.Write(r.Tokens.OutputTokens, NpgsqlDbType.Bigint);
        w.Write(r.Tokens.ReasoningTokens, NpgsqlDbType.Bigint);
        w.Write(r.TokensEstimated, NpgsqlDbType.Boolean);
        Nullable(w, r.Cost, NpgsqlDbType.Numeric);
        w.Write(r.PriceUnknown, NpgsqlDbType.Boolean);
        Nullable(w, r.Prices?.InputPerMillion, NpgsqlDbType.Numeric);
        Nullable(w, r.Prices?.CachedInputPerMillion, NpgsqlDbType.Numeric);
        Nullable(w, r.Prices?.CacheWritePerMillion, NpgsqlDbType.Numeric);
        Nullable(w, r.Prices?.OutputPerMillion, NpgsqlDbType.Numeric);
        Nullable(w, r.Prices?.ReasoningPerMillion, NpgsqlDbType.Numeric);
        Text(w, r.PriceSource);
        Text(w, r.CatalogVersion);
        if (json.Pii(r.PiiFindings) is { } pii)
        {
            w.Write(pii, NpgsqlDbType.Jsonb);
        }
        else
        {
            w.WriteNull();
        }

        w.Write(AuditText.Content(r.ContentMode), NpgsqlDbType.Text);
        Text(w, r.RequestContent);
        Text(w, r.ResponseContent);
        w.Write(r.ContentTruncated, NpgsqlDbType.Boolean);
    }

    private static void Text(NpgsqlBinaryImporter w, string? value)
    {
        if (value is null)
        {
            w.WriteNull();
        }
        else
        {
            w.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void Nullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is T present)
        {
            w.Write(present, type);
        }
        else
        {
            w.WriteNull();
        }
    }

    /// <summary>Sets a command to read a range: through the key's or tenant's index when filtered, else the <c>started_at</c> index.</summary>
    internal static void ConfigureRead(NpgsqlCommand command, AuditReadRequest request)
    {
        var sql = new StringBuilder("SELECT ")
            .Append(request.IncludeContent ? PostgresAuditSchema.Columns : PostgresAuditSchema.ColumnsWithoutContent)
            .Append(" FROM audit_records WHERE started_at >= @from AND started_at < @to");
        command.Parameters.AddWithValue("from", AuditText.CeilingMicroseconds(request.From));
        command.Parameters.AddWithValue("to", AuditText.CeilingMicroseconds(request.To));
        if (request.Key is not null)
        {
            sql.Append(" AND key_id = @key");
            command.Parameters.AddWithValue("key", request.Key);
        }

        if (request.Tenant is not null)
        {
            sql.Append(" AND tenant = @tenant");
            command.Parameters.AddWithValue("tenant", request.Tenant);
        }

        command.CommandText = sql.Append(" ORDER BY started_at, id").ToString();
    }

    private async IAsyncEnumerable<AuditRecord> ReadRangeAsync(AuditReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using var command = new NpgsqlCommand { Connection = connection };
        ConfigureRead(command, request);
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadRecord(reader);
        }
    }

    private static string SummarySql(AuditSummaryRequest request, NpgsqlCommand command)
    {
        AuditGrouping by = request.GroupBy;
        bool days = (by & AuditGrouping.Day) != 0;
        DateTimeOffset from = AuditText.CeilingMicroseconds(request.From);
        DateTimeOffset to = AuditText.CeilingMicroseconds(request.To);
        var groups = new List<string>(7);
        var sql = new StringBuilder("SELECT ")
            .Append(Group(by, AuditGrouping.Key, "r.key_id", "text", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.Tenant, "r.tenant", "text", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.RequestedModel, "r.requested_model", "text", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.ServedModel, "r.served_model", "text", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.Provider, "r.provider", "text", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.Status, "r.status", "text", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.Day, "d.day", "date", groups))
            .Append(", COUNT(*), COALESCE(SUM(r.input_tokens), 0)::bigint, COALESCE(SUM(r.cached_input_tokens), 0)::bigint, COALESCE(SUM(r.cache_write_tokens), 0)::bigint, ")
            .Append("COALESCE(SUM(r.output_tokens), 0)::bigint, COALESCE(SUM(r.reasoning_tokens), 0)::bigint, COALESCE(SUM(r.cost), 0), ")
            .Append("COUNT(*) FILTER (WHERE r.price_unknown), COUNT(*) FILTER (WHERE r.tokens_estimated) FROM audit_records r ");
        if (days)
        {
            // The day boundaries are LlmRouter's (any time zone, daylight saving included), so both stores group alike.
            List<(DateTimeOffset Start, DateTimeOffset End, DateOnly Day)> split = AuditDays.Split(from, to, request.TimeZone);
            sql.Append("JOIN unnest(@starts, @ends, @days) AS d (start_at, end_at, day) ON r.started_at >= d.start_at AND r.started_at < d.end_at ");
            command.Parameters.AddWithValue("starts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, split.Select(s => s.Start).ToArray());
            command.Parameters.AddWithValue("ends", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, split.Select(s => s.End).ToArray());
            command.Parameters.AddWithValue("days", NpgsqlDbType.Array | NpgsqlDbType.Date, split.Select(s => s.Day).ToArray());
        }

        sql.Append("WHERE r.started_at >= @from AND r.started_at < @to");
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        if (request.Key is not null)
        {
            sql.Append(" AND r.key_id = @key");
            command.Parameters.AddWithValue("key", request.Key);
        }

        if (request.Tenant is not null)
        {
            sql.Append(" AND r.tenant = @tenant");
            command.Parameters.AddWithValue("tenant", request.Tenant);
        }

        if (groups.Count > 0)
        {
            sql.Append(" GROUP BY ").AppendJoin(", ", groups);
        }

        return sql.ToString();
    }

    private static string Group(AuditGrouping by, AuditGrouping dimension, string column, string type, List<string> groups)
    {
        if ((by & dimension) == 0)
        {
            return "NULL::" + type;
        }

        groups.Add(column);
        return column;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static decimal? NullableDecimal(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);

    private static AuditRecord ReadRecord(NpgsqlDataReader r)
    {
        decimal? priceInput = NullableDecimal(r, 33);
        return new AuditRecord
        {
            ChainId = r.GetGuid(0),
            Sequence = r.GetInt64(1),
            Id = r.GetGuid(2),
            PreviousHash = r.GetString(3),
            Hash = r.GetString(4),
            HashVersion = r.GetInt16(5),
            StartedAt = r.GetFieldValue<DateTimeOffset>(6),
            CompletedAt = r.GetFieldValue<DateTimeOffset>(7),
            Duration = AuditText.FromMicroseconds(r.GetInt64(8)),
            TimeToFirstToken = r.IsDBNull(9) ? null : AuditText.FromMicroseconds(r.GetInt64(9)),
            Streaming = r.GetBoolean(10),
            Key = NullableString(r, 11),
            Tenant = NullableString(r, 12),
            User = NullableString(r, 13),
            Tags = r.GetFieldValue<string[]>(14),
            RequestedModel = NullableString(r, 15),
            ServedModel = NullableString(r, 16),
            Provider = NullableString(r, 17),
            ProviderModel = NullableString(r, 18),
            Region = NullableString(r, 19),
            Status = AuditText.ParseStatus(r.GetString(20)),
            ReasonCode = NullableString(r, 21),
            ErrorClass = AuditText.ParseError(NullableString(r, 22)),
            ErrorMessage = NullableString(r, 23),
            Attempts = AuditJson.ReadAttempts(r.GetString(24)),
            Tokens = new TokenUsage
            {
                InputTokens = r.GetInt64(25),
                CachedInputTokens = r.GetInt64(26),
                CacheWriteTokens = r.GetInt64(27),
                OutputTokens = r.GetInt64(28),
                ReasoningTokens = r.GetInt64(29),
            },
            TokensEstimated = r.GetBoolean(30),
            Cost = NullableDecimal(r, 31),
            PriceUnknown = r.GetBoolean(32),
            Prices = priceInput is null ? null : new PriceRates
            {
                InputPerMillion = priceInput.Value,
                CachedInputPerMillion = NullableDecimal(r, 34) ?? 0,
                CacheWritePerMillion = NullableDecimal(r, 35) ?? 0,
                OutputPerMillion = NullableDecimal(r, 36) ?? 0,
                ReasoningPerMillion = NullableDecimal(r, 37) ?? 0,
            },
            PriceSource = NullableString(r, 38),
            CatalogVersion = NullableString(r, 39),
            PiiFindings = AuditJson.ReadPii(NullableString(r, 40)),
            ContentMode = AuditText.ParseContent(r.GetString(41)),
            RequestContent = NullableString(r, 42),
            ResponseContent = NullableString(r, 43),
            ContentTruncated = r.GetBoolean(44),
        };
    }
}
