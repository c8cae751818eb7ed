namespace LlmRouter;

/// <summary>
/// Counters of the audit writer: records written, waiting, dropped and lost, requests that waited for room or were
/// refused, and failed writes. Resolve it from the application's services to monitor the audit log.
/// </summary>
/// <remarks>Thread-safe; the counters only grow (except <see cref="Queued"/>) and are read without locking.</remarks>
public sealed class AuditWriterStatistics
{
    private long _enqueued;
    private long _written;
    private long _dropped;
    private long _rejected;
    private long _waited;
    private long _writeFailures;
    private long _lost;
    private long _batches;

    /// <summary>Gets the number of records handed to the writer.</summary>
    public long Enqueued => Interlocked.Read(ref _enqueued);

    /// <summary>Gets the number of records durably written.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Gets the number of batches written.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Gets the number of records waiting to be written, or being written.</summary>
    public long Queued => Enqueued - Written - Lost;

    /// <summary>Gets the number of records dropped: the queue was full with <see cref="AuditQueueFullBehavior.Drop"/>, or the writer had already shut down.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets the number of requests refused because the queue was full (<see cref="AuditQueueFullBehavior.Reject"/>).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Gets the number of requests that had to wait for room in the queue (<see cref="AuditQueueFullBehavior.Wait"/>).</summary>
    public long Waited => Interlocked.Read(ref _waited);

    /// <summary>Gets the number of failed attempts to write a batch (each was retried).</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Gets the number of queued records given up when the writer was disposed before the store could take them.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    internal void AddEnqueued() => Interlocked.Increment(ref _enqueued);

    internal void AddWritten(int records)
    {
        Interlocked.Add(ref _written, records);
        Interlocked.Increment(ref _batches);
    }

    internal void AddDropped() => Interlocked.Increment(ref _dropped);

    internal void AddRejected() => Interlocked.Increment(ref _rejected);

    internal void AddWaited() => Interlocked.Increment(ref _waited);

    internal void AddWriteFailure() => Interlocked.Increment(ref _writeFailures);

    internal void AddLost(int records) => Interlocked.Add(ref _lost, records);

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"written {Written} in {Batches} batch(es), queued {Queued}, dropped {Dropped}, rejected {Rejected}, waited {Waited}, write failures {WriteFailures}, lost {Lost}");
}
