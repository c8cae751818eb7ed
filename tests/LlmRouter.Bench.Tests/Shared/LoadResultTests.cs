using System.Diagnostics;

namespace LlmRouter.Bench.Tests.Shared;

/// <summary>Rounds of one client's calls, made in turn with another client's, combine into one result as if made in one run.</summary>
public sealed class LoadResultTests
{
    [Fact]
    public void Combined_rounds_add_up_calls_time_allocations_work_items_and_collections_and_merge_latencies()
    {
        LoadResult first = Round(latencies: [1_000, 2_000], elapsed: TimeSpan.FromMilliseconds(3), allocated: 200, workItems: 10, collections: (1, 0, 0));
        LoadResult second = Round(latencies: [3_000, 4_000, 5_000], elapsed: TimeSpan.FromMilliseconds(7), allocated: 300, workItems: 5, collections: (2, 1, 1));

        LoadResult combined = LoadResult.Combine([first, second]);

        Assert.Equal("client", combined.Label);
        Assert.Equal(4, combined.Callers);
        Assert.Equal(5, combined.Calls);
        Assert.Equal(TimeSpan.FromMilliseconds(10), combined.Elapsed);
        Assert.Equal(500, combined.AllocatedBytes);
        Assert.Equal(100, combined.AllocatedPerCall);
        Assert.Equal(3, combined.WorkItemsPerCall);
        Assert.Equal((3, 1, 1), combined.Collections);
        Assert.Equal(TimeSpan.FromMilliseconds(2), combined.GcPause);
        Assert.Equal(500, combined.CallsPerSecond, precision: 6);
        Assert.Equal(3_000, combined.Latency.Mean, precision: 0);
        Assert.InRange(combined.Latency.Percentile(50), 2_990, 3_010);
        Assert.Equal(5_000, combined.Latency.Max);
        Assert.Equal(0, combined.FirstToken.Count);
    }

    private static LoadResult Round(long[] latencies, TimeSpan elapsed, long allocated, long workItems, (int, int, int) collections)
    {
        var latency = new LatencyHistogram();
        foreach (long nanoseconds in latencies)
        {
            latency.Record(0, (long)(nanoseconds * Stopwatch.Frequency / 1e9));
        }

        return new LoadResult
        {
            Label = "client",
            Callers = 4,
            Elapsed = elapsed,
            Latency = latency,
            FirstToken = new LatencyHistogram(),
            AllocatedBytes = allocated,
            WorkItems = workItems,
            Collections = collections,
            GcPause = TimeSpan.FromMilliseconds(1),
        };
    }
}
