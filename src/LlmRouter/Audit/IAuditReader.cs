namespace LlmRouter;

/// <summary>Reads a store's hash chains back, for <see cref="IAuditVerifier"/> and for export.</summary>
/// <remarks>Implemented by the built-in stores beside <see cref="IAuditStore"/>. Thread-safe.</remarks>
public interface IAuditReader
{
    /// <summary>
    /// Reads every chain: those registered by writers, and any chain id found in records without a registration (which
    /// the verifier reports as inserted). Ordered by chain id.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The chains.</returns>
    IAsyncEnumerable<AuditChainHead> ReadChainsAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads a chain's records in sequence order, starting at a sequence number.</summary>
    /// <param name="chainId">The chain.</param>
    /// <param name="fromSequence">The first sequence number to read (1 for the whole chain).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, streamed.</returns>
    IAsyncEnumerable<AuditRecord> ReadChainAsync(Guid chainId, long fromSequence = 1, CancellationToken cancellationToken = default);
}
