namespace LlmRouter;

/// <summary>Which records <see cref="IAuditQuery.ReadAsync"/> reads: those that started in a time range, optionally of one key or one tenant.</summary>
public sealed class AuditReadRequest
{
    /// <summary>Gets the start of the range (inclusive), compared with each request's start.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the end of the range (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets the only key to read, or <see langword="null"/> for all.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the only tenant to read, or <see langword="null"/> for all.</summary>
    public string? Tenant { get; init; }

    /// <summary>
    /// Gets whether the records' request and response text is read. The default value is <see langword="false"/>:
    /// <see cref="AuditRecord.RequestContent"/> and <see cref="AuditRecord.ResponseContent"/> are <see langword="null"/>,
    /// which keeps reports from reading the one large and sensitive column; such records cannot be re-hashed.
    /// </summary>
    public bool IncludeContent { get; init; }

    /// <summary>Checks the request.</summary>
    /// <exception cref="ArgumentException">The range is empty or reversed.</exception>
    internal void Validate()
    {
        if (To <= From)
        {
            throw new ArgumentException($"The range is empty: To ({To:O}) must be after From ({From:O}).", "request");
        }
    }
}
