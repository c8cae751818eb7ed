namespace LlmRouter;

/// <summary>
/// What a client's requests cost in a period, line by line, from the audit log: one line per served model and set of
/// unit prices, refused requests at zero cost, requests nobody could price flagged, and the client's budgets against
/// what it spent. Made by <see cref="SpendStatements"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every amount is the sum of costs recorded when the calls ran, at the unit prices they ran at: a statement is never
/// re-priced, so a closed period's statement is the same whenever it is made. Money is exact (<see cref="decimal"/>,
/// never rounded) in USD. Failed and cancelled requests the provider billed are included; the request rows
/// (<see cref="SpendStatements.WriteRowsCsvAsync"/>) add up exactly to the lines and the total.
/// </para>
/// <para>
/// <see cref="Name"/> may be a key id, which is sensitive: the statement names its client, so share it as you would the
/// key's configuration. Immutable.
/// </para>
/// </remarks>
public sealed class SpendStatement
{
    /// <summary>The currency of every amount: <c>USD</c>.</summary>
    public const string Usd = "USD";

    internal SpendStatement(SpendStatementRequest request, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to, DateTimeOffset generatedAt, StatementTotals totals, IReadOnlyList<SpendStatementLine> lines, IReadOnlyList<SpendStatementRefusal> refusals, IReadOnlyList<SpendStatementBudget> budgets)
    {
        Scope = request.Scope;
        Name = request.Scope == BudgetScope.Global ? null : request.Name;
        FirstDay = request.FirstDay;
        LastDay = request.LastDay;
        TimeZone = zone.Id;
        Zone = zone;
        From = from;
        To = to;
        GeneratedAt = generatedAt;
        IsClosed = generatedAt >= to;
        Requests = totals.Requests;
        ServedRequests = totals.Served;
        RejectedRequests = totals.Rejected;
        FailedRequests = totals.Failed;
        CancelledRequests = totals.Cancelled;
        BilledUnservedRequests = totals.BilledUnserved;
        UnpricedRequests = totals.Unpriced;
        EstimatedRequests = totals.Estimated;
        Lines = lines;
        Refusals = refusals;
        Budgets = budgets;
        foreach (SpendStatementLine line in lines)
        {
            Total += line.Amount ?? 0m;
            Tokens += line.Tokens;
        }
    }

    /// <summary>Gets whose requests: a key's, a tenant's, or every request (<see cref="BudgetScope.Global"/>).</summary>
    public BudgetScope Scope { get; }

    /// <summary>Gets the key id or tenant name, or <see langword="null"/> for every request.</summary>
    public string? Name { get; }

    /// <summary>Gets the first local day of the period.</summary>
    public DateOnly FirstDay { get; }

    /// <summary>Gets the last local day of the period (inclusive).</summary>
    public DateOnly LastDay { get; }

    /// <summary>Gets the id of the time zone whose calendar the period follows (<c>Europe/Zurich</c>).</summary>
    public string TimeZone { get; }

    /// <summary>Gets the time zone itself.</summary>
    internal TimeZoneInfo Zone { get; }

    /// <summary>Gets the first instant of the period.</summary>
    public DateTimeOffset From { get; }

    /// <summary>Gets the first instant after the period.</summary>
    public DateTimeOffset To { get; }

    /// <summary>Gets when the statement was made.</summary>
    public DateTimeOffset GeneratedAt { get; }

    /// <summary>
    /// Gets whether the period was over when the statement was made. A statement of a period not yet over is
    /// provisional (<see cref="IsProvisional"/>): requests still to come will change it.
    /// </summary>
    /// <remarks>
    /// A request is recorded when it ends, and with <see cref="AuditDurability.Buffered"/> up to
    /// <see cref="AuditOptions.FlushInterval"/> later: make the closing statement of a period once its last requests
    /// have ended (streams can run for <see cref="RoutingOptions.StreamTotalTimeout"/>).
    /// </remarks>
    public bool IsClosed { get; }

    /// <summary>Gets whether the period was not over when the statement was made.</summary>
    public bool IsProvisional => !IsClosed;

    /// <summary>Gets the currency of every amount: <see cref="Usd"/>.</summary>
    public string Currency { get; } = Usd;

    /// <summary>Gets the billed lines, in order.</summary>
    public IReadOnlyList<SpendStatementLine> Lines { get; }

    /// <summary>Gets the refused requests, at zero cost, by requested model and reason (ordinal order).</summary>
    public IReadOnlyList<SpendStatementRefusal> Refusals { get; }

    /// <summary>Gets the client's configured budgets against what it spent; empty when it has none.</summary>
    public IReadOnlyList<SpendStatementBudget> Budgets { get; }

    /// <summary>Gets the total in USD, exact: the sum of the priced lines. Requests nobody could price are not in it (<see cref="UnpricedRequests"/>).</summary>
    public decimal Total { get; }

    /// <summary>Gets the tokens of every line, by kind.</summary>
    public TokenUsage Tokens { get; }

    /// <summary>Gets every request of the client in the period: served, refused, failed and cancelled.</summary>
    public long Requests { get; }

    /// <summary>Gets the requests a provider served.</summary>
    public long ServedRequests { get; }

    /// <summary>Gets the requests LlmRouter refused before any provider was called (<see cref="Refusals"/>).</summary>
    public long RejectedRequests { get; }

    /// <summary>Gets the requests that failed.</summary>
    public long FailedRequests { get; }

    /// <summary>Gets the requests the caller cancelled.</summary>
    public long CancelledRequests { get; }

    /// <summary>Gets the failed and cancelled requests that were billed all the same (a provider charged for tokens before the failure, or for the received part of a stream); their calls are on the lines.</summary>
    public long BilledUnservedRequests { get; }

    /// <summary>Gets the requests with calls nobody could price: they are on unpriced lines and not in <see cref="Total"/>.</summary>
    public long UnpricedRequests { get; }

    /// <summary>Gets the requests whose tokens were partly counted by LlmRouter because the provider reported none.</summary>
    public long EstimatedRequests { get; }

    /// <summary>Gets whether every billed call had a known price, so <see cref="Total"/> is the whole cost.</summary>
    public bool IsComplete => UnpricedRequests == 0;

    /// <summary>Writes the statement as CSV (RFC 4180): a row per line, refusal and budget window, and a total row. The columns are documented in <c>docs/reports.md</c>.</summary>
    /// <param name="destination">Where to write; not closed.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the statement is written (the writer is flushed).</returns>
    public Task WriteCsvAsync(TextWriter destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return StatementCsv.WriteStatementAsync(this, destination, cancellationToken);
    }
}
