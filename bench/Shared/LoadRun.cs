using System.Diagnostics;

namespace LlmRouter.Bench;

/// <summary>
/// Runs N concurrent callers, each making one call after another, until a deadline or a number of calls is reached, and
/// measures them without disturbing them: each caller records into its own preallocated histogram between two
/// <see cref="Stopwatch.GetTimestamp"/> readings; nothing is allocated, locked or formatted per call.
/// </summary>
/// <remarks>
/// Each caller is an async loop on the thread pool that yields its thread before every call, as a request handler
/// gives it back between requests, so that N callers share the cores fairly even when every call completes without
/// waiting (the zero-latency Simulated provider). The yield is outside the timed part of the call. Allocations and
/// collections are the whole process's (background work such as the audit writer included), read before the callers
/// start and after the last one ends.
/// </remarks>
internal static class LoadRun
{
    /// <summary>Runs the callers.</summary>
    /// <param name="label">What is called, as the report names it.</param>
    /// <param name="call">One call.</param>
    /// <param name="callers">The number of concurrent callers.</param>
    /// <param name="duration">How long the callers keep calling; <see cref="TimeSpan.Zero"/> for no time limit.</param>
    /// <param name="calls">How many calls the callers make together; zero for no count limit.</param>
    /// <returns>What was measured.</returns>
    public static async Task<LoadResult> RunAsync(string label, LoadCall call, int callers, TimeSpan duration, long calls)
    {
        if (duration <= TimeSpan.Zero && calls <= 0)
        {
            throw new ArgumentException("A load run needs a duration or a number of calls.");
        }

        var latencies = new LatencyHistogram[callers];
        var firstTokens = new LatencyHistogram[callers];
        for (int i = 0; i < callers; i++)
        {
            latencies[i] = new LatencyHistogram();
            firstTokens[i] = new LatencyHistogram();
        }

        var quota = new CallQuota(calls);
        (int Gen0, int Gen1, int Gen2) collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        TimeSpan pause = GC.GetTotalPauseDuration();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        long workItems = ThreadPool.CompletedWorkItemCount;
        long start = Stopwatch.GetTimestamp();
        long deadline = duration > TimeSpan.Zero ? start + (long)(duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var running = new Task[callers];
        for (int i = 0; i < callers; i++)
        {
            LatencyHistogram latency = latencies[i];
            LatencyHistogram firstToken = firstTokens[i];
            running[i] = Task.Run(() => CallAsync(call, latency, firstToken, deadline, quota));
        }

        await Task.WhenAll(running);
        long end = Stopwatch.GetTimestamp();
        var result = new LoadResult
        {
            Label = label,
            Callers = callers,
            Elapsed = Stopwatch.GetElapsedTime(start, end),
            Latency = Merge(latencies),
            FirstToken = Merge(firstTokens),
            AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated,
            WorkItems = ThreadPool.CompletedWorkItemCount - workItems,
            Collections = (GC.CollectionCount(0) - collections.Gen0, GC.CollectionCount(1) - collections.Gen1, GC.CollectionCount(2) - collections.Gen2),
            GcPause = GC.GetTotalPauseDuration() - pause,
        };
        return result;
    }

    private static async Task CallAsync(LoadCall call, LatencyHistogram latency, LatencyHistogram firstToken, long deadline, CallQuota quota)
    {
        while (true)
        {
            await Task.Yield();
            if (!quota.TryTake())
            {
                return;
            }

            long start = Stopwatch.GetTimestamp();
            long first = await call();
            long end = Stopwatch.GetTimestamp();
            latency.Record(start, end);
            if (first != 0)
            {
                firstToken.Record(start, first);
            }

            if (end >= deadline)
            {
                return;
            }
        }
    }

    private static LatencyHistogram Merge(LatencyHistogram[] histograms)
    {
        var merged = new LatencyHistogram();
        foreach (LatencyHistogram histogram in histograms)
        {
            merged.Add(histogram);
        }

        return merged;
    }

    /// <summary>The calls the callers may still make together; unlimited (and then never contended) when no count was given.</summary>
    private sealed class CallQuota(long calls)
    {
        private readonly bool _limited = calls > 0;
        private long _remaining = calls;

        public bool TryTake() => !_limited || Interlocked.Decrement(ref _remaining) >= 0;
    }
}
