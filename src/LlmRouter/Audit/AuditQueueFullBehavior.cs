namespace LlmRouter;

/// <summary>What happens to a request when the audit writer's queue is full (the store has been slower than the traffic, or down, for a while).</summary>
/// <remarks>Every case is counted in <see cref="AuditWriterStatistics"/>.</remarks>
public enum AuditQueueFullBehavior
{
    /// <summary>
    /// The request waits, before it is sent to any provider, until the queue has room for its record: the application
    /// slows down to the store's pace and no record is ever lost. Counted in <see cref="AuditWriterStatistics.Waited"/>.
    /// </summary>
    Wait,

    /// <summary>
    /// The request is refused before it is sent to any provider, with <see cref="AuditUnavailableException"/> (reason
    /// <c>audit_unavailable</c>): nothing is spent that is not recorded. Counted in <see cref="AuditWriterStatistics.Rejected"/>.
    /// </summary>
    Reject,

    /// <summary>
    /// The request is served and its record is dropped when, at the end of the request, the queue still has no room:
    /// availability before completeness. Counted in <see cref="AuditWriterStatistics.Dropped"/> and logged. Not allowed
    /// with <see cref="AuditDurability.Synchronous"/>.
    /// </summary>
    Drop,
}
