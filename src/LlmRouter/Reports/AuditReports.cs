namespace LlmRouter;

/// <summary>
/// Writes the HTML report of a period from the audit log: spend over time by model and by client, the top clients,
/// requests, refusals and errors over time, latency percentiles per model (and time to first token for streams), and
/// the fallbacks that rescued requests — one self-contained page (inline CSS and SVG, no script, nothing loaded from
/// elsewhere) to open in any browser or attach to a mail.
/// </summary>
/// <remarks>
/// Registered with the audit store; construct it directly from any <see cref="IAuditQuery"/> outside an application
/// (the <c>llmrouter report</c> command does). The records are streamed once, so a month of traffic needs no more
/// memory than its number of models and clients. The page names keys and tenants: share it as you would the audit log's
/// reports. Thread-safe.
/// </remarks>
public sealed class AuditReports
{
    private readonly IAuditQuery _audit;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="AuditReports"/> class.</summary>
    /// <param name="audit">The audit log to read.</param>
    /// <param name="timeProvider">The clock of the page's "made at" line; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public AuditReports(IAuditQuery audit, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(audit);
        _audit = audit;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Writes the HTML report of a period.</summary>
    /// <param name="request">The period, its time zone and the filters.</param>
    /// <param name="destination">Where to write the page (UTF-8 is expected, as the page declares); not closed.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    /// <returns>A task that completes when the page is written (the writer is flushed).</returns>
    /// <exception cref="ArgumentException">The request is not valid.</exception>
    public async Task WriteHtmlAsync(AuditReportRequest request, TextWriter destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        AuditReportData data = await BuildAsync(request, cancellationToken).ConfigureAwait(false);
        await destination.WriteAsync(AuditReportHtml.Render(data).AsMemory(), cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the period's records and adds up what the report shows.</summary>
    internal async Task<AuditReportData> BuildAsync(AuditReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var data = new AuditReportData(request, _time.GetUtcNow());
        var read = new AuditReadRequest { From = request.From, To = request.To, Key = request.Key, Tenant = request.Tenant };
        await foreach (AuditRecord record in _audit.ReadAsync(read, cancellationToken).ConfigureAwait(false))
        {
            data.Add(record);
        }

        return data;
    }
}
