using System.Diagnostics;

namespace LlmRouter.Bench.Tests.Shared;

/// <summary>The bench programs' latency histogram reads percentiles back within its stated resolution.</summary>
public sealed class LatencyHistogramTests
{
    private static readonly double TicksPerNanosecond = Stopwatch.Frequency / 1e9;

    [Fact]
    public void Percentiles_are_within_half_a_percent_of_the_exact_values()
    {
        var histogram = new LatencyHistogram();
        long[] values = new long[100_000];
        var random = new Random(42);
        for (int i = 0; i < values.Length; i++)
        {
            // Log-uniform from 100 ns to 100 ms: the range a call's latency spans.
            values[i] = (long)Math.Pow(10, 2 + (random.NextDouble() * 6));
            histogram.Record(0, Ticks(values[i]));
        }

        Array.Sort(values);
        foreach (double percent in new[] { 1, 50, 90, 99, 99.9 })
        {
            long exact = values[(int)Math.Ceiling(values.Length * percent / 100) - 1];
            Assert.InRange(histogram.Percentile(percent), exact * 0.995, exact * 1.005);
        }

        Assert.Equal(values.Length, histogram.Count);
        Assert.Equal(values[^1], histogram.Max, tolerance: values[^1] * 0.001);
        Assert.Equal(values.Average(), histogram.Mean, tolerance: values.Average() * 0.001);
    }

    [Fact]
    public void Short_latencies_are_exact_and_merged_histograms_add_up()
    {
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        for (int i = 1; i <= 100; i++)
        {
            (i % 2 == 0 ? first : second).Record(0, Ticks(i));
        }

        first.Add(second);

        Assert.Equal(100, first.Count);
        Assert.Equal(50, first.Percentile(50), tolerance: 1);
        Assert.Equal(99, first.Percentile(99), tolerance: 1);
        Assert.Equal(100, first.Max, tolerance: 1);
        Assert.Equal(0, new LatencyHistogram().Percentile(50));
    }

    private static long Ticks(long nanoseconds) => (long)Math.Round(nanoseconds * TicksPerNanosecond);
}
