namespace LlmRouter;

/// <summary>
/// Where audit records are kept. A store implements only "write this batch": LlmRouter's audit writer owns batching,
/// ordering, hashing, back-off, retries and flushing.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="WriteAsync"/> is called by one writer at a time per chain, but a store may serve several writers (several
/// chains) at once, and several processes may share one database.
/// </para>
/// <para>
/// A batch must be written atomically — all its records and the chain's new head, or nothing — and writing a batch
/// whose records are already stored must do nothing: after a failure whose outcome is unknown (a timeout after the
/// commit), the writer writes the same batch again. The built-in stores decide this from the chain's head, read in the
/// batch's transaction.
/// </para>
/// </remarks>
public interface IAuditStore
{
    /// <summary>Writes a batch of records and the chain's new head, atomically; does nothing if the batch is already stored.</summary>
    /// <param name="batch">The records of one chain, in sequence order.</param>
    /// <param name="cancellationToken">Cancels the write; the writer cancels only when it gives up at shutdown.</param>
    /// <returns>A task that completes when the batch is durable.</returns>
    Task WriteAsync(AuditBatch batch, CancellationToken cancellationToken = default);
}
