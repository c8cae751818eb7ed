namespace LlmRouter;

/// <summary>A batch of consecutive records of one writer's hash chain, handed to <see cref="IAuditStore.WriteAsync"/>.</summary>
/// <remarks>The records are sealed (sequence and hashes set) and in sequence order, without gaps. Immutable.</remarks>
public sealed class AuditBatch
{
    /// <summary>Initializes a new instance of the <see cref="AuditBatch"/> class.</summary>
    /// <param name="chain">The chain the records belong to, with its head after this batch.</param>
    /// <param name="records">The records, in sequence order.</param>
    public AuditBatch(AuditChainHead chain, IReadOnlyList<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new ArgumentException("A batch holds at least one record.", nameof(records));
        }

        Chain = chain;
        Records = records;
    }

    /// <summary>Gets the chain: its id, the writer instance, when it started, and its head once this batch is written.</summary>
    public AuditChainHead Chain { get; }

    /// <summary>Gets the records, in sequence order.</summary>
    public IReadOnlyList<AuditRecord> Records { get; }

    /// <summary>Gets the sequence number of the first record.</summary>
    public long FirstSequence => Records[0].Sequence;

    /// <summary>Gets the sequence number of the last record.</summary>
    public long LastSequence => Records[^1].Sequence;
}
