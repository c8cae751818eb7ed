namespace LlmRouter;

/// <summary>
/// How a failed attempt failed, held apart by <see cref="RouteAttempt"/> and <see cref="AuditAttempt"/>: most attempts
/// succeed or are skipped, and then cost no room for these fields.
/// </summary>
internal sealed class AttemptFailure
{
    public ErrorClass ErrorClass { get; set; }

    public int? StatusCode { get; set; }

    public string? Error { get; set; }

    public TimeSpan? RetryAfter { get; set; }
}
