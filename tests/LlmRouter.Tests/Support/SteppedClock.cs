using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Support;

/// <summary>
/// A fake clock that counts the timers created on it and the timer callbacks it ran, so that <see cref="Clocked"/> can
/// tell whether a step released any work and whether that work has started waiting on the clock again.
/// </summary>
internal sealed class SteppedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _created;
    private int _fired;

    /// <summary>Gets how many timers were created so far (each delay, each timeout).</summary>
    public int TimersCreated => Volatile.Read(ref _created);

    /// <summary>Gets how many timer callbacks ran so far (a delay ended, a timeout fired).</summary>
    public int TimersFired => Volatile.Read(ref _fired);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(
            s =>
            {
                Interlocked.Increment(ref _fired);
                callback(s);
            },
            state,
            dueTime,
            period);
        Interlocked.Increment(ref _created);
        return timer;
    }
}
