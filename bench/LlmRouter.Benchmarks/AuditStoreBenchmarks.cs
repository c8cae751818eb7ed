using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using LlmRouter.Postgres;
using LlmRouter.Sqlite;

namespace LlmRouter.Benchmarks;

/// <summary>
/// The audit stores' batch write path: <see cref="IAuditStore.WriteAsync"/> of sealed batches of typical records (a served
/// request with one attempt, key, tenant, tags, prices; no content), 20,000 rows per invocation in batches of
/// <see cref="BatchSize"/>, one transaction each. Rows per second are in the last column. Records are built and sealed
/// before timing (<see cref="IterationSetup"/>); the writer's hashing is measured apart (<see cref="Seal"/>), and the
/// whole background path — writer, hashing and store, pipelined — as "through the writer".
/// </summary>
[Config(typeof(RowsConfig))]
[MemoryDiagnoser]
public class AuditStoreBenchmarks
{
    public const int Rows = 20_000;

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"llmrouter-bench-{Guid.NewGuid():N}.db");
    private SqliteAuditStore? _sqlite;
    private BenchPostgres? _postgres;
    private PostgresAuditStore? _postgresStore;
    private List<AuditBatch> _batches = [];
    private AuditRecord[] _unsealed = [];

    [Params(1000, 5000)]
    public int BatchSize { get; set; }

    [GlobalSetup(Targets = new[] { nameof(Sqlite), nameof(SqliteWriter), nameof(Seal) })]
    public void SetupSqlite()
    {
        _sqlite = new SqliteAuditStore("Data Source=" + _file);

        // Create the schema and warm the connection outside the timing.
        IterationSetup();
        _sqlite.WriteAsync(_batches[0]).GetAwaiter().GetResult();
    }

    /// <summary>Starts the PostgreSQL server; without one it fails with the message saying how to get one, rather than measure nothing.</summary>
    [GlobalSetup(Targets = new[] { nameof(Postgres), nameof(PostgresWriter) })]
    public void SetupPostgres()
    {
        _postgres = BenchPostgres.Start();
        _postgresStore = new PostgresAuditStore(_postgres.ConnectionString);
        IterationSetup();
        _postgresStore.WriteAsync(_batches[0]).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite?.Dispose();
        _postgresStore?.Dispose();
        _postgres?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>New records in a new chain for every iteration, so each write is a real insert.</summary>
    [IterationSetup]
    public void IterationSetup()
    {
        _unsealed = [.. Enumerable.Range(0, Rows).Select(Typical)];
        var hasher = new AuditHasher();
        Guid chain = Guid.CreateVersion7();
        string previous = AuditText.ZeroHash;
        _batches = [];
        for (int start = 0; start < Rows; start += BatchSize)
        {
            var records = new AuditRecord[Math.Min(BatchSize, Rows - start)];
            for (int i = 0; i < records.Length; i++)
            {
                AuditRecord record = Typical(start + i);
                string hash = hasher.Compute(record, chain, start + i + 1, previous);
                record.Seal(chain, start + i + 1, previous, hash);
                previous = hash;
                records[i] = record;
            }

            _batches.Add(new AuditBatch(new AuditChainHead { ChainId = chain, Instance = "bench", StartedAt = DateTimeOffset.UtcNow, LastSequence = start + records.Length, LastHash = previous }, records));
        }
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "SQLite: write batches")]
    public async Task Sqlite()
    {
        foreach (AuditBatch batch in _batches)
        {
            await _sqlite!.WriteAsync(batch);
        }
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "PostgreSQL: write batches (COPY)")]
    [BenchmarkCategory(BenchPostgres.Category)]
    public async Task Postgres()
    {
        foreach (AuditBatch batch in _batches)
        {
            await _postgresStore!.WriteAsync(batch);
        }
    }

    /// <summary>The whole background path: records handed to the audit writer, hashed into its chain and written to SQLite.</summary>
    [Benchmark(OperationsPerInvoke = Rows, Description = "SQLite through the writer")]
    public Task SqliteWriter() => ThroughWriterAsync(_sqlite!);

    /// <summary>The whole background path into PostgreSQL.</summary>
    [Benchmark(OperationsPerInvoke = Rows, Description = "PostgreSQL through the writer")]
    [BenchmarkCategory(BenchPostgres.Category)]
    public Task PostgresWriter() => ThroughWriterAsync(_postgresStore!);

    private async Task ThroughWriterAsync(IAuditStore store)
    {
        var options = new AuditOptions { BatchSize = BatchSize, QueueCapacity = Rows, FlushInterval = TimeSpan.FromMilliseconds(50) };
        await using var writer = new AuditWriter(store, options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new AuditWriterStatistics());
        var route = new RouteInfo(TimeProvider.System, streaming: false, "assistant");
        foreach (AuditRecord record in _unsealed)
        {
            await writer.SubmitAsync(record, await writer.AdmitAsync(route, CancellationToken.None), route);
        }

        await writer.FlushAsync();
    }

    /// <summary>What the writer adds per record before a store sees it: the canonical serialization and its SHA-256.</summary>
    [Benchmark(OperationsPerInvoke = Rows, Description = "writer: hash records")]
    public string Seal()
    {
        var hasher = new AuditHasher();
        string previous = AuditText.ZeroHash;
        Guid chain = Guid.CreateVersion7();
        for (int i = 0; i < _unsealed.Length; i++)
        {
            previous = hasher.Compute(_unsealed[i], chain, i + 1, previous);
        }

        return previous;
    }

    private static readonly PriceRates Rates = new() { InputPerMillion = 2.5m, CachedInputPerMillion = 1.25m, CacheWritePerMillion = 2.5m, OutputPerMillion = 10m, ReasoningPerMillion = 10m };

    private static AuditRecord Typical(int i)
    {
        DateTimeOffset started = AuditText.Microseconds(DateTimeOffset.UtcNow);
        var tokens = new TokenUsage { InputTokens = 800 + (i % 500), CachedInputTokens = 256, OutputTokens = 200 + (i % 300) };
        decimal cost = Rates.Cost(tokens);
        string version = PriceCatalog.BuiltIn.Version;
        return new AuditRecord
        {
            Id = Guid.CreateVersion7(started),
            StartedAt = started,
            CompletedAt = started.AddMilliseconds(850),
            Duration = TimeSpan.FromMilliseconds(850),
            Key = i % 3 == 0 ? "client-chat" : "client-batch",
            Tenant = i % 2 == 0 ? "acme" : "globex",
            User = "user-" + (i % 100),
            Tags = ["invoice"],
            RequestedModel = "assistant",
            ServedModel = "assistant",
            Provider = "openai",
            ProviderModel = "gpt-4o-2024-08-06",
            Region = "eu",
            Status = RouteStatus.Served,
            Attempts =
            [
                new AuditAttempt
                {
                    Model = "assistant", Provider = "openai", ProviderModel = "gpt-4o-2024-08-06", Region = "eu", Outcome = AttemptOutcome.Succeeded,
                    StartedAt = started, Duration = TimeSpan.FromMilliseconds(840), Tokens = tokens, Cost = cost, Prices = Rates,
                    PriceSource = "catalog " + version + ": gpt-4o-2024-08-06", CatalogVersion = version,
                },
            ],
            Tokens = tokens,
            Cost = cost,
            Prices = Rates,
            PriceSource = "catalog " + version + ": gpt-4o-2024-08-06",
            CatalogVersion = version,
        };
    }

    /// <summary>Adds a rows-per-second column: the reciprocal of the mean time per row.</summary>
    private sealed class RowsConfig : ManualConfig
    {
        public RowsConfig() => AddColumn(new RowsPerSecondColumn());
    }

    private sealed class RowsPerSecondColumn : IColumn
    {
        public string Id => "RowsPerSecond";

        public string ColumnName => "Rows/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Rows written (or hashed) per second: 1 / mean time per row";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            BenchmarkReport? report = summary[benchmarkCase];
            double? nanoseconds = report?.ResultStatistics?.Mean;
            return nanoseconds is > 0 ? (1e9 / nanoseconds.Value).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "-";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
