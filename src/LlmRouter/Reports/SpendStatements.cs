namespace LlmRouter;

/// <summary>
/// Makes monthly (or any period's) statements of what a client — a key, a tenant, or every request — spent, from the
/// audit log, with the client's configured budgets against what it spent; and exports them as CSV, with the request
/// rows they add up from.
/// </summary>
/// <remarks>
/// <para>
/// Registered with the audit store (<c>AddSqliteStores</c>, <c>AddPostgresStores</c>), reading the current
/// configuration's budgets; construct it directly from any <see cref="IAuditQuery"/> to make statements outside an
/// application (<c>new SpendStatements(new SqliteAuditStore("Data Source=audit.db"), options)</c>). Both stores give
/// the same statement for the same records: a statement is computed by LlmRouter from the records, not by the database.
/// </para>
/// <para>Thread-safe. The statements name their client, which may be a key id: see <see cref="SpendStatement"/>.</para>
/// </remarks>
public sealed class SpendStatements
{
    private readonly IAuditQuery _audit;
    private readonly Func<LlmRouterOptions?> _options;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="SpendStatements"/> class.</summary>
    /// <param name="audit">The audit log to read.</param>
    /// <param name="options">The configuration whose budgets (and budget time zone) the statements compare with, or <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock that tells whether a period is over; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public SpendStatements(IAuditQuery audit, LlmRouterOptions? options = null, TimeProvider? timeProvider = null)
        : this(audit, () => options, timeProvider ?? TimeProvider.System)
    {
    }

    internal SpendStatements(IAuditQuery audit, Func<LlmRouterOptions?> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(audit);
        _audit = audit;
        _options = options;
        _time = timeProvider;
    }

    /// <summary>Makes a statement.</summary>
    /// <param name="request">Whose requests, and which period.</param>
    /// <param name="cancellationToken">Cancels the statement.</param>
    /// <returns>The statement.</returns>
    /// <exception cref="ArgumentException">The request is not valid (no name for a key or tenant, an empty or too long period).</exception>
    public async Task<SpendStatement> GetAsync(SpendStatementRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        (SpendStatement statement, _) = await BuildAsync(request, numbering: null, rows: null, cancellationToken).ConfigureAwait(false);
        return statement;
    }

    /// <summary>
    /// Writes a statement's request rows as CSV (RFC 4180): one row per request — refused, failed and unbilled ones at
    /// zero cost — with its id, time, key, tenant, user, models, provider, status, reason, tokens, unit prices and cost,
    /// and the number of the statement line it is billed on. Returns the statement the rows add up to, exactly.
    /// </summary>
    /// <param name="request">Whose requests, and which period.</param>
    /// <param name="destination">Where to write; not closed.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>The statement whose lines and total the rows add up to, to the last decimal.</returns>
    /// <exception cref="ArgumentException">The request is not valid.</exception>
    /// <remarks>
    /// A request billed on two lines (a failed attempt its provider charged for, then a fallback at other prices) has a
    /// row for each, with the same id. The records are read twice: once to number the lines in the statement's order,
    /// once to write the rows; requests recorded in between (in a period not yet over) are in the rows and in the
    /// statement returned, after the lines numbered before them.
    /// </remarks>
    public async Task<SpendStatement> WriteRowsCsvAsync(SpendStatementRequest request, TextWriter destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(destination);
        (_, Dictionary<StatementLineKey, int> numbering) = await BuildAsync(request, numbering: null, rows: null, cancellationToken).ConfigureAwait(false);
        (SpendStatement statement, _) = await BuildAsync(request, numbering, destination, cancellationToken).ConfigureAwait(false);
        return statement;
    }

    private async Task<(SpendStatement Statement, Dictionary<StatementLineKey, int> Numbering)> BuildAsync(
        SpendStatementRequest request, Dictionary<StatementLineKey, int>? numbering, TextWriter? rows, CancellationToken cancellationToken)
    {
        StatementPlan plan = StatementPlan.Create(request, _options());
        var builder = new StatementBuilder(plan, numbering);
        var charges = new List<StatementCharge>(2);
        var row = new CsvRow();
        if (rows is not null)
        {
            row.Line(StatementCsv.RowsHeader);
        }

        await foreach (AuditRecord record in _audit.ReadAsync(plan.Read, cancellationToken).ConfigureAwait(false))
        {
            builder.Add(record, charges);
            if (rows is not null)
            {
                StatementCsv.AddRows(row, record, charges, numbering!, plan.Zone);
                if (row.Memory.Length >= 32 * 1024)
                {
                    await rows.WriteAsync(row.Memory, cancellationToken).ConfigureAwait(false);
                    row.Clear();
                }
            }
        }

        if (rows is not null)
        {
            await rows.WriteAsync(row.Memory, cancellationToken).ConfigureAwait(false);
            await rows.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        DateTimeOffset now = _time.GetUtcNow();
        SpendStatement statement = builder.Build(now, out Dictionary<StatementLineKey, int> lineNumbers);
        return (statement, lineNumbers);
    }
}
