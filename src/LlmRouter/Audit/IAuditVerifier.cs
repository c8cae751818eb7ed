namespace LlmRouter;

/// <summary>
/// Proves the audit log complete and unaltered: walks every hash chain in the store, recomputes each record's hash and
/// its link to the previous record, and reports the first altered, removed, inserted or re-ordered record of each chain.
/// </summary>
/// <remarks>
/// The hash chain detects changes made to the stored rows; someone able to rewrite a whole chain and its head could
/// recompute it. Keep a copy of the chain heads elsewhere (<see cref="AuditChainHead.LastHash"/>) to rule that out; see
/// <c>docs/audit.md</c>. Thread-safe.
/// </remarks>
public interface IAuditVerifier
{
    /// <summary>Verifies every chain in the store.</summary>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>Every chain and its first problem, if any.</returns>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}
