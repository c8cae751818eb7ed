using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Support;

/// <summary>
/// A fake clock that counts the timers created on it, so a test can wait until a delay has actually started before it
/// advances the clock past it.
/// </summary>
internal sealed class CountingTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    private int _timers;

    public FakeTimeProvider Fake => inner;

    public int TimersCreated => Volatile.Read(ref _timers);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = inner.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timers);
        return timer;
    }

    public void Advance(TimeSpan delta) => inner.Advance(delta);

    /// <summary>Completes when at least <paramref name="count"/> timers have been created (a delay or wait has begun).</summary>
    public Task WaitForTimersAsync(int count) => Until.TrueAsync(() => TimersCreated >= count);
}
