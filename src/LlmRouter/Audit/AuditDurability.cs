namespace LlmRouter;

/// <summary>When a request's audit record must be durable, relative to the call returning.</summary>
public enum AuditDurability
{
    /// <summary>
    /// The record is queued and written in batches in the background: the call never waits on the store and never fails
    /// because of it (while the queue has room; see <see cref="AuditOptions.QueueFull"/>). Records still queued when the
    /// process is killed are lost.
    /// </summary>
    Buffered,

    /// <summary>
    /// The call returns only after its record is durable in the store. When the store cannot take it, the call fails with
    /// <see cref="AuditUnavailableException"/>: audit or nothing.
    /// </summary>
    Synchronous,
}
