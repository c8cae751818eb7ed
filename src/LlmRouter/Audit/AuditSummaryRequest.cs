namespace LlmRouter;

/// <summary>What an <see cref="IAuditQuery"/> summary covers: a time range, the grouping, and optional filters.</summary>
public sealed class AuditSummaryRequest
{
    /// <summary>The longest range that can be grouped by <see cref="AuditGrouping.Day"/>: 3,660 days.</summary>
    public const int MaxDays = 3660;

    /// <summary>Gets the start of the range (inclusive), compared with each request's start.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the end of the range (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets the dimensions to group by. The default value is <see cref="AuditGrouping.None"/>: one row.</summary>
    public AuditGrouping GroupBy { get; init; }

    /// <summary>Gets the only key to include, or <see langword="null"/> for all.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the only tenant to include, or <see langword="null"/> for all.</summary>
    public string? Tenant { get; init; }

    /// <summary>
    /// Gets the time zone whose calendar days <see cref="AuditGrouping.Day"/> groups by (daylight-saving changes
    /// included). The default value is <see cref="TimeZoneInfo.Utc"/>.
    /// </summary>
    /// <remarks>The day boundaries are computed by LlmRouter, not by the database, so every store answers alike.</remarks>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Checks the request.</summary>
    /// <exception cref="ArgumentException">The range is empty or reversed, or too long to group by day.</exception>
    internal void Validate()
    {
        if (To <= From)
        {
            throw new ArgumentException($"The range is empty: To ({To:O}) must be after From ({From:O}).", "request");
        }

        if ((GroupBy & AuditGrouping.Day) != 0 && (To - From).TotalDays > MaxDays + 1)
        {
            throw new ArgumentException($"A range grouped by day can span at most {MaxDays} days.", "request");
        }
    }
}
