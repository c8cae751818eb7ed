using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Support;

/// <summary>
/// Drives calls whose delays run on a fake clock: advances it in steps until the awaited work completes, and never
/// while work a step released is still running — so what the work measures on the clock is the same on every run,
/// however busy the machine.
/// </summary>
/// <remarks>
/// <para>
/// Each step runs on the calling thread with no synchronization context, so a delay that ends runs what it released
/// (the router reading the clock to measure a latency, the next chunk, the next delay) inline, up to the next wait on
/// the clock, before the step returns. Work that continues elsewhere (a cancellation resumes on the thread pool) is
/// waited for until it ends or waits on the clock again: a timer created after the step.
/// </para>
/// <para>The work must wait on nothing but the clock (Simulated providers, not HTTP servers).</para>
/// </remarks>
internal static class Clocked
{
    /// <summary>How far the clock may be moved for one piece of work before it is taken to hang.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromHours(1);

    public static async Task<T> RunAsync<T>(SteppedClock time, Task<T> work, TimeSpan step)
    {
        await AdvanceUntilAsync(time, step, () => work.IsCompleted);
        return await work;
    }

    public static async Task<List<ChatResponseUpdate>> ReadAllAsync(SteppedClock time, IAsyncEnumerable<ChatResponseUpdate> stream, TimeSpan step)
    {
        var updates = new List<ChatResponseUpdate>();
        await using IAsyncEnumerator<ChatResponseUpdate> enumerator = stream.GetAsyncEnumerator();
        while (true)
        {
            ValueTask<bool> next = enumerator.MoveNextAsync();
            await AdvanceUntilAsync(time, step, () => next.IsCompleted);
            if (!await next)
            {
                return updates;
            }

            updates.Add(enumerator.Current);
        }
    }

    /// <summary>Advances the clock step by step until <paramref name="done"/> says the awaited work is.</summary>
    public static async Task AdvanceUntilAsync(SteppedClock time, TimeSpan step, Func<bool> done)
    {
        for (TimeSpan moved = TimeSpan.Zero; !done(); moved += step)
        {
            if (moved > Limit)
            {
                throw new TimeoutException($"The work did not complete within {Limit} on the fake clock: it waits on something else.");
            }

            int created = time.TimersCreated;
            int fired = time.TimersFired;
            StepInline(time, step);
            if (time.TimersFired != fired)
            {
                await Until.TrueAsync(() => done() || time.TimersCreated > created, "the work the clock released to end or wait on the clock again");
            }
        }
    }

    private static void StepInline(SteppedClock time, TimeSpan step)
    {
        // Continuations are only run inline where no synchronization context (a test framework's) would get them.
        SynchronizationContext? context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            time.Advance(step);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }
}
