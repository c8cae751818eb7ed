namespace LlmRouter;

/// <summary>
/// The live health of a deployment (a provider and model id): requests in flight, moving-average latency, recent
/// failures and cooldown.
/// </summary>
/// <remarks>
/// Thread-safe. Shared by every alias that uses the same provider and model id, and kept across configuration reloads.
/// Time comes from the router's <see cref="System.TimeProvider"/>.
/// </remarks>
public sealed class DeploymentHealth
{
    /// <summary>The weight of the newest sample in the latency moving averages.</summary>
    internal const double LatencySmoothing = 0.2;

    private readonly TimeProvider _time;
    private readonly Lock _failureLock = new();
    private long _cooldownUntil;
    private int _inFlight;
    private long _windowStart;
    private int _failuresInWindow;
    private long _latencyTicks = -1;
    private long _firstTokenTicks = -1;

    internal DeploymentHealth(string id, TimeProvider timeProvider)
    {
        Id = id;
        _time = timeProvider;
    }

    /// <summary>Gets <c>provider/provider-model</c>.</summary>
    public string Id { get; }

    /// <summary>Gets the number of requests in flight on this deployment.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets whether the deployment is cooling down and is skipped.</summary>
    public bool IsCoolingDown => Volatile.Read(ref _cooldownUntil) > _time.GetTimestamp();

    /// <summary>Gets how long the cooldown still lasts, or zero.</summary>
    public TimeSpan CooldownRemaining
    {
        get
        {
            long until = Volatile.Read(ref _cooldownUntil);
            long now = _time.GetTimestamp();
            return until > now ? _time.GetElapsedTime(now, until) : TimeSpan.Zero;
        }
    }

    /// <summary>Gets the number of failures counted in the current failure window.</summary>
    public int RecentFailures => Volatile.Read(ref _failuresInWindow);

    /// <summary>Gets the moving average of the time to a complete (non-streamed) response, or <see langword="null"/> before the first sample.</summary>
    public TimeSpan? AverageLatency => Average(ref _latencyTicks);

    /// <summary>Gets the moving average of the time to the first streamed update, or <see langword="null"/> before the first sample.</summary>
    public TimeSpan? AverageTimeToFirstToken => Average(ref _firstTokenTicks);

    internal bool IsCoolingDownAt(long timestamp) => Volatile.Read(ref _cooldownUntil) > timestamp;

    internal void Enter() => Interlocked.Increment(ref _inFlight);

    internal void Exit() => Interlocked.Decrement(ref _inFlight);

    internal void RecordLatency(TimeSpan latency, bool streaming)
    {
        ref long field = ref streaming ? ref _firstTokenTicks : ref _latencyTicks;
        long sample = latency.Ticks;
        long current = Volatile.Read(ref field);
        long next = current < 0 ? sample : (long)((current * (1 - LatencySmoothing)) + (sample * LatencySmoothing));

        // A lost race drops one sample of a moving average; not worth a retry loop on the hot path.
        Interlocked.CompareExchange(ref field, next, current);
    }

    /// <summary>
    /// Counts a failure; cools the deployment down on a rate-limit answer or any failure with a <c>Retry-After</c>, or when
    /// the failures in the window reach the allowed number.
    /// </summary>
    /// <returns><see langword="true"/> when this failure started a cooldown.</returns>
    internal bool RecordFailure(ErrorClass errorClass, TimeSpan? retryAfter, RoutingOptions routing)
    {
        if (!CountsAgainstHealth(errorClass))
        {
            return false;
        }

        long now = _time.GetTimestamp();
        if (errorClass == ErrorClass.RateLimited)
        {
            TimeSpan wait = retryAfter is { } after && after > TimeSpan.Zero ? after : routing.Cooldown;
            return CoolDown(now, wait);
        }

        // A provider that says when to come back (Azure's 503s do) is believed at once, as for a 429.
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
        {
            return CoolDown(now, asked);
        }

        lock (_failureLock)
        {
            if (_windowStart == 0 || _time.GetElapsedTime(_windowStart, now) > routing.FailureWindow)
            {
                _windowStart = now;
                _failuresInWindow = 0;
            }

            _failuresInWindow++;
            if (_failuresInWindow < routing.AllowedFailures)
            {
                return false;
            }

            _failuresInWindow = 0;
            _windowStart = 0;
        }

        return CoolDown(now, routing.Cooldown);
    }

    /// <summary>Gets whether a failure of this class says something about the deployment rather than about the request.</summary>
    internal static bool CountsAgainstHealth(ErrorClass errorClass) =>
        errorClass is not (ErrorClass.None or ErrorClass.BadRequest or ErrorClass.ContextWindowExceeded or ErrorClass.ContentFiltered);

    private bool CoolDown(long now, TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        long until = now + (long)(wait.TotalSeconds * _time.TimestampFrequency);
        long current = Volatile.Read(ref _cooldownUntil);
        while (until > current)
        {
            long seen = Interlocked.CompareExchange(ref _cooldownUntil, until, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    private static TimeSpan? Average(ref long field)
    {
        long ticks = Volatile.Read(ref field);
        return ticks < 0 ? null : TimeSpan.FromTicks(ticks);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Id}: {InFlight} in flight, {(IsCoolingDown ? "cooling down " + CooldownRemaining : "healthy")}";
}
