namespace LlmRouter;

/// <summary>The result of <see cref="IAuditVerifier.VerifyAsync"/>: every chain in the store, and the first problem of each.</summary>
/// <remarks>Immutable.</remarks>
public sealed class AuditVerification
{
    /// <summary>Initializes a new instance of the <see cref="AuditVerification"/> class.</summary>
    /// <param name="chains">The chains, in chain id order.</param>
    public AuditVerification(IReadOnlyList<AuditChainVerification> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        Chains = chains;
        foreach (AuditChainVerification chain in chains)
        {
            RecordsVerified += chain.RecordsVerified;
            FirstProblem ??= chain.Problem;
        }
    }

    /// <summary>Gets every chain, in chain id order (the order their writers started).</summary>
    public IReadOnlyList<AuditChainVerification> Chains { get; }

    /// <summary>Gets the number of records verified, over every chain.</summary>
    public long RecordsVerified { get; }

    /// <summary>Gets the first problem, in chain order, or <see langword="null"/> when every chain is intact.</summary>
    public AuditProblem? FirstProblem { get; }

    /// <summary>Gets whether every chain is intact.</summary>
    public bool IsIntact => FirstProblem is null;

    /// <inheritdoc/>
    public override string ToString() =>
        IsIntact
            ? FormattableString.Invariant($"intact: {RecordsVerified} record(s) in {Chains.Count} chain(s)")
            : FormattableString.Invariant($"NOT intact: {FirstProblem}");
}
