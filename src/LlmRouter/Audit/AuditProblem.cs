namespace LlmRouter;

/// <summary>The first problem <see cref="IAuditVerifier"/> found in a chain.</summary>
/// <remarks>Immutable.</remarks>
public sealed class AuditProblem
{
    /// <summary>Gets what is wrong.</summary>
    public required AuditProblemKind Kind { get; init; }

    /// <summary>Gets the chain.</summary>
    public required Guid ChainId { get; init; }

    /// <summary>Gets the sequence number where the problem is: the altered, inserted or out-of-order record's, or the first missing one's.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gets the id of the record found at <see cref="Sequence"/>, or <see langword="null"/> when it is missing.</summary>
    public Guid? RecordId { get; init; }

    /// <summary>Gets an explanation for a person: what was expected and what was found.</summary>
    public required string Description { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} at chain {ChainId} #{Sequence}: {Description}";
}
