using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Support;

/// <summary>
/// Drives calls whose delays run on a fake clock: advances it in steps until the awaited work completes — without
/// real-time waits, so what the work measures on the clock is the same on every run, however busy the machine.
/// </summary>
/// <remarks>
/// Each step runs on the calling thread with no synchronization context. A delay that ends during a step therefore runs
/// what it released (the router reading the clock to measure a latency, the next chunk, the next delay) inline, up to
/// the next wait on the clock, before the step returns: the clock never moves while released work is still running.
/// The work must wait on nothing but the clock (Simulated providers, not HTTP servers).
/// </remarks>
internal static class Clocked
{
    /// <summary>How far the clock may be moved for one piece of work before it is taken to hang.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromHours(1);

    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> work, TimeSpan step)
    {
        Advance(time, step, () => work.IsCompleted);
        return await work;
    }

    public static async Task<List<ChatResponseUpdate>> ReadAllAsync(FakeTimeProvider time, IAsyncEnumerable<ChatResponseUpdate> stream, TimeSpan step)
    {
        var updates = new List<ChatResponseUpdate>();
        await using IAsyncEnumerator<ChatResponseUpdate> enumerator = stream.GetAsyncEnumerator();
        while (true)
        {
            ValueTask<bool> next = enumerator.MoveNextAsync();
            Advance(time, step, () => next.IsCompleted);
            if (!await next)
            {
                return updates;
            }

            updates.Add(enumerator.Current);
        }
    }

    private static void Advance(FakeTimeProvider time, TimeSpan step, Func<bool> done)
    {
        SynchronizationContext? context = SynchronizationContext.Current;

        // Continuations are only run inline where no synchronization context (a test framework's) would get them.
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            for (TimeSpan moved = TimeSpan.Zero; !done(); moved += step)
            {
                if (moved > Limit)
                {
                    throw new TimeoutException($"The work did not complete within {Limit} on the fake clock: it waits on something else.");
                }

                time.Advance(step);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }
}
