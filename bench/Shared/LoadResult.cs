namespace LlmRouter.Bench;

/// <summary>What one load run measured: its calls, their latencies, and what the process allocated and collected meanwhile.</summary>
internal sealed class LoadResult
{
    /// <summary>Gets what was called, as the report names it.</summary>
    public required string Label { get; init; }

    /// <summary>Gets the number of concurrent callers.</summary>
    public required int Callers { get; init; }

    /// <summary>Gets the number of calls completed.</summary>
    public long Calls => Latency.Count;

    /// <summary>Gets the time from the callers' start to the last call's end.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Gets the latency of each whole call (for a stream: until its last update was read).</summary>
    public required LatencyHistogram Latency { get; init; }

    /// <summary>Gets the time from each streamed call's start to its first token; empty for calls that are not streamed.</summary>
    public required LatencyHistogram FirstToken { get; init; }

    /// <summary>Gets the bytes the whole process allocated during the run, on every thread (background work included).</summary>
    public required long AllocatedBytes { get; init; }

    /// <summary>Gets the garbage collections of generations 0, 1 and 2 during the run.</summary>
    public required (int Gen0, int Gen1, int Gen2) Collections { get; init; }

    /// <summary>Gets the time the garbage collector paused the process during the run.</summary>
    public required TimeSpan GcPause { get; init; }

    /// <summary>Gets the work items the thread pool completed during the run (each hop of an awaited continuation onto the pool counts one).</summary>
    public required long WorkItems { get; init; }

    /// <summary>Gets the calls completed per second.</summary>
    public double CallsPerSecond => Elapsed > TimeSpan.Zero ? Calls / Elapsed.TotalSeconds : 0;

    /// <summary>Gets the bytes allocated per call.</summary>
    public double AllocatedPerCall => Calls > 0 ? (double)AllocatedBytes / Calls : 0;

    /// <summary>Gets the thread-pool work items per call.</summary>
    public double WorkItemsPerCall => Calls > 0 ? (double)WorkItems / Calls : 0;

    /// <summary>Combines runs of the same calls made in rounds (interleaved with another client's) into one result.</summary>
    /// <param name="rounds">The rounds, at least one, all with the same label and callers.</param>
    /// <returns>The rounds' calls, times, allocations and collections added up.</returns>
    public static LoadResult Combine(IReadOnlyList<LoadResult> rounds)
    {
        var latency = new LatencyHistogram();
        var firstToken = new LatencyHistogram();
        TimeSpan elapsed = TimeSpan.Zero, pause = TimeSpan.Zero;
        long allocated = 0, workItems = 0;
        (int Gen0, int Gen1, int Gen2) collections = (0, 0, 0);
        foreach (LoadResult round in rounds)
        {
            latency.Add(round.Latency);
            firstToken.Add(round.FirstToken);
            elapsed += round.Elapsed;
            pause += round.GcPause;
            allocated += round.AllocatedBytes;
            workItems += round.WorkItems;
            collections = (collections.Gen0 + round.Collections.Gen0, collections.Gen1 + round.Collections.Gen1, collections.Gen2 + round.Collections.Gen2);
        }

        return new LoadResult
        {
            Label = rounds[0].Label,
            Callers = rounds[0].Callers,
            Elapsed = elapsed,
            Latency = latency,
            FirstToken = firstToken,
            AllocatedBytes = allocated,
            WorkItems = workItems,
            Collections = collections,
            GcPause = pause,
        };
    }
}
