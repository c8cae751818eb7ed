using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

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
public sealed class SqliteAuditStore : IAuditStore, IAuditReader, IAuditQuery, IStoreProbe, IAsyncDisposable, IDisposable
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
    /// <remarks>Opens a connection to the file and runs <c>SELECT 1</c>; nothing is read or written.</remarks>
    public Task ProbeAsync(CancellationToken cancellationToken = default) => _database.ProbeAsync(cancellationToken);

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

    /// <summary>Sets a command to read a range: through the key's or tenant's index when filtered, else the <c>started_at</c> index.</summary>
    internal static void ConfigureRead(SqliteCommand command, AuditReadRequest request)
    {
        var sql = new StringBuilder("SELECT ")
            .Append(request.IncludeContent ? SqliteAuditSchema.Columns : SqliteAuditSchema.ColumnsWithoutContent)
            .Append(" FROM audit_records WHERE started_at >= $from AND started_at < $to");
        command.Parameters.AddWithValue("$from", AuditText.Timestamp(AuditText.CeilingMicroseconds(request.From)));
        command.Parameters.AddWithValue("$to", AuditText.Timestamp(AuditText.CeilingMicroseconds(request.To)));
        if (request.Key is not null)
        {
            sql.Append(" AND key_id = $key");
            command.Parameters.AddWithValue("$key", request.Key);
        }

        if (request.Tenant is not null)
        {
            sql.Append(" AND tenant = $tenant");
            command.Parameters.AddWithValue("$tenant", request.Tenant);
        }

        command.CommandText = sql.Append(" ORDER BY started_at, id").ToString();
    }

    private async IAsyncEnumerable<AuditRecord> ReadRangeAsync(AuditReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        SqliteConnection connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        using SqliteCommand command = connection.CreateCommand();
        ConfigureRead(command, request);
        SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadRecord(reader);
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

    /// <summary>
    /// The write connection and its prepared statements, used by one batch at a time. Rows are bound and stepped through
    /// SQLite's own API (SQLitePCLRaw, which Microsoft.Data.Sqlite is built on), with no per-row allocation: on the write
    /// path that is several times faster than a command per row.
    /// </summary>
    private sealed class BatchWriter : IDisposable
    {
        private const string InsertSql = "INSERT INTO audit_records (" + SqliteAuditSchema.Columns + ") VALUES (" +
            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, " +
            "?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, ?44, ?45)";

        private const string WriteHeadSql = """
            INSERT INTO audit_chains (chain_id, instance, started_at, last_seq, last_hash, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (chain_id) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash, updated_at = excluded.updated_at
            """;

        private readonly SqliteConnection _connection;
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _readHead;
        private readonly sqlite3_stmt _insert;
        private readonly sqlite3_stmt _writeHead;
        private readonly AuditJson _json = new();
        private byte[] _text = new byte[1024];

        private BatchWriter(SqliteConnection connection)
        {
            _connection = connection;
            _db = connection.Handle!;
            _readHead = Prepare("SELECT last_seq FROM audit_chains WHERE chain_id = ?1");
            _insert = Prepare(InsertSql);
            _writeHead = Prepare(WriteHeadSql);
        }

        public static async Task<BatchWriter> OpenAsync(SqliteDatabase database, CancellationToken cancellationToken)
        {
            SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return new BatchWriter(connection);
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
            using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
            Guid(_readHead, 1, head.ChainId);
            long? stored = null;
            try
            {
                int rc = raw.sqlite3_step(_readHead);
                if (rc == raw.SQLITE_ROW)
                {
                    stored = raw.sqlite3_column_int64(_readHead, 0);
                }
                else
                {
                    Check(rc, raw.SQLITE_DONE);
                }
            }
            finally
            {
                raw.sqlite3_reset(_readHead);
            }

            if (stored >= batch.FirstSequence)
            {
                // Written before: the commit succeeded but its acknowledgement was lost.
                transaction.Commit();
                return;
            }

            IReadOnlyList<AuditRecord> records = batch.Records;
            for (int i = 0; i < records.Count; i++)
            {
                Bind(records[i]);
                Step(_insert);
            }

            Guid(_writeHead, 1, head.ChainId);
            Text(_writeHead, 2, head.Instance ?? string.Empty);
            Timestamp(_writeHead, 3, head.StartedAt ?? records[0].StartedAt);
            raw.sqlite3_bind_int64(_writeHead, 4, batch.LastSequence);
            Text(_writeHead, 5, records[^1].Hash);
            Timestamp(_writeHead, 6, AuditText.Microseconds(now));
            Step(_writeHead);
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

        /// <summary>
        /// Binds text as UTF-8, the file's encoding, so that SQLite has nothing to convert (its own conversion from UTF-16,
        /// a byte at a time, cost more than binding itself). SQLite copies what is bound, so one buffer serves every value.
        /// </summary>
        private void Text(sqlite3_stmt statement, int index, string? value)
        {
            if (value is null)
            {
                raw.sqlite3_bind_null(statement, index);
                return;
            }

            if (value.Length == 0)
            {
                raw.sqlite3_bind_text16(statement, index, value.AsSpan());
                return;
            }

            int most = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (_text.Length < most)
            {
                _text = new byte[Math.Max(most, _text.Length * 2)];
            }

            int length = Ascii.FromUtf16(value, _text, out int narrowed) == System.Buffers.OperationStatus.Done ? narrowed : Encoding.UTF8.GetBytes(value, _text);
            raw.sqlite3_bind_text(statement, index, _text.AsSpan(0, length));
        }

        private static void Integer(sqlite3_stmt statement, int index, long? value)
        {
            if (value is long number)
            {
                raw.sqlite3_bind_int64(statement, index, number);
            }
            else
            {
                raw.sqlite3_bind_null(statement, index);
            }
        }

        private static void Boolean(sqlite3_stmt statement, int index, bool value) => raw.sqlite3_bind_int64(statement, index, value ? 1 : 0);

        private static void Guid(sqlite3_stmt statement, int index, Guid value)
        {
            Span<byte> text = stackalloc byte[36];
            value.TryFormat(text, out int written, "D");
            raw.sqlite3_bind_text(statement, index, text[..written]);
        }

        private static void Timestamp(sqlite3_stmt statement, int index, DateTimeOffset value)
        {
            Span<byte> text = stackalloc byte[AuditText.TimestampLength];
            raw.sqlite3_bind_text(statement, index, text[..AuditText.FormatTimestamp(value, text)]);
        }

        private static void Decimal(sqlite3_stmt statement, int index, decimal? value)
        {
            if (value is not decimal number)
            {
                raw.sqlite3_bind_null(statement, index);
                return;
            }

            Span<byte> text = stackalloc byte[AuditText.MaxDecimalChars];
            raw.sqlite3_bind_text(statement, index, text[..AuditText.FormatDecimal(number, text)]);
        }

        private sqlite3_stmt Prepare(string sql)
        {
            Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out sqlite3_stmt statement), raw.SQLITE_OK);
            return statement;
        }

        private void Step(sqlite3_stmt statement)
        {
            try
            {
                Check(raw.sqlite3_step(statement), raw.SQLITE_DONE);
            }
            finally
            {
                raw.sqlite3_reset(statement);
            }
        }

        private void Check(int rc, int expected)
        {
            if (rc != expected)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
                throw new SqliteException("SQLite returned " + rc.ToString(CultureInfo.InvariantCulture) + ".", rc);
            }
        }

        private void Bind(AuditRecord r)
        {
            sqlite3_stmt s = _insert;
            Guid(s, 1, r.ChainId);
            raw.sqlite3_bind_int64(s, 2, r.Sequence);
            Guid(s, 3, r.Id);
            Text(s, 4, r.PreviousHash);
            Text(s, 5, r.Hash);
            raw.sqlite3_bind_int64(s, 6, r.HashVersion);
            Timestamp(s, 7, r.StartedAt);
            Timestamp(s, 8, r.CompletedAt);
            raw.sqlite3_bind_int64(s, 9, AuditText.ToMicroseconds(r.Duration));
            Integer(s, 10, r.TimeToFirstToken is { } ttft ? AuditText.ToMicroseconds(ttft) : null);
            Boolean(s, 11, r.Streaming);
            Text(s, 12, r.Key);
            Text(s, 13, r.Tenant);
            Text(s, 14, r.User);
            Text(s, 15, _json.Tags(r.Tags));
            Text(s, 16, r.RequestedModel);
            Text(s, 17, r.ServedModel);
            Text(s, 18, r.Provider);
            Text(s, 19, r.ProviderModel);
            Text(s, 20, r.Region);
            Text(s, 21, AuditText.Status(r.Status));
            Text(s, 22, r.ReasonCode);
            Text(s, 23, AuditText.Error(r.ErrorClass));
            Text(s, 24, r.ErrorMessage);
            raw.sqlite3_bind_text(s, 25, _json.AttemptsUtf8(r.Attempts));
            raw.sqlite3_bind_int64(s, 26, r.Tokens.InputTokens);
            raw.sqlite3_bind_int64(s, 27, r.Tokens.CachedInputTokens);
            raw.sqlite3_bind_int64(s, 28, r.Tokens.CacheWriteTokens);
            raw.sqlite3_bind_int64(s, 29, r.Tokens.OutputTokens);
            raw.sqlite3_bind_int64(s, 30, r.Tokens.ReasoningTokens);
            Boolean(s, 31, r.TokensEstimated);
            Decimal(s, 32, r.Cost);
            Boolean(s, 33, r.PriceUnknown);
            Decimal(s, 34, r.Prices?.InputPerMillion);
            Decimal(s, 35, r.Prices?.CachedInputPerMillion);
            Decimal(s, 36, r.Prices?.CacheWritePerMillion);
            Decimal(s, 37, r.Prices?.OutputPerMillion);
            Decimal(s, 38, r.Prices?.ReasoningPerMillion);
            Text(s, 39, r.PriceSource);
            Text(s, 40, r.CatalogVersion);
            Text(s, 41, _json.Pii(r.PiiFindings));
            Text(s, 42, AuditText.Content(r.ContentMode));
            Text(s, 43, r.RequestContent);
            Text(s, 44, r.ResponseContent);
            Boolean(s, 45, r.ContentTruncated);
        }
    }
}
