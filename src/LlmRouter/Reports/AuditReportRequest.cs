namespace LlmRouter;

/// <summary>What an <see cref="AuditReports"/> HTML report covers: a time range, the time zone its charts are drawn in, and optional filters.</summary>
public sealed class AuditReportRequest
{
    /// <summary>The default number of clients the report names before it groups the rest as "other": 10.</summary>
    public const int DefaultTopClients = 10;

    /// <summary>The default title: <c>LlmRouter report</c>.</summary>
    public const string DefaultTitle = "LlmRouter report";

    /// <summary>Gets the start of the range (inclusive), compared with each request's start.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the end of the range (exclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets the time zone whose clock and calendar label the charts (days start at its midnight). The default value is <see cref="TimeZoneInfo.Utc"/>.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Gets the only key to include, or <see langword="null"/> for all. The default value is <see langword="null"/>.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the only tenant to include, or <see langword="null"/> for all. The default value is <see langword="null"/>.</summary>
    public string? Tenant { get; init; }

    /// <summary>Gets what a client is in the report: a key (<see cref="BudgetScope.Key"/>) or a tenant (<see cref="BudgetScope.Tenant"/>). The default value is <see cref="BudgetScope.Key"/>.</summary>
    public BudgetScope Clients { get; init; } = BudgetScope.Key;

    /// <summary>Gets how many clients (and models) are named before the rest are grouped as "other" (1 to 50). The default value is <see cref="DefaultTopClients"/>.</summary>
    public int TopClients { get; init; } = DefaultTopClients;

    /// <summary>Gets the page's title. The default value is <see cref="DefaultTitle"/>.</summary>
    public string Title { get; init; } = DefaultTitle;

    /// <summary>Checks the request.</summary>
    /// <exception cref="ArgumentException">The range is empty, or a setting is out of range.</exception>
    internal void Validate()
    {
        if (To <= From)
        {
            throw new ArgumentException($"The range is empty: To ({To:O}) must be after From ({From:O}).", "request");
        }

        if ((To - From).TotalDays > AuditSummaryRequest.MaxDays + 1)
        {
            throw new ArgumentException($"A report can span at most {AuditSummaryRequest.MaxDays} days.", "request");
        }

        if (Clients is not (BudgetScope.Key or BudgetScope.Tenant))
        {
            throw new ArgumentException("Clients must be Key or Tenant.", "request");
        }

        if (TopClients is < 1 or > 50)
        {
            throw new ArgumentException("TopClients must be between 1 and 50.", "request");
        }

        ArgumentNullException.ThrowIfNull(TimeZone, "request.TimeZone");
        ArgumentNullException.ThrowIfNull(Title, "request.Title");
    }
}
