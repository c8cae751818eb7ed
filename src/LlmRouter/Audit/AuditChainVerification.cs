namespace LlmRouter;

/// <summary>The result of verifying one hash chain.</summary>
/// <remarks>Immutable.</remarks>
public sealed class AuditChainVerification
{
    /// <summary>Gets the chain.</summary>
    public required AuditChainHead Chain { get; init; }

    /// <summary>Gets how many records were verified before the first problem (all of them when there is none).</summary>
    public long RecordsVerified { get; init; }

    /// <summary>Gets the first problem found, or <see langword="null"/> when the chain is intact.</summary>
    public AuditProblem? Problem { get; init; }

    /// <summary>Gets whether the chain is intact: every record present, in order, unaltered, up to its registered head.</summary>
    public bool IsIntact => Problem is null;
}
