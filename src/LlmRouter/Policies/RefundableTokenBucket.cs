using System.Diagnostics;
using System.Threading.RateLimiting;

namespace LlmRouter;

/// <summary>
/// A token bucket that refills continuously from a <see cref="TimeProvider"/> and can take tokens back: a request
/// reserves an estimate, then <see cref="Refund"/> returns what it did not use or <see cref="Charge"/> takes an overrun
/// (which may leave the bucket in debt, delaying later requests).
/// </summary>
/// <remarks>
/// Refill is computed from the clock at each call, so there is no timer, and a fake clock drives it exactly. Requests
/// never queue: a refusal says how long until enough tokens have accumulated (<see cref="MetadataName.RetryAfter"/>).
/// Thread-safe: a small lock guards a few arithmetic operations and is never held across an await.
/// </remarks>
internal sealed class RefundableTokenBucket : RateLimiter
{
    private static readonly RateLimitLease Acquired = new Lease(acquired: true, retryAfter: null);

    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _updated;
    private long _fullSince;
    private long _successes;
    private long _failures;

    public RefundableTokenBucket(int capacity, TimeSpan period, TimeProvider timeProvider)
    {
        Capacity = capacity;
        _time = timeProvider;
        _perSecond = capacity / period.TotalSeconds;
        _tokens = capacity;
        _updated = _fullSince = timeProvider.GetTimestamp();
    }

    /// <summary>Gets the most tokens the bucket holds: the limit per period.</summary>
    public int Capacity { get; }

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                long now = Refill();
                return _tokens >= Capacity ? _time.GetElapsedTime(_fullSince, now) : null;
            }
        }
    }

    /// <summary>Gives tokens back (a reservation larger than what was used), up to the capacity.</summary>
    public void Refund(long tokens)
    {
        lock (_lock)
        {
            Refill();
            _tokens = Math.Min(Capacity, _tokens + tokens);
        }
    }

    /// <summary>Takes tokens that were used beyond a reservation; the bucket may go into debt.</summary>
    public void Charge(long tokens)
    {
        lock (_lock)
        {
            Refill();
            _tokens -= tokens;
        }
    }

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = (long)Math.Floor(_tokens),
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successes,
                TotalFailedLeases = _failures,
            };
        }
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, Capacity);
        lock (_lock)
        {
            Refill();

            // A tolerance absorbs floating-point rounding: after waiting exactly the RetryAfter given, the request passes.
            double deficit = permitCount - _tokens;
            if (deficit <= 1e-6)
            {
                _tokens -= permitCount;
                _successes++;
                return Acquired;
            }

            _failures++;
            return new Lease(acquired: false, TimeSpan.FromTicks((long)Math.Ceiling(deficit / _perSecond * TimeSpan.TicksPerSecond)));
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    /// <summary>Adds what accumulated since the last update; returns the clock's timestamp.</summary>
    private long Refill()
    {
        Debug.Assert(_lock.IsHeldByCurrentThread, "The caller holds the lock.");
        long now = _time.GetTimestamp();
        double seconds = _time.GetElapsedTime(_updated, now).TotalSeconds;
        if (seconds > 0 && _tokens < Capacity)
        {
            double refilled = _tokens + (seconds * _perSecond);
            if (refilled >= Capacity)
            {
                // When it filled up, for IdleDuration.
                _fullSince = now - (long)((refilled - Capacity) / _perSecond * _time.TimestampFrequency);
                refilled = Capacity;
            }

            _tokens = refilled;
        }

        _updated = now;
        return now;
    }

    private sealed class Lease : RateLimitLease
    {
        private readonly TimeSpan? _retryAfter;

        public Lease(bool acquired, TimeSpan? retryAfter)
        {
            IsAcquired = acquired;
            _retryAfter = retryAfter;
        }

        public override bool IsAcquired { get; }

        public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (_retryAfter is TimeSpan retryAfter && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
