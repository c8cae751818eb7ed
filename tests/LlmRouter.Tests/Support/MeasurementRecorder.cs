using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace LlmRouter.Tests.Support;

/// <summary>
/// Records the measurements of an instrument across every meter of a name — where <c>MetricCollector</c> follows one
/// instrument, and Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c> makes a meter per client.
/// </summary>
internal sealed class MeasurementRecorder<T> : IDisposable
    where T : struct
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, object?>> _tags = new();

    public MeasurementRecorder(string meterName, string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<T>((_, _, tags, _) => _tags.Enqueue(new Dictionary<string, object?>(tags.ToArray())));
        _listener.Start();
    }

    /// <summary>Gets the attributes of each measurement, in the order they were recorded.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Measurements => [.. _tags];

    public void Dispose() => _listener.Dispose();
}
