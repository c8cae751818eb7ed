namespace LlmRouter;

/// <summary>What <see cref="IAuditVerifier"/> found wrong with a chain.</summary>
public enum AuditProblemKind
{
    /// <summary>A record's fields no longer match its hash, or its link to the previous record was changed.</summary>
    Altered,

    /// <summary>Records are missing: a gap in the sequence, or records missing from the end of the chain (its head names a later record).</summary>
    Removed,

    /// <summary>A record that its chain's writer did not write: it does not link to the previous record, lies after the chain's head, or belongs to no registered chain.</summary>
    Inserted,

    /// <summary>Records are out of order: a record links to a record other than the one before it in the sequence.</summary>
    Reordered,
}
