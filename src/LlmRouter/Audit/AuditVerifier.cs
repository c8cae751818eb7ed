
namespace LlmRouter;

/// <summary>
/// Verifies the hash chains an <see cref="IAuditReader"/> reads: for each chain, that its records run 1, 2, 3… to the
/// registered head without gaps, that each links to the one before it (<see cref="AuditRecord.PreviousHash"/>), and that
/// each record's fields still hash to its <see cref="AuditRecord.Hash"/>.
/// </summary>
/// <remarks>
/// Streams each chain once (a second pass reads ahead only to tell a re-ordering from an insertion). Thread-safe: each
/// call uses its own state. Registered as <see cref="IAuditVerifier"/> with the stores; construct it directly to verify a
/// store outside an application (for example <c>new AuditVerifier(new SqliteAuditStore("Data Source=audit.db"))</c>).
/// </remarks>
public sealed class AuditVerifier : IAuditVerifier
{
    private const int RecentLinks = 256;

    private readonly IAuditReader _reader;

    /// <summary>Initializes a new instance of the <see cref="AuditVerifier"/> class.</summary>
    /// <param name="reader">The store to verify.</param>
    public AuditVerifier(IAuditReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
    }

    /// <inheritdoc/>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var chains = new List<AuditChainHead>();
        await foreach (AuditChainHead chain in _reader.ReadChainsAsync(cancellationToken).ConfigureAwait(false))
        {
            chains.Add(chain);
        }

        var hasher = new AuditHasher();
        var results = new List<AuditChainVerification>(chains.Count);
        foreach (AuditChainHead chain in chains)
        {
            results.Add(await VerifyChainAsync(chain, hasher, cancellationToken).ConfigureAwait(false));
        }

        return new AuditVerification(results);
    }

    private async Task<AuditChainVerification> VerifyChainAsync(AuditChainHead chain, AuditHasher hasher, CancellationToken cancellationToken)
    {
        long expected = 1;
        string previous = AuditText.ZeroHash;
        var recent = new Dictionary<string, long>(StringComparer.Ordinal);
        var order = new Queue<string>(RecentLinks);
        await foreach (AuditRecord record in _reader.ReadChainAsync(chain.ChainId, 1, cancellationToken).ConfigureAwait(false))
        {
            AuditProblem? problem = await CheckAsync(chain, record, expected, previous, recent, hasher, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return new AuditChainVerification { Chain = chain, RecordsVerified = expected - 1, Problem = problem };
            }

            if (order.Count == RecentLinks)
            {
                recent.Remove(order.Dequeue());
            }

            recent[record.Hash] = record.Sequence;
            order.Enqueue(record.Hash);
            previous = record.Hash;
            expected++;
        }

        long last = expected - 1;
        AuditProblem? end = null;
        if (chain.LastSequence > last)
        {
            end = Problem(AuditProblemKind.Removed, chain, last + 1, null, $"the chain's head is record #{chain.LastSequence}, but its last record present is #{last}: records were removed from its end");
        }
        else if (chain.LastSequence < last)
        {
            end = Problem(AuditProblemKind.Inserted, chain, chain.LastSequence!.Value + 1, null, $"the chain's head is record #{chain.LastSequence}, but records up to #{last} are present: records were added after its head");
        }
        else if (!string.Equals(chain.LastHash, previous, StringComparison.Ordinal))
        {
            end = Problem(AuditProblemKind.Altered, chain, last, null, $"the chain's head names hash {chain.LastHash} for its last record, which has {previous}");
        }

        return new AuditChainVerification { Chain = chain, RecordsVerified = end is null ? last : last - 1, Problem = end };
    }

    private async ValueTask<AuditProblem?> CheckAsync(AuditChainHead chain, AuditRecord record, long expected, string previous, Dictionary<string, long> recent, AuditHasher hasher, CancellationToken cancellationToken)
    {
        if (!chain.IsRegistered)
        {
            return Problem(AuditProblemKind.Inserted, chain, record.Sequence, record.Id, "the record belongs to a chain that no audit writer registered");
        }

        if (record.Sequence < expected)
        {
            return Problem(AuditProblemKind.Inserted, chain, record.Sequence, record.Id, $"a second record with sequence #{record.Sequence}");
        }

        if (record.Sequence > expected)
        {
            string missing = record.Sequence == expected + 1 ? $"record #{expected} is" : $"records #{expected} to #{record.Sequence - 1} are";
            return Problem(AuditProblemKind.Removed, chain, expected, null, $"{missing} missing; the next record present is #{record.Sequence}");
        }

        if (record.HashVersion != AuditRecord.CurrentHashVersion)
        {
            return Problem(AuditProblemKind.Altered, chain, record.Sequence, record.Id, $"hash version {record.HashVersion} is not one this version of LlmRouter knows");
        }

        if (!string.Equals(record.PreviousHash, previous, StringComparison.Ordinal))
        {
            long? linked = recent.TryGetValue(record.PreviousHash, out long earlier) ? earlier : await FindAheadAsync(chain.ChainId, record.Sequence + 1, record.PreviousHash, cancellationToken).ConfigureAwait(false);
            if (linked is long other)
            {
                return Problem(AuditProblemKind.Reordered, chain, record.Sequence, record.Id, $"record #{record.Sequence} was written after the record now at #{other}, not after #{record.Sequence - 1}: the sequence was re-ordered");
            }

            return string.Equals(hasher.Compute(record, record.ChainId, record.Sequence, record.PreviousHash), record.Hash, StringComparison.Ordinal)
                ? Problem(AuditProblemKind.Inserted, chain, record.Sequence, record.Id, $"record #{record.Sequence} is consistent in itself but does not link to record #{record.Sequence - 1}: its writer did not write it there")
                : Problem(AuditProblemKind.Altered, chain, record.Sequence, record.Id, $"record #{record.Sequence} no longer links to record #{record.Sequence - 1}: its previous-record hash was changed");
        }

        string computed = hasher.Compute(record, record.ChainId, record.Sequence, record.PreviousHash);
        return string.Equals(computed, record.Hash, StringComparison.Ordinal)
            ? null
            : Problem(AuditProblemKind.Altered, chain, record.Sequence, record.Id, $"record #{record.Sequence}'s fields do not match its hash (stored {record.Hash}, computed {computed})");
    }

    private async Task<long?> FindAheadAsync(Guid chainId, long from, string hash, CancellationToken cancellationToken)
    {
        await foreach (AuditRecord later in _reader.ReadChainAsync(chainId, from, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(later.Hash, hash, StringComparison.Ordinal))
            {
                return later.Sequence;
            }
        }

        return null;
    }

    private static AuditProblem Problem(AuditProblemKind kind, AuditChainHead chain, long sequence, Guid? recordId, string description) =>
        new() { Kind = kind, ChainId = chain.ChainId, Sequence = sequence, RecordId = recordId, Description = description };
}
