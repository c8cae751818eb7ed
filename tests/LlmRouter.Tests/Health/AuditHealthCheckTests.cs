using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmRouter.Tests.Health;

/// <summary>The audit log's health check: store reachable, queue depth, degraded or unhealthy as the durability says.</summary>
public sealed class AuditHealthCheckTests
{
    private const string Name = LlmRouterHealthChecksBuilderExtensions.AuditCheckName;
    private readonly InMemoryAuditStore _store = new();

    private static LlmRouterOptions Options(Action<AuditOptions>? audit = null)
    {
        var options = new LlmRouterOptions();
        options.Providers["local"] = Routers.Simulated("eu");
        options.Models["chat"] = Routers.Model(("local", "sim-chat"));
        options.Audit.FlushInterval = TimeSpan.Zero;
        audit?.Invoke(options.Audit);
        return options;
    }

    private LlmRouterClient Router(LlmRouterOptions options) =>
        Routers.Create(options, configure: b => b.WithHealthChecks().Services.AddSingleton<IAuditStore>(_store));

    [Fact]
    public async Task Without_an_audit_store_the_check_is_healthy()
    {
        await using LlmRouterClient router = Routers.Create(Options(), configure: b => b.WithHealthChecks());

        HealthReportEntry entry = await HealthChecks.CheckAsync(router.Services, Name);

        Assert.Equal((HealthStatus.Healthy, "No audit store is registered."), (entry.Status, entry.Description));
    }

    [Fact]
    public async Task A_store_that_takes_every_batch_is_healthy_and_the_result_carries_the_queue()
    {
        await using LlmRouterClient router = Router(Options());
        await router.GetResponseAsync("hi", Routers.For("chat"));
        await _store.WaitForRecordsAsync(1);

        HealthReportEntry entry = await HealthChecks.CheckAsync(router.Services, Name);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(("Buffered", 0L, 0, 10_000, 0L, 0L), (entry.Data["durability"], entry.Data["queued"], entry.Data["in_use"], entry.Data["capacity"], entry.Data["dropped"], entry.Data["rejected"]));
    }

    [Fact]
    public async Task A_failing_store_is_degraded_while_buffered_records_wait_in_a_queue_with_room()
    {
        await using LlmRouterClient router = Router(Options(a => a.ShutdownTimeout = TimeSpan.Zero));
        _store.FailNext(int.MaxValue);
        await router.GetResponseAsync("hi", Routers.For("chat"));
        await Until.TrueAsync(() => _store.Attempts > 0, "the first write");

        HealthReportEntry entry = await HealthChecks.CheckAsync(router.Services, Name);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.StartsWith("The audit store cannot be reached (the writer's last write failed): records wait in the queue", entry.Description, StringComparison.Ordinal);
        Assert.Equal(1L, entry.Data["queued"]);
    }

    [Fact]
    public async Task A_failing_store_is_unhealthy_with_synchronous_durability()
    {
        await using LlmRouterClient router = Router(Options(a => (a.Durability, a.ShutdownTimeout) = (AuditDurability.Synchronous, TimeSpan.Zero)));
        _store.FailNext(int.MaxValue);
        await Assert.ThrowsAsync<AuditUnavailableException>(() => router.GetResponseAsync("hi", Routers.For("chat")));

        HealthReportEntry entry = await HealthChecks.CheckAsync(router.Services, Name);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.EndsWith("every call fails with audit_unavailable (Synchronous durability).", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_queue_80_percent_full_is_degraded_and_a_full_one_unhealthy()
    {
        await using LlmRouterClient router = Router(Options(a => a.QueueCapacity = 5));
        _store.Hold();
        for (int i = 0; i < 4; i++)
        {
            await router.GetResponseAsync("hi", Routers.For("chat"));
        }

        HealthReportEntry fourOfFive = await HealthChecks.CheckAsync(router.Services, Name);
        await router.GetResponseAsync("hi", Routers.For("chat"));
        HealthReportEntry full = await HealthChecks.CheckAsync(router.Services, Name);
        _store.Release();

        Assert.Equal((HealthStatus.Degraded, "The audit store answers, but the audit queue is 4 of 5 full."), (fourOfFive.Status, fourOfFive.Description));
        Assert.Equal(HealthStatus.Unhealthy, full.Status);
        Assert.Equal("The audit store answers; the audit queue is full (5 of 5): requests wait for room before they are sent.", full.Description);
        Assert.Equal(5, full.Data["in_use"]);
    }

    [Fact]
    public async Task Dropped_records_make_the_check_unhealthy_until_a_check_sees_no_new_drop()
    {
        await using LlmRouterClient router = Router(Options(a => (a.QueueCapacity, a.QueueFull) = (1, AuditQueueFullBehavior.Drop)));
        _store.Hold();
        await router.GetResponseAsync("hi", Routers.For("chat"));
        await router.GetResponseAsync("hi", Routers.For("chat"));
        _store.Release();
        await _store.WaitForRecordsAsync(1);
        await Until.TrueAsync(() => router.Services.GetRequiredService<AuditWriterStatistics>().Queued == 0, "the queue to drain");

        HealthReportEntry dropping = await HealthChecks.CheckAsync(router.Services, Name);
        HealthReportEntry after = await HealthChecks.CheckAsync(router.Services, Name);

        Assert.Equal(HealthStatus.Unhealthy, dropping.Status);
        Assert.Contains("dropped 1 record(s)", dropping.Description, StringComparison.Ordinal);
        Assert.Equal(1L, dropping.Data["dropped"]);
        Assert.Equal(HealthStatus.Healthy, after.Status);
    }
}
