using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace LlmRouter.Tests.Diagnostics;

/// <summary>LlmRouter's counters: requests by outcome, rejections by reason, fallbacks, cost — and who asked only when configured.</summary>
public sealed class RouterMetricsTests
{
    private const string KeyId = "client-chat-7f3a9b";

    private static LlmRouterOptions Options(Action<LlmRouterOptions>? configure = null)
    {
        var options = new LlmRouterOptions();
        options.Providers["flaky"] = Routers.Simulated("eu", p => (p.FailureRate, p.FailureKind) = (1.0, SimulatedFailureKind.ServerError));
        options.Providers["steady"] = Routers.Simulated("eu");
        options.Models["chat"] = new ModelOptions { Deployments = [new() { Provider = "steady", Model = "sim-chat", PriceAs = "gpt-4o-mini" }] };
        options.Models["shaky"] = new ModelOptions { Deployments = [new() { Provider = "flaky", Model = "sim-shaky", PriceAs = "gpt-4o" }], Fallbacks = ["chat"] };
        options.Models["broken"] = Routers.Model(("flaky", "sim-broken"));
        options.Tenants["acme"] = new TenantOptions();
        options.Keys[KeyId] = new KeyOptions { Tenant = "acme", Models = ["*"], Regions = ["eu"] };
        configure?.Invoke(options);
        return options;
    }

    private static ChatOptions AsKey(string model) => new ChatOptions { ModelId = model }.WithRouterKey(KeyId);

    private static RouterTelemetry TelemetryOf(LlmRouterClient router) => router.Services.GetRequiredService<RouterTelemetry>();

    [Fact]
    public async Task Requests_are_counted_by_status_reason_and_model_and_a_name_nobody_configured_is_other()
    {
        await using LlmRouterClient router = Routers.Create(Options());
        using var requests = new MetricCollector<long>(TelemetryOf(router).Meter, "llmrouter.requests");
        using var rejections = new MetricCollector<long>(TelemetryOf(router).Meter, "llmrouter.rejections");

        await router.GetResponseAsync("hi", AsKey("chat"));
        await Assert.ThrowsAsync<UnknownModelException>(() => router.GetResponseAsync("hi", AsKey("made-up-by-a-caller-1234")));
        await Assert.ThrowsAsync<UnknownKeyException>(() => router.GetResponseAsync("hi", new ChatOptions { ModelId = "chat" }.WithRouterKey("nobody")));
        await Assert.ThrowsAsync<AllDeploymentsFailedException>(() => router.GetResponseAsync("hi", AsKey("broken")));

        Assert.Collection(
            requests.GetMeasurementSnapshot(),
            served => Assert.Equal(Tags(("llmrouter.status", "served"), ("llmrouter.model.requested", "chat"), ("llmrouter.model.served", "chat"), ("llmrouter.provider", "steady")), Sorted(served.Tags)),
            unknown => Assert.Equal(Tags(("llmrouter.status", "rejected"), ("llmrouter.reason", "unknown_model"), ("llmrouter.model.requested", "_OTHER")), Sorted(unknown.Tags)),
            noKey => Assert.Equal(Tags(("llmrouter.status", "rejected"), ("llmrouter.reason", "unknown_key"), ("llmrouter.model.requested", "chat")), Sorted(noKey.Tags)),
            failed => Assert.Equal(Tags(("llmrouter.status", "failed"), ("llmrouter.reason", "all_deployments_failed"), ("llmrouter.model.requested", "broken")), Sorted(failed.Tags)));
        Assert.All(requests.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));
        Assert.Equal(["unknown_model", "unknown_key"], rejections.GetMeasurementSnapshot().Select(m => m.Tags["llmrouter.reason"]));
    }

    [Fact]
    public async Task A_fallback_is_counted_from_alias_to_alias_with_the_error_class()
    {
        await using LlmRouterClient router = Routers.Create(Options());
        using var fallbacks = new MetricCollector<long>(TelemetryOf(router).Meter, "llmrouter.fallbacks");

        RouteInfo route = (await router.GetResponseAsync("hi", AsKey("shaky"))).GetRouteInfo()!;

        Assert.Equal("chat", route.ServedModel);
        CollectedMeasurement<long> fallback = Assert.Single(fallbacks.GetMeasurementSnapshot());
        Assert.Equal(1, fallback.Value);
        Assert.Equal(Tags(("llmrouter.fallback.from", "shaky"), ("llmrouter.fallback.to", "chat"), ("error.type", "server_error")), Sorted(fallback.Tags));
    }

    [Fact]
    public async Task Cost_is_counted_in_dollars_per_priced_attempt_by_alias_and_provider()
    {
        await using LlmRouterClient router = Routers.Create(Options());
        using var cost = new MetricCollector<double>(TelemetryOf(router).Meter, "llmrouter.cost");

        RouteInfo route = (await router.GetResponseAsync("hi", AsKey("chat"))).GetRouteInfo()!;

        CollectedMeasurement<double> measured = Assert.Single(cost.GetMeasurementSnapshot());
        Assert.True(route.Cost > 0m);
        Assert.Equal((double)route.Cost!.Value, measured.Value);
        Assert.Equal(Tags(("llmrouter.model", "chat"), ("llmrouter.provider", "steady")), Sorted(measured.Tags));
    }

    [Fact]
    public async Task Key_and_tenant_are_metric_attributes_only_when_configured()
    {
        await using (LlmRouterClient quiet = Routers.Create(Options()))
        {
            using var requests = new MetricCollector<long>(TelemetryOf(quiet).Meter, "llmrouter.requests");
            await quiet.GetResponseAsync("hi", AsKey("chat"));
            Assert.DoesNotContain(requests.GetMeasurementSnapshot().SelectMany(m => m.Tags), t => t.Key is "llmrouter.key" or "llmrouter.tenant");
            Assert.DoesNotContain(requests.GetMeasurementSnapshot().SelectMany(m => m.Tags), t => Equals(t.Value, KeyId));
        }

        await using LlmRouterClient router = Routers.Create(Options(o => o.Telemetry = new TelemetryOptions { KeyAttributes = true, TenantAttributes = true }));
        using var counted = new MetricCollector<long>(TelemetryOf(router).Meter, "llmrouter.requests");
        using var cost = new MetricCollector<double>(TelemetryOf(router).Meter, "llmrouter.cost");
        await router.GetResponseAsync("hi", AsKey("chat"));

        Assert.True(counted.LastMeasurement!.ContainsTags(new KeyValuePair<string, object?>("llmrouter.key", KeyId), new KeyValuePair<string, object?>("llmrouter.tenant", "acme")));
        Assert.True(cost.LastMeasurement!.ContainsTags(new KeyValuePair<string, object?>("llmrouter.key", KeyId), new KeyValuePair<string, object?>("llmrouter.tenant", "acme")));
    }

    private static List<KeyValuePair<string, object?>> Tags(params (string Key, object? Value)[] tags) =>
        [.. tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)).OrderBy(t => t.Key, StringComparer.Ordinal)];

    private static List<KeyValuePair<string, object?>> Sorted(IReadOnlyDictionary<string, object?> tags) =>
        [.. tags.OrderBy(t => t.Key, StringComparer.Ordinal)];
}
