using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Sqlite;

/// <summary>
/// The SQLite audit store, LlmRouter's embedded default: writes each batch in one transaction with prepared statements,
/// reads the chains back for <see cref="IAuditVerifier"/>, and answers <see cref="IAuditQuery"/> summaries.
/// </summary>
/// <remarks>
/// <para>
/// The schema (tables <c>audit_records</c> and <c>audit_chains</c>, documented in <c>docs/audit.md</c>) is created or
/// migrated on first use. The file is in WAL mode: a committed batch survives the process being killed, and readers never
/// block the writer. Money is kept as exact decimal text and summed exactly.
/// </para>
/// <para>
/// Registered by <c>AddSqliteStores</c>; construct it directly to read or verify an audit file outside an application.
/// Thread-safe. Dispose it to close its write connection.
/// </para>
/// </remarks>
public sealed class SqliteAuditStore : IAuditStore, IAuditReader, IAuditQuery, IAsyncDisposable, IDisposable
{
    private const string DecimalSum = "llmrouter_decimal_sum";

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _migrated;
    private BatchWriter? _writer;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqliteAuditStore"/> class.</summary>
    /// <param name="connectionString">The SQLite connection string, for example <c>Data Source=llmrouter.db</c>.</param>
    public SqliteAuditStore(string connectionString)
        : this(new SqliteDatabase(connectionString), TimeProvider.System)
    {
    }

    internal SqliteAuditStore(SqliteDatabase database, TimeProvider timeProvider)
    {
        _database = database;
        _time = timeProvider;
    }

    /// <inheritdoc/>
    public async Task WriteAsync(AuditBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            BatchWriter writer = _writer ??= await BatchWriter.OpenAsync(_database, cancellationToken).ConfigureAwait(false);
            try
            {
                writer.Write(batch, _time.GetUtcNow());
            }
            catch
            {
                // A connection that failed mid-batch is not trusted again: the next batch opens a new one.
                _writer = null;
                writer.Dispose();
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AuditChainHead> ReadChainsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT chain_id, instance, started_at, last_seq, last_hash FROM audit_chains
            UNION ALL
            SELECT DISTINCT r.chain_id, NULL, NULL, NULL, NULL FROM audit_records r
            WHERE NOT EXISTS (SELECT 1 FROM audit_chains c WHERE c.chain_id = r.chain_id)
            ORDER BY 1
            """;
        SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new AuditChainHead
            {
                ChainId = Guid.Parse(reader.GetString(0)),
                Instance = reader.IsDBNull(1) ? null : reader.GetString(1),
                StartedAt = reader.IsDBNull(2) ? null : AuditText.ParseTimestamp(reader.GetString(2)),
                LastSequence = reader.IsDBNull(3) ? null : reader.GetInt64(3),
                LastHash = reader.IsDBNull(4) ? null : reader.GetString(4),
            };
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AuditRecord> ReadChainAsync(Guid chainId, long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteAuditSchema.Columns} FROM audit_records WHERE chain_id = $chain AND seq >= $from ORDER BY seq";
        command.Parameters.AddWithValue("$chain", chainId.ToString("D"));
        command.Parameters.AddWithValue("$from", fromSequence);
        SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteAuditSchema.Columns} FROM audit_records WHERE id = $id";
        command.Parameters.AddWithValue("$id", requestId.ToString("D"));
        SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRecord(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuditSummaryRow>> SummarizeAsync(AuditSummaryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        connection.CreateAggregate<string?, decimal, string>(
            DecimalSum, 0m, static (sum, cost) => cost is null ? sum : sum + AuditText.ParseDecimal(cost), static sum => AuditText.Decimal(sum), isDeterministic: true);

        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = SummarySql(request, command);
        var rows = new List<AuditSummaryRow>();
        SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
                Day = reader.IsDBNull(6) ? null : DateOnly.ParseExact(reader.GetString(6), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Requests = requests,
                Tokens = new TokenUsage
                {
                    InputTokens = reader.GetInt64(8),
                    CachedInputTokens = reader.GetInt64(9),
                    CacheWriteTokens = reader.GetInt64(10),
                    OutputTokens = reader.GetInt64(11),
                    ReasoningTokens = reader.GetInt64(12),
                },
                Cost = AuditText.Normalize(AuditText.ParseDecimal(reader.GetString(13))),
                UnpricedRequests = reader.GetInt64(14),
                EstimatedRequests = reader.GetInt64(15),
            });
        }

        return AuditSummaries.Sort(rows);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Creates or migrates the audit tables, once per store; a failure is retried on the next use.</summary>
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
                await _database.MigrateAsync(SqliteAuditSchema.Component, SqliteAuditSchema.Migrations, cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    private static string SummarySql(AuditSummaryRequest request, SqliteCommand command)
    {
        AuditGrouping by = request.GroupBy;
        var sql = new StringBuilder();
        bool days = (by & AuditGrouping.Day) != 0;
        DateTimeOffset from = AuditText.CeilingMicroseconds(request.From);
        DateTimeOffset to = AuditText.CeilingMicroseconds(request.To);
        if (days)
        {
            // The day boundaries are LlmRouter's (any time zone, daylight saving included), so both stores group alike.
            sql.Append("WITH days (start_at, end_at, day) AS (VALUES ");
            List<(DateTimeOffset Start, DateTimeOffset End, DateOnly Day)> split = AuditDays.Split(from, to, request.TimeZone);
            for (int i = 0; i < split.Count; i++)
            {
                sql.Append(i == 0 ? "(" : ", (")
                    .Append('\'').Append(AuditText.Timestamp(split[i].Start)).Append("', '")
                    .Append(AuditText.Timestamp(split[i].End)).Append("', '")
                    .Append(split[i].Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("')");
            }

            sql.Append(") ");
        }

        var groups = new List<string>(7);
        sql.Append("SELECT ")
            .Append(Group(by, AuditGrouping.Key, "r.key_id", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.Tenant, "r.tenant", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.RequestedModel, "r.requested_model", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.ServedModel, "r.served_model", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.Provider, "r.provider", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.Status, "r.status", groups)).Append(", ")
            .Append(Group(by, AuditGrouping.Day, "d.day", groups))
            .Append(", COUNT(*), COALESCE(SUM(r.input_tokens), 0), COALESCE(SUM(r.cached_input_tokens), 0), COALESCE(SUM(r.cache_write_tokens), 0), ")
            .Append("COALESCE(SUM(r.output_tokens), 0), COALESCE(SUM(r.reasoning_tokens), 0), ").Append(DecimalSum).Append("(r.cost), ")
            .Append("COALESCE(SUM(r.price_unknown), 0), COALESCE(SUM(r.tokens_estimated), 0) FROM audit_records r ");
        if (days)
        {
            sql.Append("JOIN days d ON r.started_at >= d.start_at AND r.started_at < d.end_at ");
        }

        sql.Append("WHERE r.started_at >= $from AND r.started_at < $to");
        command.Parameters.AddWithValue("$from", AuditText.Timestamp(from));
        command.Parameters.AddWithValue("$to", AuditText.Timestamp(to));
        if (request.Key is not null)
        {
            sql.Append(" AND r.key_id = $key");
            command.Parameters.AddWithValue("$key", request.Key);
        }

        if (request.Tenant is not null)
        {
            sql.Append(" AND r.tenant = $tenant");
            command.Parameters.AddWithValue("$tenant", request.Tenant);
        }

        if (groups.Count > 0)
        {
            sql.Append(" GROUP BY ").AppendJoin(", ", groups);
        }

        return sql.ToString();
    }

    private static string Group(AuditGrouping by, AuditGrouping dimension, string column, List<string> groups)
    {
        if ((by & dimension) == 0)
        {
            return "NULL";
        }

        groups.Add(column);
        return column;
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static decimal? NullableDecimal(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : AuditText.ParseDecimal(reader.GetString(ordinal));

    private static AuditRecord ReadRecord(SqliteDataReader r)
    {
        decimal? priceInput = NullableDecimal(r, 33);
        return new AuditRecord
        {
            ChainId = Guid.Parse(r.GetString(0)),
            Sequence = r.GetInt64(1),
            Id = Guid.Parse(r.GetString(2)),
            PreviousHash = r.GetString(3),
            Hash = r.GetString(4),
            HashVersion = r.GetInt32(5),
            StartedAt = AuditText.ParseTimestamp(r.GetString(6)),
            CompletedAt = AuditText.ParseTimestamp(r.GetString(7)),
            Duration = AuditText.FromMicroseconds(r.GetInt64(8)),
            TimeToFirstToken = r.IsDBNull(9) ? null : AuditText.FromMicroseconds(r.GetInt64(9)),
            Streaming = r.GetInt64(10) != 0,
            Key = NullableString(r, 11),
            Tenant = NullableString(r, 12),
            User = NullableString(r, 13),
            Tags = AuditJson.ReadTags(NullableString(r, 14)),
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
            TokensEstimated = r.GetInt64(30) != 0,
            Cost = NullableDecimal(r, 31),
            PriceUnknown = r.GetInt64(32) != 0,
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
            ContentTruncated = r.GetInt64(44) != 0,
        };
    }

    /// <summary>The write connection and its prepared statements, used by one batch at a time.</summary>
    private sealed class BatchWriter : IDisposable
    {
        private static readonly object False = 0L;
        private static readonly object True = 1L;

        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _readHead;
        private readonly SqliteCommand _insert;
        private readonly SqliteCommand _writeHead;
        private readonly SqliteParameter[] _columns;
        private readonly AuditJson _json = new();

        private BatchWriter(SqliteConnection connection)
        {
            _connection = connection;
            _readHead = connection.CreateCommand();
            _readHead.CommandText = "SELECT last_seq FROM audit_chains WHERE chain_id = $chain";
            _readHead.Parameters.Add(new SqliteParameter { ParameterName = "$chain" });

            _insert = connection.CreateCommand();
            var values = new StringBuilder();
            _columns = new SqliteParameter[SqliteAuditSchema.ColumnCount];
            for (int i = 0; i < _columns.Length; i++)
            {
                string name = "$p" + i.ToString(CultureInfo.InvariantCulture);
                values.Append(i == 0 ? string.Empty : ", ").Append(name);
                _columns[i] = _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _insert.CommandText = $"INSERT INTO audit_records ({SqliteAuditSchema.Columns}) VALUES ({values})";

            _writeHead = connection.CreateCommand();
            _writeHead.CommandText = """
                INSERT INTO audit_chains (chain_id, instance, started_at, last_seq, last_hash, updated_at)
                VALUES ($chain, $instance, $started, $seq, $hash, $updated)
                ON CONFLICT (chain_id) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash, updated_at = excluded.updated_at
                """;
            foreach (string name in new[] { "$chain", "$instance", "$started", "$seq", "$hash", "$updated" })
            {
                _writeHead.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        public static async Task<BatchWriter> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken)
        {
            SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var writer = new BatchWriter(connection);
                writer._readHead.Prepare();
                writer._insert.Prepare();
                writer._writeHead.Prepare();
                return writer;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public void Write(AuditBatch batch, DateTimeOffset now)
        {
            AuditChainHead head = batch.Chain;
            string chainId = head.ChainId.ToString("D");
            using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
            _readHead.Transaction = transaction;
            _insert.Transaction = transaction;
            _writeHead.Transaction = transaction;

            _readHead.Parameters[0].Value = chainId;
            if (_readHead.ExecuteScalar() is long stored && stored >= batch.FirstSequence)
            {
                // Written before: the commit succeeded but its acknowledgement was lost.
                transaction.Commit();
                return;
            }

            IReadOnlyList<AuditRecord> records = batch.Records;
            for (int i = 0; i < records.Count; i++)
            {
                Bind(records[i], chainId);
                _insert.ExecuteNonQuery();
            }

            SqliteParameterCollection p = _writeHead.Parameters;
            p[0].Value = chainId;
            p[1].Value = head.Instance ?? string.Empty;
            p[2].Value = AuditText.Timestamp(head.StartedAt ?? records[0].StartedAt);
            p[3].Value = batch.LastSequence;
            p[4].Value = records[^1].Hash;
            p[5].Value = AuditText.Timestamp(AuditText.Microseconds(now));
            _writeHead.ExecuteNonQuery();
            transaction.Commit();
        }

        public void Dispose()
        {
            _readHead.Dispose();
            _insert.Dispose();
            _writeHead.Dispose();
            _json.Dispose();
            _connection.Dispose();
        }

        private void Bind(AuditRecord r, string chainId)
        {
            SqliteParameter[] c = _columns;
            c[0].Value = chainId;
            c[1].Value = r.Sequence;
            c[2].Value = r.Id.ToString("D");
            c[3].Value = r.PreviousHash;
            c[4].Value = r.Hash;
            c[5].Value = (long)r.HashVersion;
            c[6].Value = AuditText.Timestamp(r.StartedAt);
            c[7].Value = AuditText.Timestamp(r.CompletedAt);
            c[8].Value = AuditText.ToMicroseconds(r.Duration);
            c[9].Value = r.TimeToFirstToken is { } ttft ? AuditText.ToMicroseconds(ttft) : DBNull.Value;
            c[10].Value = r.Streaming ? True : False;
            c[11].Value = (object?)r.Key ?? DBNull.Value;
            c[12].Value = (object?)r.Tenant ?? DBNull.Value;
            c[13].Value = (object?)r.User ?? DBNull.Value;
            c[14].Value = (object?)_json.Tags(r.Tags) ?? DBNull.Value;
            c[15].Value = (object?)r.RequestedModel ?? DBNull.Value;
            c[16].Value = (object?)r.ServedModel ?? DBNull.Value;
            c[17].Value = (object?)r.Provider ?? DBNull.Value;
            c[18].Value = (object?)r.ProviderModel ?? DBNull.Value;
            c[19].Value = (object?)r.Region ?? DBNull.Value;
            c[20].Value = AuditText.Status(r.Status);
            c[21].Value = (object?)r.ReasonCode ?? DBNull.Value;
            c[22].Value = (object?)AuditText.Error(r.ErrorClass) ?? DBNull.Value;
            c[23].Value = (object?)r.ErrorMessage ?? DBNull.Value;
            c[24].Value = _json.Attempts(r.Attempts);
            c[25].Value = r.Tokens.InputTokens;
            c[26].Value = r.Tokens.CachedInputTokens;
            c[27].Value = r.Tokens.CacheWriteTokens;
            c[28].Value = r.Tokens.OutputTokens;
            c[29].Value = r.Tokens.ReasoningTokens;
            c[30].Value = r.TokensEstimated ? True : False;
            c[31].Value = Decimal(r.Cost);
            c[32].Value = r.PriceUnknown ? True : False;
            c[33].Value = Decimal(r.Prices?.InputPerMillion);
            c[34].Value = Decimal(r.Prices?.CachedInputPerMillion);
            c[35].Value = Decimal(r.Prices?.CacheWritePerMillion);
            c[36].Value = Decimal(r.Prices?.OutputPerMillion);
            c[37].Value = Decimal(r.Prices?.ReasoningPerMillion);
            c[38].Value = (object?)r.PriceSource ?? DBNull.Value;
            c[39].Value = (object?)r.CatalogVersion ?? DBNull.Value;
            c[40].Value = (object?)_json.Pii(r.PiiFindings) ?? DBNull.Value;
            c[41].Value = AuditText.Content(r.ContentMode);
            c[42].Value = (object?)r.RequestContent ?? DBNull.Value;
            c[43].Value = (object?)r.ResponseContent ?? DBNull.Value;
            c[44].Value = r.ContentTruncated ? True : False;
        }

        private static object Decimal(decimal? value) => value is decimal d ? AuditText.Decimal(d) : DBNull.Value;
    }
}
