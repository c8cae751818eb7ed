using System.Diagnostics.Tracing;
using System.Globalization;

namespace LlmRouter.Bench;

/// <summary>
/// Samples what the process allocates, by type, while it is enabled: listens to the runtime's <c>GCAllocationTick</c>
/// event, which the garbage collector raises each time about 100 KB more has been allocated, naming the type whose
/// allocation crossed the threshold. Over a run of a million calls that is tens of thousands of samples, so each type's
/// share of the samples is its share of the bytes, within a percent — the allocation profile of a load run without an
/// external profiler.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int GcKeyword = 0x1;

    private readonly Dictionary<string, long> _samples = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile bool _recording;

    /// <summary>Starts counting samples.</summary>
    public void Start() => _recording = true;

    /// <summary>Stops counting samples.</summary>
    public void Stop() => _recording = false;

    /// <summary>Writes the types that took the most samples, with their share of the bytes and of each call.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="bytesPerCall">The bytes the run allocated per call, shared out by the types' shares.</param>
    /// <param name="top">How many types to write.</param>
    public void Write(TextWriter output, double bytesPerCall, int top = 20)
    {
        KeyValuePair<string, long>[] types;
        lock (_gate)
        {
            types = [.. _samples];
        }

        long total = 0;
        foreach (KeyValuePair<string, long> type in types)
        {
            total += type.Value;
        }

        Array.Sort(types, static (a, b) => b.Value.CompareTo(a.Value));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocations by type ({total:N0} samples of ~100 KB; bytes per call shared out by samples):"));
        for (int i = 0; i < Math.Min(top, types.Length); i++)
        {
            double share = (double)types[i].Value / total;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {share,7:P1} {share * bytesPerCall,8:N0} B  {types[i].Key}"));
        }
    }

    /// <inheritdoc/>
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    /// <inheritdoc/>
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        int index = eventData.PayloadNames?.IndexOf("TypeName") ?? -1;
        string type = index >= 0 && eventData.Payload[index] is string name ? name : "?";
        lock (_gate)
        {
            _samples[type] = _samples.GetValueOrDefault(type) + 1;
        }
    }
}
