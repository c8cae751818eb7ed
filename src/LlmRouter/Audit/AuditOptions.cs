using System.ComponentModel.DataAnnotations;

namespace LlmRouter;

/// <summary>
/// How requests are audited: configuration section <c>LlmRouter:Audit</c>. Auditing runs when a store is registered
/// (<c>AddSqliteStores</c>, <c>AddPostgresStores</c>, or an <see cref="IAuditStore"/> of your own).
/// </summary>
/// <remarks>
/// Read once, when the audit writer starts; a configuration reload does not change a running writer. Every setting and
/// its default is documented in <c>docs/configuration.md</c> and <c>docs/audit.md</c>.
/// </remarks>
public sealed class AuditOptions
{
    /// <summary>The default <see cref="QueueCapacity"/>: 10,000 records.</summary>
    public const int DefaultQueueCapacity = 10_000;

    /// <summary>The default <see cref="BatchSize"/>: 5,000 records (under sustained load, larger transactions write more rows per second into SQLite and PostgreSQL, so fewer callers wait for room in the queue; see docs/benchmarks.md).</summary>
    public const int DefaultBatchSize = 5_000;

    /// <summary>The default <see cref="ContentMaxChars"/>: 16,384 characters for each of the request and the response.</summary>
    public const int DefaultContentMaxChars = 16_384;

    /// <summary>The default <see cref="FlushInterval"/>: one second.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="RetryInitialDelay"/>: 100 milliseconds.</summary>
    public static readonly TimeSpan DefaultRetryInitialDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The default <see cref="RetryMaxDelay"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="ShutdownTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets whether requests are audited when a store is registered. The default value is <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets when a record must be durable relative to its call. The default value is <see cref="AuditDurability.Buffered"/>.</summary>
    public AuditDurability Durability { get; set; } = AuditDurability.Buffered;

    /// <summary>Gets or sets what happens to a request when the queue is full. The default value is <see cref="AuditQueueFullBehavior.Wait"/>.</summary>
    public AuditQueueFullBehavior QueueFull { get; set; } = AuditQueueFullBehavior.Wait;

    /// <summary>
    /// Gets or sets how many records the writer holds at most: records waiting to be written, plus (unless
    /// <see cref="QueueFull"/> is <see cref="AuditQueueFullBehavior.Drop"/>) requests in flight, which take their place when
    /// they start. The default value is <see cref="DefaultQueueCapacity"/>.
    /// </summary>
    [Range(1, 10_000_000)]
    public int QueueCapacity { get; set; } = DefaultQueueCapacity;

    /// <summary>Gets or sets the most records written in one batch (one transaction). The default value is <see cref="DefaultBatchSize"/>.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>
    /// Gets or sets how long a <see cref="AuditDurability.Buffered"/> record waits for a batch to fill before the batch is
    /// written anyway; zero writes as soon as a record is queued. <see cref="AuditDurability.Synchronous"/> records are
    /// written at once. The default value is <see cref="DefaultFlushInterval"/>.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = DefaultFlushInterval;

    /// <summary>Gets or sets whether the text of requests and responses is recorded. The default value is <see cref="AuditContentMode.None"/>.</summary>
    /// <remarks>Content is sensitive: it holds whatever users and models wrote.</remarks>
    public AuditContentMode Content { get; set; } = AuditContentMode.None;

    /// <summary>
    /// Gets or sets the most characters of the request and of the response recorded (each); longer text is cut and the
    /// record flagged <see cref="AuditRecord.ContentTruncated"/>. The default value is <see cref="DefaultContentMaxChars"/>.
    /// </summary>
    [Range(1, 10_000_000)]
    public int ContentMaxChars { get; set; } = DefaultContentMaxChars;

    /// <summary>Gets or sets the wait before the first retry of a batch the store failed to write. The default value is <see cref="DefaultRetryInitialDelay"/>.</summary>
    /// <remarks>Each further retry waits twice as long, up to <see cref="RetryMaxDelay"/>, with random jitter (between half and all of the delay).</remarks>
    public TimeSpan RetryInitialDelay { get; set; } = DefaultRetryInitialDelay;

    /// <summary>Gets or sets the longest wait between two retries. The default value is <see cref="DefaultRetryMaxDelay"/>.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = DefaultRetryMaxDelay;

    /// <summary>
    /// Gets or sets how long disposing the writer (<c>DisposeAsync</c> of the service provider or of
    /// <see cref="LlmRouterClient"/>) waits for queued records to be written before it gives up on them (they are counted
    /// in <see cref="AuditWriterStatistics.Lost"/> and logged). The default value is <see cref="DefaultShutdownTimeout"/>.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = DefaultShutdownTimeout;
}
