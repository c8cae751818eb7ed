namespace LlmRouter;

/// <summary>
/// Durations counted in logarithmic bins 1% wide, so that percentiles over any number of requests take a few kilobytes:
/// a percentile is the middle of its bin, within 0.5% of the exact value.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double BinsPerE = 100;
    private readonly Dictionary<int, long> _bins = [];

    public long Count { get; private set; }

    public void Add(TimeSpan duration)
    {
        double microseconds = Math.Max(0, duration.Ticks / 10.0);
        int bin = (int)Math.Floor(Math.Log(microseconds + 1) * BinsPerE);
        _bins[bin] = _bins.GetValueOrDefault(bin) + 1;
        Count++;
    }

    /// <summary>The nearest-rank percentile (0 &lt; <paramref name="percent"/> ≤ 100), in milliseconds.</summary>
    public double Percentile(double percent)
    {
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * Count));
        var bins = new List<int>(_bins.Keys);
        bins.Sort();
        long seen = 0;
        foreach (int bin in bins)
        {
            seen += _bins[bin];
            if (seen >= rank)
            {
                return (Math.Exp((bin + 0.5) / BinsPerE) - 1) / 1000;
            }
        }

        return 0;
    }
}
