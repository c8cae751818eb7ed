namespace LlmRouter;

/// <summary>
/// A stream's own clock: it fails when the first update does not arrive within the first-token timeout, when no later
/// update arrives within the idle timeout, or when the whole stream outlasts the total timeout. HTTP timeouts end with
/// the response headers, so without this a stalled stream would hang forever.
/// </summary>
/// <remarks>
/// The first update has a timeout of its own because models that reason before they answer stay silent far longer
/// before their first token than between two tokens.
/// </remarks>
internal sealed class StreamTimeouts : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _firstToken;
    private readonly TimeSpan _idle;
    private readonly TimeSpan _total;
    private readonly long _start;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;

    // Which deadline the timer is armed for. Telling them apart by the elapsed time misreads a total timeout as idle:
    // timers run on a millisecond tick and can fire a fraction of a millisecond before the high-resolution clock agrees.
    private Deadline _armed;

    public StreamTimeouts(RoutingOptions routing, TimeProvider timeProvider, CancellationToken callerToken)
    {
        _time = timeProvider;
        _firstToken = routing.StreamFirstTokenTimeout;
        _idle = routing.StreamIdleTimeout;
        _total = routing.StreamTotalTimeout;
        _start = timeProvider.GetTimestamp();

        // Created with its first delay so that the timer comes from the given clock (a fake one in tests).
        _armed = _total <= _firstToken ? Deadline.Total : Deadline.FirstToken;
        _timeout = new CancellationTokenSource(_armed == Deadline.Total ? _total : _firstToken, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _timeout.Token);
    }

    private enum Deadline
    {
        FirstToken,
        Idle,
        Total,
    }

    /// <summary>Gets the token the provider call runs with: cancelled by the caller or by a timeout.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Gets whether a timeout (not the caller) cancelled the stream.</summary>
    public bool Expired => _timeout.IsCancellationRequested;

    /// <summary>Gets which timeout expired, for the error message.</summary>
    public string Describe() => _armed switch
    {
        Deadline.Total => $"The stream did not finish within its total timeout of {_total}.",
        Deadline.FirstToken => $"The stream sent nothing within its first-token timeout of {_firstToken}.",
        _ => $"The stream sent nothing for its idle timeout of {_idle}.",
    };

    /// <summary>Stops the timer while the caller holds an update: the idle timeout measures the provider's silence, not the caller's.</summary>
    /// <remarks>The total timeout still counts that time; it is enforced when <see cref="Restart"/> re-arms the timer.</remarks>
    public void Pause()
    {
        if (!_timeout.IsCancellationRequested)
        {
            _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Re-arms the timer before waiting for the next update (the first has arrived): the idle timeout, or what is left of the total.</summary>
    public void Restart()
    {
        if (_timeout.IsCancellationRequested)
        {
            return; // already expired: keep the deadline that did it for Describe
        }

        TimeSpan remaining = _total - _time.GetElapsedTime(_start);
        _armed = remaining <= _idle ? Deadline.Total : Deadline.Idle;
        TimeSpan next = _armed == Deadline.Total ? remaining : _idle;
        _timeout.CancelAfter(next > TimeSpan.Zero ? next : TimeSpan.Zero);
    }

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}
