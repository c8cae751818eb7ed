namespace LlmRouter;

/// <summary>
/// A hash chain as a store registers it: one per audit writer (one per process), with its last record. Stores update the
/// head in the same transaction as the records, so that records removed from the end of a chain are detected too.
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed class AuditChainHead
{
    /// <summary>Gets the chain's id: a UUID version 7, so chains sort by the time their writer started.</summary>
    public required Guid ChainId { get; init; }

    /// <summary>Gets the writer instance that owns the chain: <c>{machine}/{process id}</c>; <see langword="null"/> for a chain found in records but never registered.</summary>
    public string? Instance { get; init; }

    /// <summary>Gets when the writer started the chain, in UTC; <see langword="null"/> for a chain never registered.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets the sequence number of the chain's last record; <see langword="null"/> for a chain never registered.</summary>
    public long? LastSequence { get; init; }

    /// <summary>Gets the hash of the chain's last record; <see langword="null"/> for a chain never registered.</summary>
    public string? LastHash { get; init; }

    /// <summary>Gets whether a writer registered the chain (records of an unregistered chain were inserted by something else).</summary>
    public bool IsRegistered => LastSequence is not null;

    /// <inheritdoc/>
    public override string ToString() => $"chain {ChainId} ({Instance ?? "unregistered"}) at #{LastSequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";
}
