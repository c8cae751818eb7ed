using System.Globalization;

namespace LlmRouter.Bench;

/// <summary>
/// Prints load runs side by side: the bare client's run, the router's run over the same client, and what the router
/// added — the difference at the same percentile, in bytes allocated per call and in thread-pool work items per call
/// (each continuation that hops onto the pool counts one: a hop the router adds shows there, and costs a thread wake-up
/// when the pool is idle).
/// </summary>
internal static class LoadReport
{
    private const string RowFormat = "{0,-30}{1,11}{2,11}{3,10}{4,10}{5,10}{6,10}{7,10}{8,10}{9,10}{10,12}{11,12}{12,14}{13,10}";

    /// <summary>Writes the table's header.</summary>
    /// <param name="output">Where to write.</param>
    public static void Header(TextWriter output) =>
        output.WriteLine(Row("", "calls", "calls/s", "mean", "p50", "p99", "p99.9", "max", "1st p50", "1st p99", "alloc/call", "pool/call", "GCs 0/1/2", "GC pause"));

    /// <summary>Writes a run's row. The first-token columns are blank for calls that are not streamed.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="result">The run.</param>
    public static void Write(TextWriter output, LoadResult result)
    {
        bool streamed = result.FirstToken.Count > 0;
        output.WriteLine(Row(
            result.Label,
            Number(result.Calls),
            Number(result.CallsPerSecond),
            Time(result.Latency.Mean),
            Time(result.Latency.Percentile(50)),
            Time(result.Latency.Percentile(99)),
            Time(result.Latency.Percentile(99.9)),
            Time(result.Latency.Max),
            streamed ? Time(result.FirstToken.Percentile(50)) : "-",
            streamed ? Time(result.FirstToken.Percentile(99)) : "-",
            Bytes(result.AllocatedPerCall),
            Items(result.WorkItemsPerCall),
            string.Create(CultureInfo.InvariantCulture, $"{result.Collections.Gen0}/{result.Collections.Gen1}/{result.Collections.Gen2}"),
            Time(result.GcPause.TotalNanoseconds)));
    }

    /// <summary>Writes what the second run added to the first: the differences at each percentile and per call.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="label">The row's name.</param>
    /// <param name="bare">The run without the router.</param>
    /// <param name="router">The run through the router.</param>
    public static void Difference(TextWriter output, string label, LoadResult bare, LoadResult router)
    {
        bool streamed = bare.FirstToken.Count > 0 && router.FirstToken.Count > 0;
        output.WriteLine(Row(
            label,
            "",
            Percent((router.CallsPerSecond / bare.CallsPerSecond) - 1),
            Time(router.Latency.Mean - bare.Latency.Mean, signed: true),
            Time(router.Latency.Percentile(50) - bare.Latency.Percentile(50), signed: true),
            Time(router.Latency.Percentile(99) - bare.Latency.Percentile(99), signed: true),
            Time(router.Latency.Percentile(99.9) - bare.Latency.Percentile(99.9), signed: true),
            "",
            streamed ? Time(router.FirstToken.Percentile(50) - bare.FirstToken.Percentile(50), signed: true) : "-",
            streamed ? Time(router.FirstToken.Percentile(99) - bare.FirstToken.Percentile(99), signed: true) : "-",
            Bytes(router.AllocatedPerCall - bare.AllocatedPerCall, signed: true),
            Items(router.WorkItemsPerCall - bare.WorkItemsPerCall, signed: true),
            "",
            ""));
    }

    /// <summary>Writes the machine and runtime the numbers were measured on.</summary>
    /// <param name="output">Where to write.</param>
    public static void Environment(TextWriter output) =>
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"machine: {System.Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {System.Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC{(System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch ? string.Empty : " (concurrent)")}"));

    /// <summary>Formats a time in nanoseconds with a unit that keeps three significant digits.</summary>
    /// <param name="nanoseconds">The time.</param>
    /// <param name="signed">Whether to show a plus sign on a positive value (a difference).</param>
    /// <returns>The text.</returns>
    public static string Time(double nanoseconds, bool signed = false)
    {
        if (nanoseconds == 0)
        {
            return "0";
        }

        double magnitude = Math.Abs(nanoseconds);
        (double value, string unit) = magnitude switch
        {
            < 1e3 => (nanoseconds, "ns"),
            < 1e6 => (nanoseconds / 1e3, "µs"),
            < 1e9 => (nanoseconds / 1e6, "ms"),
            _ => (nanoseconds / 1e9, "s"),
        };
        string format = Math.Abs(value) < 10 ? "0.00" : Math.Abs(value) < 100 ? "0.0" : "0";
        return (signed && nanoseconds > 0 ? "+" : "") + value.ToString(format, CultureInfo.InvariantCulture) + " " + unit;
    }

    private static string Bytes(double bytes, bool signed = false) =>
        (signed && bytes > 0 ? "+" : "") + bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";

    private static string Items(double items, bool signed = false) =>
        (signed && items > 0 ? "+" : "") + items.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) =>
        (fraction > 0 ? "+" : "") + (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Row(params object[] cells) => string.Format(CultureInfo.InvariantCulture, RowFormat, cells);
}
