namespace LlmRouter;

/// <summary>
/// Reports over the audit log: requests, tokens and cost grouped by key, tenant, model, provider, status and day; one
/// record; and the records of a time range, for statements and reports.
/// </summary>
/// <remarks>
/// Implemented by the SQLite and PostgreSQL stores, which give identical answers for identical records. Summary rows are
/// ordered by their group values (ordinal, <see langword="null"/> first). Thread-safe.
/// </remarks>
public interface IAuditQuery
{
    /// <summary>Summarizes the requests that started in a time range.</summary>
    /// <param name="request">The range, grouping and filters.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One row per group that has requests.</returns>
    /// <exception cref="ArgumentException">The range is empty, or too long to group by day.</exception>
    Task<IReadOnlyList<AuditSummaryRow>> SummarizeAsync(AuditSummaryRequest request, CancellationToken cancellationToken = default);

    /// <summary>Gets the record of one request.</summary>
    /// <param name="requestId">The request's id (<see cref="RouteInfo.RequestId"/>).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The record, or <see langword="null"/> when the store has none (yet) for that id.</returns>
    Task<AuditRecord?> GetAsync(Guid requestId, CancellationToken cancellationToken = default);

    /// <summary>Reads the records of the requests that started in a time range, optionally of one key or one tenant.</summary>
    /// <param name="request">The range and filters.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The records, streamed as the database returns them, ordered by
    /// <see cref="AuditRecord.StartedAt"/> and then by <see cref="AuditRecord.Id"/> — the same order on every store.
    /// </returns>
    /// <exception cref="ArgumentException">The range is empty.</exception>
    /// <remarks>The stores read through their indexes on <c>(key_id, started_at)</c>, <c>(tenant, started_at)</c> and <c>started_at</c>.</remarks>
    IAsyncEnumerable<AuditRecord> ReadAsync(AuditReadRequest request, CancellationToken cancellationToken = default);
}
