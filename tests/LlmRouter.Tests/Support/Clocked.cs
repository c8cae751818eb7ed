using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Support;

/// <summary>Drives calls whose delays run on a fake clock: advances it in steps until the awaited work completes.</summary>
internal static class Clocked
{
    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> work, TimeSpan step)
    {
        while (!work.IsCompleted)
        {
            time.Advance(step);

            // A continuation the step released (one that reads the clock, say to measure latency) runs on the thread pool:
            // give it a moment of real time before the clock moves again, or a busy machine sees time pass that did not.
            await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(2)));
        }

        return await work;
    }

    public static async Task<List<ChatResponseUpdate>> ReadAllAsync(FakeTimeProvider time, IAsyncEnumerable<ChatResponseUpdate> stream, TimeSpan step)
    {
        var updates = new List<ChatResponseUpdate>();
        await using IAsyncEnumerator<ChatResponseUpdate> enumerator = stream.GetAsyncEnumerator();
        while (true)
        {
            ValueTask<bool> next = enumerator.MoveNextAsync();
            while (!next.IsCompleted)
            {
                time.Advance(step);
                await Task.Yield();
            }

            if (!await next)
            {
                return updates;
            }

            updates.Add(enumerator.Current);
        }
    }
}
