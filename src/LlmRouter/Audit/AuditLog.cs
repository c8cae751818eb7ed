using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>The audit writer's log lines. They name counts, delays and error types — never a record's content, a key or a secret.</summary>
/// <remarks>Event ids 1300–1399; the ranges of every area are listed on <see cref="RouterLog"/>.</remarks>
internal static partial class AuditLog
{
    [LoggerMessage(1301, LogLevel.Warning, "Writing {Records} audit record(s) failed (attempt {Attempt}): {ErrorType}: {Error}; retrying in {Delay}, and the records queued behind them wait")]
    public static partial void WriteFailed(ILogger logger, int records, int attempt, string errorType, string? error, TimeSpan delay);

    [LoggerMessage(1302, LogLevel.Information, "The audit store took a batch again after {Attempts} failed attempt(s)")]
    public static partial void Recovered(ILogger logger, int attempts);

    [LoggerMessage(1303, LogLevel.Warning, "The audit queue is full ({Capacity} records): a request's record was dropped; {Dropped} dropped so far")]
    public static partial void Dropped(ILogger logger, int capacity, long dropped);

    [LoggerMessage(1304, LogLevel.Warning, "The audit queue is full ({Capacity} records): a request was refused; {Rejected} refused so far")]
    public static partial void Rejected(ILogger logger, int capacity, long rejected);

    [LoggerMessage(1305, LogLevel.Error, "The audit writer shut down with {Records} record(s) the store never took; they are lost")]
    public static partial void Lost(ILogger logger, long records);

    [LoggerMessage(1306, LogLevel.Warning, "A request's audit record arrived after the audit writer shut down and was dropped")]
    public static partial void AfterShutdown(ILogger logger);

    [LoggerMessage(1307, LogLevel.Information, "Audit chain {ChainId} started by {Instance}, writing to {Store} ({Durability})")]
    public static partial void ChainStarted(ILogger logger, Guid chainId, string instance, string store, AuditDurability durability);

    [LoggerMessage(1308, LogLevel.Warning, "The host stopped before the audit writer could write every queued record; {Queued} record(s) are still queued")]
    public static partial void StopBeforeFlushed(ILogger logger, long queued);

    [LoggerMessage(1502, LogLevel.Error, "The audit store refused a batch ({ErrorType}): {Queued} record(s) wait, and the writer retries until the store takes them")]
    public static partial void StoreFailing(ILogger logger, string errorType, long queued);

    /// <summary>Logs on the 1st, 2nd, 4th, 8th… occurrence only, so a long outage does not flood the log.</summary>
    public static bool Sampled(long count) => count > 0 && (count & (count - 1)) == 0;

    [LoggerMessage(1309, LogLevel.Error, "The audit content redactor {Redactor} failed ({ErrorType}): the request's record is kept without its content")]
    public static partial void ContentFailed(ILogger logger, string redactor, string errorType);

    [LoggerMessage(1310, LogLevel.Error, "A request's audit record could not be built ({ErrorType}): a record with its id, times, caller, model and status is kept instead, its cost marked unknown")]
    public static partial void RecordFailed(ILogger logger, string errorType);

    [LoggerMessage(1311, LogLevel.Warning, "Requests are not recorded: no audit store is registered. Register one with AddLlmRouter(...).AddSqliteStores(connectionString) or .AddPostgresStores(connectionString), or an IAuditStore of your own; set LlmRouter:Audit:Enabled to false to record nothing knowingly")]
    public static partial void NoStore(ILogger logger);
}
