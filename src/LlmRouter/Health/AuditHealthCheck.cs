using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LlmRouter;

/// <summary>
/// The audit log's health: whether its store answers, and how full the audit writer's queue is.
/// </summary>
/// <remarks>
/// <para>
/// Unhealthy when the queue is full (requests wait, are refused or lose their record, as <see cref="AuditOptions.QueueFull"/>
/// says), when records were dropped or requests refused for want of room since the last check, or when the store cannot
/// be reached in <see cref="AuditDurability.Synchronous"/> mode (every call fails). Degraded when the store cannot be
/// reached in <see cref="AuditDurability.Buffered"/> mode while the queue has room (records wait and are retried), or when
/// the queue is at least <see cref="DegradedQueueShare"/> full. The store is unreachable when its probe
/// (<see cref="IStoreProbe"/>) fails or the writer's last write failed.
/// </para>
/// <para>The result's data: durability, queued records, places in use, capacity, dropped, refused and failed writes. Thread-safe.</para>
/// </remarks>
internal sealed class AuditHealthCheck : IHealthCheck
{
    /// <summary>The share of the queue in use from which the audit log is degraded: 80 %.</summary>
    public const double DegradedQueueShare = 0.8;

    private readonly IServiceProvider _services;
    private long _dropped;
    private long _rejected;

    public AuditHealthCheck(IServiceProvider services) => _services = services;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        AuditOptions? options = _services.GetService<IOptions<LlmRouterOptions>>()?.Value.Audit;
        if (options is not { Enabled: true } || _services.GetService<IAuditStore>() is not { } store)
        {
            return HealthCheckResult.Healthy(options is { Enabled: false } ? "Auditing is off (Audit:Enabled is false)." : "No audit store is registered.");
        }

        AuditWriter writer = _services.GetRequiredService<AuditWriter>();
        string? unreachable = await StoreReachability.ProbeAsync(store, cancellationToken).ConfigureAwait(false);
        if (unreachable is null && writer.IsFailing)
        {
            unreachable = "the writer's last write failed";
        }

        AuditWriterStatistics statistics = writer.Statistics;
        long dropped = statistics.Dropped;
        long rejected = statistics.Rejected;
        bool dropping = dropped > Interlocked.Exchange(ref _dropped, dropped) | rejected > Interlocked.Exchange(ref _rejected, rejected);
        int capacity = options.QueueCapacity;
        int inUse = writer.PlacesInUse;
        var data = new Dictionary<string, object>
        {
            ["durability"] = options.Durability.ToString(),
            ["queued"] = statistics.Queued,
            ["in_use"] = inUse,
            ["capacity"] = capacity,
            ["dropped"] = dropped,
            ["rejected"] = rejected,
            ["write_failures"] = statistics.WriteFailures,
        };

        string storeState = unreachable is null ? "The audit store answers" : "The audit store cannot be reached (" + unreachable + ")";
        if (inUse >= capacity)
        {
            return HealthCheckResult.Unhealthy($"{storeState}; the audit queue is full ({inUse} of {capacity}): requests {QueueFullEffect(options)}.", data: data);
        }

        if (dropping)
        {
            return HealthCheckResult.Unhealthy($"{storeState}; since the last check the full audit queue dropped {dropped} record(s) and refused {rejected} request(s) in all.", data: data);
        }

        if (unreachable is not null)
        {
            return options.Durability == AuditDurability.Synchronous
                ? HealthCheckResult.Unhealthy($"{storeState}: every call fails with audit_unavailable (Synchronous durability).", data: data)
                : HealthCheckResult.Degraded($"{storeState}: records wait in the queue ({inUse} of {capacity} places in use) and are retried.", data: data);
        }

        return inUse >= capacity * DegradedQueueShare
            ? HealthCheckResult.Degraded($"{storeState}, but the audit queue is {inUse} of {capacity} full.", data: data)
            : HealthCheckResult.Healthy($"{storeState}; {statistics.Queued} record(s) queued, {inUse} of {capacity} places in use.", data: data);
    }

    private static string QueueFullEffect(AuditOptions options) => options.QueueFull switch
    {
        AuditQueueFullBehavior.Reject => "are refused with audit_unavailable",
        AuditQueueFullBehavior.Drop => "are served and their records dropped",
        _ => "wait for room before they are sent",
    };
}
