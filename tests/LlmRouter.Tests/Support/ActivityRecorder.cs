using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Tests.Support;

/// <summary>
/// Records the spans of one router's LlmRouter source (by instance, so tests running at the same time never see each
/// other's) and of any other sources named, as an OpenTelemetry exporter would receive them.
/// </summary>
internal sealed class ActivityRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    private ActivityRecorder(Func<ActivitySource, bool> listenTo)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = listenTo,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Gets the spans that ended, in the order they ended.</summary>
    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>Gets the router's request spans that ended.</summary>
    public IReadOnlyList<Activity> Requests => [.. _stopped.Where(a => a.Source.Name == LlmRouterTelemetry.ActivitySourceName)];

    public static ActivitySource SourceOf(LlmRouterClient router) => router.Services.GetRequiredService<RouterTelemetry>().Source;

    /// <summary>Listens to the router's own source and to the sources named.</summary>
    public static ActivityRecorder For(LlmRouterClient router, params string[] otherSources)
    {
        ActivitySource source = SourceOf(router);
        return new ActivityRecorder(s => ReferenceEquals(s, source) || otherSources.Contains(s.Name));
    }

    public void Dispose() => _listener.Dispose();
}
