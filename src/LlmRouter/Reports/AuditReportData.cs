namespace LlmRouter;

/// <summary>What an HTML report shows, added up from the records of its range as they stream past: spend by time bucket, model and client, requests by outcome, latency percentiles, rescues.</summary>
internal sealed class AuditReportData
{
    public const string NoClient = "(none)";

    private readonly Dictionary<string, decimal[]> _spendByModel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal[]> _spendByClient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientTotals> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LatencyHistogram> _latency = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LatencyHistogram> _firstToken = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), long> _rescues = [];
    private readonly List<StatementCharge> _charges = new(2);

    public AuditReportData(AuditReportRequest request, DateTimeOffset generatedAt)
    {
        Request = request;
        GeneratedAt = generatedAt;
        Buckets = ReportBuckets.Create(request.From, request.To, request.TimeZone);
        Outcomes = new long[4][];
        for (int i = 0; i < Outcomes.Length; i++)
        {
            Outcomes[i] = new long[Buckets.Count];
        }
    }

    public AuditReportRequest Request { get; }

    public DateTimeOffset GeneratedAt { get; }

    public ReportBuckets Buckets { get; }

    /// <summary>Gets requests per bucket, by outcome: served, rejected, failed, cancelled.</summary>
    public long[][] Outcomes { get; }

    public long Requests { get; private set; }

    public long Served { get; private set; }

    public long Rejected { get; private set; }

    public long Failed { get; private set; }

    public long Cancelled { get; private set; }

    public long Unpriced { get; private set; }

    public long Streams { get; private set; }

    public decimal Spend { get; private set; }

    public TokenUsage Tokens { get; private set; }

    public IReadOnlyDictionary<string, decimal[]> SpendByModel => _spendByModel;

    public IReadOnlyDictionary<string, decimal[]> SpendByClient => _spendByClient;

    public IReadOnlyDictionary<string, ClientTotals> Clients => _clients;

    /// <summary>Gets the whole-request latency of served requests, by served model.</summary>
    public IReadOnlyDictionary<string, LatencyHistogram> Latency => _latency;

    /// <summary>Gets the time to first token of served streams, by served model.</summary>
    public IReadOnlyDictionary<string, LatencyHistogram> FirstToken => _firstToken;

    /// <summary>Gets the served requests whose first choice failed (or was cooling down), by where it failed and what served it.</summary>
    public IReadOnlyDictionary<(string From, string To), long> Rescues => _rescues;

    public void Add(AuditRecord record)
    {
        int bucket = Buckets.Of(record.StartedAt);
        Requests++;
        string client = (Request.Clients == BudgetScope.Tenant ? record.Tenant : record.Key) ?? NoClient;
        if (!_clients.TryGetValue(client, out ClientTotals? totals))
        {
            totals = new ClientTotals();
            _clients.Add(client, totals);
        }

        totals.Requests++;
        int outcome;
        switch (record.Status)
        {
            case RouteStatus.Served:
                Served++;
                outcome = 0;
                break;
            case RouteStatus.Rejected:
                Rejected++;
                totals.Rejected++;
                outcome = 1;
                break;
            case RouteStatus.Failed:
                Failed++;
                totals.Failed++;
                outcome = 2;
                break;
            default:
                Cancelled++;
                outcome = 3;
                break;
        }

        Outcomes[outcome][bucket]++;
        Streams += record.Streaming ? 1 : 0;
        Unpriced += record.PriceUnknown ? 1 : 0;
        Tokens += record.Tokens;

        StatementCharge.Split(record, _charges);
        foreach (StatementCharge charge in _charges)
        {
            if (!charge.Key.IsPriced || charge.Cost == 0m)
            {
                continue;
            }

            Spend += charge.Cost;
            totals.Spend += charge.Cost;
            Series(_spendByModel, charge.Key.Model)[bucket] += charge.Cost;
            Series(_spendByClient, client)[bucket] += charge.Cost;
        }

        if (record.Status == RouteStatus.Served)
        {
            string model = record.ServedModel ?? record.RequestedModel ?? NoClient;
            Histogram(_latency, model).Add(record.Duration);
            if (record.Streaming && record.TimeToFirstToken is TimeSpan ttft)
            {
                Histogram(_firstToken, model).Add(ttft);
            }

            CountRescue(record);
        }
    }

    private void CountRescue(AuditRecord record)
    {
        AuditAttempt? failed = null;
        foreach (AuditAttempt attempt in record.Attempts)
        {
            if (attempt.Outcome == AttemptOutcome.Failed || (attempt.Outcome == AttemptOutcome.Skipped && attempt.SkipReason == SkipReasons.Cooldown))
            {
                failed ??= attempt;
            }
            else if (attempt.Outcome == AttemptOutcome.Succeeded && failed is not null)
            {
                (string, string) route = (Target(failed), Target(attempt));
                _rescues[route] = _rescues.GetValueOrDefault(route) + 1;
                return;
            }
        }
    }

    private static string Target(AuditAttempt attempt) => attempt.Provider is null ? attempt.Model : attempt.Model + " (" + attempt.Provider + ")";

    private decimal[] Series(Dictionary<string, decimal[]> all, string name)
    {
        if (!all.TryGetValue(name, out decimal[]? values))
        {
            values = new decimal[Buckets.Count];
            all.Add(name, values);
        }

        return values;
    }

    private static LatencyHistogram Histogram(Dictionary<string, LatencyHistogram> all, string model)
    {
        if (!all.TryGetValue(model, out LatencyHistogram? histogram))
        {
            histogram = new LatencyHistogram();
            all.Add(model, histogram);
        }

        return histogram;
    }

    /// <summary>One client's requests and spend in the range.</summary>
    internal sealed class ClientTotals
    {
        public long Requests;
        public long Rejected;
        public long Failed;
        public decimal Spend;
    }
}
