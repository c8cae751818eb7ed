using LlmRouter;

namespace WebApiSample.InProcess;

/// <summary>
/// <c>GET /internal/audit/{requestId}</c> and <c>GET /internal/spend</c>: the audit log, read back with
/// <see cref="IAuditQuery"/> — one record per request, whichever path it came by.
/// </summary>
/// <remarks>Records name the virtual key: these are the application's own endpoints, not the clients'.</remarks>
internal static class AuditEndpoints
{
    public static async Task<IResult> GetAsync(Guid requestId, IAuditQuery audit, CancellationToken cancellationToken)
    {
        AuditRecord? record = await audit.GetAsync(requestId, cancellationToken);
        return record is null
            ? Results.NotFound(new SummaryProblem($"No audit record for request {requestId}."))
            : Results.Ok(AuditRecordView.From(record));
    }

    /// <summary>Today's spend (UTC) by key and outcome.</summary>
    public static async Task<IResult> SpendAsync(IAuditQuery audit, TimeProvider time, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        IReadOnlyList<AuditSummaryRow> rows = await audit.SummarizeAsync(
            new AuditSummaryRequest { From = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero), To = now.AddSeconds(1), GroupBy = AuditGrouping.Key | AuditGrouping.Status },
            cancellationToken);
        return Results.Ok(rows.Select(row => new SpendRow(row.Key, row.Status?.ToString(), row.Requests, row.Tokens.TotalInputTokens, row.Tokens.TotalOutputTokens, row.Cost)).ToList());
    }
}

/// <summary>What the sample shows of an audit record; the full record has the prices, every attempt's detail and the hash chain.</summary>
internal sealed record AuditRecordView(
    Guid Id,
    DateTimeOffset StartedAt,
    double DurationMs,
    bool Streaming,
    string? Key,
    string? Tenant,
    string? User,
    IReadOnlyList<string> Tags,
    string? RequestedModel,
    string? ServedModel,
    string? Provider,
    string? Region,
    string Status,
    string? ReasonCode,
    IReadOnlyList<AuditAttemptView> Attempts,
    long InputTokens,
    long OutputTokens,
    decimal? Cost,
    string Hash)
{
    public static AuditRecordView From(AuditRecord record) => new(
        record.Id,
        record.StartedAt,
        record.Duration.TotalMilliseconds,
        record.Streaming,
        record.Key,
        record.Tenant,
        record.User,
        record.Tags,
        record.RequestedModel,
        record.ServedModel,
        record.Provider,
        record.Region,
        record.Status.ToString(),
        record.ReasonCode,
        [.. record.Attempts.Select(a => new AuditAttemptView(a.Model, a.Provider, a.Region, a.Outcome.ToString(), a.SkipReason, a.ErrorClass == ErrorClass.None ? null : a.ErrorClass.ToString()))],
        record.Tokens.TotalInputTokens,
        record.Tokens.TotalOutputTokens,
        record.Cost,
        record.Hash);
}

/// <summary>One attempt or skipped target of a record.</summary>
internal sealed record AuditAttemptView(string Model, string? Provider, string? Region, string Outcome, string? SkipReason, string? ErrorClass);

/// <summary>One row of the spend summary.</summary>
internal sealed record SpendRow(string? Key, string? Status, long Requests, long InputTokens, long OutputTokens, decimal Cost);
