using System.Diagnostics;
using System.Numerics;

namespace LlmRouter.Bench;

/// <summary>
/// Latencies of one caller, counted in a fixed array of log-linear buckets, so that recording one allocates nothing,
/// takes no lock and costs a few nanoseconds however long the run is.
/// </summary>
/// <remarks>
/// Values are nanoseconds. Below 256 ns each nanosecond has its bucket; above, each power of two is split into 128
/// buckets, so a percentile read back is within 0.4 % of the true value (the bucket's midpoint is reported). Values
/// above about 36 minutes count in the last bucket. One instance per caller; merge them once the callers are done.
/// Not thread-safe.
/// </remarks>
internal sealed class LatencyHistogram
{
    private const int ExactBelow = 256;
    private const int SubBuckets = 128;
    private const int MaxShift = 33;
    private const int BucketCount = ExactBelow + (MaxShift * SubBuckets);
    private const long MaxValue = (2L * SubBuckets << MaxShift) - 1;

    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    private readonly long[] _counts = new long[BucketCount];
    private long _sum;

    /// <summary>Gets the number of values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the mean of the recorded values, in nanoseconds (exact, not from the buckets); zero when nothing was recorded.</summary>
    public double Mean => Count > 0 ? (double)_sum / Count : 0;

    /// <summary>Gets the largest recorded value, in nanoseconds (exact).</summary>
    public long Max { get; private set; }

    /// <summary>Records the time between two <see cref="Stopwatch.GetTimestamp"/> readings.</summary>
    /// <param name="start">The earlier reading.</param>
    /// <param name="end">The later reading.</param>
    public void Record(long start, long end)
    {
        long nanoseconds = Math.Clamp((long)((end - start) * NanosecondsPerTick), 0, MaxValue);
        _counts[Index(nanoseconds)]++;
        _sum += nanoseconds;
        Max = Math.Max(Max, nanoseconds);
        Count++;
    }

    /// <summary>Adds another caller's counts to these.</summary>
    /// <param name="other">The other histogram.</param>
    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _sum += other._sum;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>Gets a percentile of the recorded values, in nanoseconds; zero when nothing was recorded.</summary>
    /// <param name="percent">The percentile, from 0 to 100.</param>
    /// <returns>The value below or at which <paramref name="percent"/> percent of the values lie.</returns>
    public double Percentile(double percent)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(Count * percent / 100));
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Midpoint(i);
            }
        }

        return Midpoint(BucketCount - 1);
    }

    private static int Index(long value)
    {
        if (value < ExactBelow)
        {
            return (int)value;
        }

        int shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - 7;
        return ExactBelow + ((shift - 1) * SubBuckets) + (int)(value >> shift) - SubBuckets;
    }

    private static double Midpoint(int index)
    {
        if (index < ExactBelow)
        {
            return index;
        }

        int shift = ((index - ExactBelow) / SubBuckets) + 1;
        long mantissa = ((index - ExactBelow) % SubBuckets) + SubBuckets;
        return (mantissa << shift) + ((1L << shift) / 2.0);
    }
}
