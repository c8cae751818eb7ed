using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace LlmRouter;

/// <summary>
/// The remaining-budget gauge (<c>llmrouter.budget.remaining</c>, USD, one series per budget limit), served from a
/// snapshot: budget stores may be remote, and a gauge's callback runs on the exporter's thread, so it never waits on a
/// store. The snapshot is read from <see cref="IBudgetQuery"/> in the background every
/// <see cref="TelemetryOptions.BudgetRefreshInterval"/> while something listens, and a settlement in this process updates
/// its counters' spend at once.
/// </summary>
/// <remarks>
/// Key budgets are reported only with <see cref="TelemetryOptions.KeyAttributes"/>, tenant budgets only with
/// <see cref="TelemetryOptions.TenantAttributes"/>: without the key or tenant attribute their series would collide. The
/// global budget is always reported. Thread-safe.
/// </remarks>
internal sealed class BudgetGauges : IDisposable
{
    private readonly IBudgetQuery _query;
    private readonly TelemetryOptions _options;
    private readonly ILogger _logger;
    private readonly ObservableGauge<double> _gauge;
    private readonly TimeProvider _time;
    private ITimer? _timer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _refreshLock = new();
    private Snapshot? _snapshot;
    private Task _refresh = Task.CompletedTask;
    private long _failures;

    public BudgetGauges(Meter meter, IBudgetQuery query, TelemetryOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _query = query;
        _options = options;
        _logger = logger;
        _gauge = meter.CreateObservableGauge(TelemetryNames.BudgetRemaining, Observe, "USD", "What is left of each budget limit in its current period, in US dollars: the limit less committed spend and live reservations.");
        _time = timeProvider;
    }

    /// <summary>Re-reads the budgets in the background (at most one read at a time); the task completes when the snapshot is replaced.</summary>
    public Task RefreshAsync()
    {
        lock (_refreshLock)
        {
            if (_refresh.IsCompleted && !_stopping.IsCancellationRequested)
            {
                _refresh = Task.Run(ReadAsync);
            }

            return _refresh;
        }
    }

    /// <summary>Takes in a counter's committed spend after a settlement in this process.</summary>
    public void Settled(BudgetCounterKey counter, DateTimeOffset? periodStart, decimal spent)
    {
        if (Volatile.Read(ref _snapshot) is { } snapshot && snapshot.TryGet(counter, out Entry? entry) && entry.PeriodStart == periodStart)
        {
            entry.Raise(spent);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        lock (_refreshLock)
        {
            _timer?.Dispose();
        }
    }

    /// <summary>Starts the periodic refresh when the gauge is first collected: nothing runs until something listens.</summary>
    private void StartRefreshing()
    {
        lock (_refreshLock)
        {
            if (_timer is null && !_stopping.IsCancellationRequested)
            {
                _timer = _time.CreateTimer(static state => ((BudgetGauges)state!).Tick(), this, _options.BudgetRefreshInterval, _options.BudgetRefreshInterval);
            }
        }
    }

    private void Tick()
    {
        if (_gauge.Enabled)
        {
            _ = RefreshAsync();
        }
    }

    private IEnumerable<Measurement<double>> Observe()
    {
        if (Volatile.Read(ref _timer) is null)
        {
            StartRefreshing();
        }

        if (Volatile.Read(ref _snapshot) is { } snapshot)
        {
            return snapshot.Measure();
        }

        // The first collection starts the first read and reports nothing yet, rather than waiting for the store.
        _ = RefreshAsync();
        return [];
    }

    private async Task ReadAsync()
    {
        try
        {
            IReadOnlyList<BudgetStatus> statuses = await _query.GetAllAsync(_stopping.Token).ConfigureAwait(false);
            Volatile.Write(ref _snapshot, new Snapshot(statuses, _options));
            Interlocked.Exchange(ref _failures, 0);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            long failures = Interlocked.Increment(ref _failures);
            if (AuditLog.Sampled(failures))
            {
                RouterLog.BudgetGaugeRefreshFailed(_logger, failures, ex);
            }
        }
    }

    /// <summary>The budgets as last read, with the attributes of each series made once.</summary>
    private sealed class Snapshot
    {
        private readonly Entry[] _entries;
        private readonly Dictionary<(BudgetScope Scope, string? Name, string? Model), Entry> _byLimit = [];

        public Snapshot(IReadOnlyList<BudgetStatus> statuses, TelemetryOptions options)
        {
            var entries = new List<Entry>(statuses.Count);
            foreach (BudgetStatus status in statuses)
            {
                string? name = status.Scope switch
                {
                    BudgetScope.Key when options.KeyAttributes => status.Name,
                    BudgetScope.Tenant when options.TenantAttributes => status.Name,
                    BudgetScope.Global => null,
                    _ => string.Empty,
                };
                if (name is { Length: 0 })
                {
                    continue;
                }

                var tags = new List<KeyValuePair<string, object?>>(4)
                {
                    new(TelemetryNames.BudgetScope, TelemetryNames.Scope(status.Scope)),
                    new(TelemetryNames.BudgetPeriod, TelemetryNames.Period(status.Period)),
                };
                if (status.Model is not null)
                {
                    tags.Add(new(TelemetryNames.Model, status.Model));
                }

                if (name is not null)
                {
                    tags.Add(new(status.Scope == BudgetScope.Key ? TelemetryNames.Key : TelemetryNames.Tenant, name));
                }

                var entry = new Entry(status, [.. tags]);
                entries.Add(entry);
                _byLimit[(status.Scope, status.Name, status.Model)] = entry;
            }

            _entries = [.. entries];
        }

        public bool TryGet(BudgetCounterKey counter, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Entry? entry) =>
            _byLimit.TryGetValue((counter.Scope, counter.Name, counter.Model), out entry);

        public Measurement<double>[] Measure()
        {
            var measurements = new Measurement<double>[_entries.Length];
            for (int i = 0; i < measurements.Length; i++)
            {
                measurements[i] = new Measurement<double>(_entries[i].Remaining, _entries[i].Tags);
            }

            return measurements;
        }
    }

    /// <summary>One limit's numbers; the spend only grows within a period, so a settlement raises it and never lowers it.</summary>
    private sealed class Entry
    {
        private readonly double _available;
        private double _spent;

        public Entry(BudgetStatus status, KeyValuePair<string, object?>[] tags)
        {
            PeriodStart = status.PeriodStart;
            Tags = tags;
            _available = (double)(status.Limit - status.Reserved);
            _spent = (double)status.Spent;
        }

        public DateTimeOffset? PeriodStart { get; }

        public KeyValuePair<string, object?>[] Tags { get; }

        public double Remaining => Math.Max(0d, _available - Volatile.Read(ref _spent));

        public void Raise(decimal spent)
        {
            double value = (double)spent;
            double current = Volatile.Read(ref _spent);
            while (value > current)
            {
                double seen = Interlocked.CompareExchange(ref _spent, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
