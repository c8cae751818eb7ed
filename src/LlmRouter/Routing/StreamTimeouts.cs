namespace LlmRouter;

/// <summary>
/// A stream's own clock: it fails when no update arrives within the idle timeout, or when the whole stream outlasts the
/// total timeout. HTTP timeouts end with the response headers, so without this a stalled stream would hang forever.
/// </summary>
internal sealed class StreamTimeouts : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _idle;
    private readonly TimeSpan _total;
    private readonly long _start;
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;

    public StreamTimeouts(RoutingOptions routing, TimeProvider timeProvider, CancellationToken callerToken)
    {
        _time = timeProvider;
        _idle = routing.StreamIdleTimeout;
        _total = routing.StreamTotalTimeout;
        _start = timeProvider.GetTimestamp();

        // Created with its first delay so that the timer comes from the given clock (a fake one in tests).
        _timeout = new CancellationTokenSource(_idle < _total ? _idle : _total, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _timeout.Token);
    }

    /// <summary>Gets the token the provider call runs with: cancelled by the caller or by a timeout.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Gets whether a timeout (not the caller) cancelled the stream.</summary>
    public bool Expired => _timeout.IsCancellationRequested;

    /// <summary>Gets which timeout expired, for the error message.</summary>
    public string Describe() =>
        _time.GetElapsedTime(_start) >= _total
            ? $"The stream did not finish within its total timeout of {_total}."
            : $"The stream sent nothing for its idle timeout of {_idle}.";

    /// <summary>Restarts the idle timeout after an update.</summary>
    public void Restart()
    {
        TimeSpan remaining = _total - _time.GetElapsedTime(_start);
        TimeSpan next = remaining < _idle ? remaining : _idle;
        _timeout.CancelAfter(next > TimeSpan.Zero ? next : TimeSpan.Zero);
    }

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}
