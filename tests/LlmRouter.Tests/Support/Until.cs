using System.Diagnostics;

namespace LlmRouter.Tests.Support;

/// <summary>Waits for a condition another thread will make true (a background writer's progress), yielding in between; fails after 30 seconds of real time.</summary>
internal static class Until
{
    public static async Task TrueAsync(Func<bool> condition, string? what = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("Gave up waiting" + (what is null ? "." : " for " + what + "."));
            }

            await Task.Yield();
        }
    }
}
