using System.Diagnostics;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Tests.Diagnostics;

/// <summary>LlmRouter's own span: one per routed request, with its route, its attempts as events, and nothing secret.</summary>
public sealed class RequestSpanTests
{
    private const string KeyId = "client-chat-7f3a9b";

    private static LlmRouterOptions SimulatedWithKey(Action<LlmRouterOptions>? configure = null)
    {
        var options = new LlmRouterOptions();
        options.Providers["eu-sim"] = Routers.Simulated("eu");
        options.Models["chat"] = new ModelOptions { Deployments = [new() { Provider = "eu-sim", Model = "sim-chat", PriceAs = "gpt-4o-mini" }] };
        options.Models["other"] = Routers.Model(("eu-sim", "sim-other"));
        options.Tenants["acme"] = new TenantOptions();
        options.Keys[KeyId] = new KeyOptions { Tenant = "acme", Models = ["chat"], Regions = ["eu"] };
        configure?.Invoke(options);
        return options;
    }

    private static ChatOptions AsKey(string model) => new ChatOptions { ModelId = model }.WithRouterKey(KeyId);

    [Fact]
    public async Task A_routed_request_has_one_span_with_its_route_and_an_event_per_attempt_and_fallback()
    {
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.ServerError());
        secondary.RespondWith(WireBehavior.Reply("from the fallback", new WireUsage(12, 3)));
        LlmRouterOptions options = WireProviders.PrimaryAndSecondary(primary, secondary);
        options.Prices["gpt-secondary"] = new ModelPriceOptions { InputPerMillion = 1, OutputPerMillion = 2 };
        await using LlmRouterClient router = LlmRouterClient.Create(Routers.OpenAccess(options));
        using var recorder = ActivityRecorder.For(router);

        RouteInfo route = (await router.GetResponseAsync("hi", new ChatOptions { ModelId = "primary" })).GetRouteInfo()!;

        Activity span = Assert.Single(recorder.Requests);
        Assert.Equal(("llmrouter.request", ActivityKind.Internal, ActivityStatusCode.Unset), (span.OperationName, span.Kind, span.Status));
        Assert.Equal(route.RequestId.ToString(), span.GetTagItem("llmrouter.request.id"));
        Assert.Equal(false, span.GetTagItem("llmrouter.streaming"));
        Assert.Equal("primary", span.GetTagItem("llmrouter.model.requested"));
        Assert.Equal("secondary", span.GetTagItem("llmrouter.model.served"));
        Assert.Equal(("b", "gpt-secondary", "eu", "b/gpt-secondary"), (span.GetTagItem("llmrouter.provider"), span.GetTagItem("llmrouter.provider.model"), span.GetTagItem("llmrouter.region"), span.GetTagItem("llmrouter.deployment")));
        Assert.Equal(("served", 2), (span.GetTagItem("llmrouter.status"), span.GetTagItem("llmrouter.attempts")));
        Assert.Null(span.GetTagItem("llmrouter.reason"));
        Assert.Equal((12L, 3L), (span.GetTagItem("llmrouter.usage.input_tokens"), span.GetTagItem("llmrouter.usage.output_tokens")));
        Assert.Equal(0.000018d, (double)span.GetTagItem("llmrouter.cost.usd")!, 12);
        Assert.Equal(0.000018m, route.Cost);

        Assert.Equal(["llmrouter.attempt", "llmrouter.fallback", "llmrouter.attempt"], span.Events.Select(e => e.Name));
        ActivityEvent failed = span.Events.First();
        Assert.Equal("failed", Tag(failed, "llmrouter.outcome"));
        Assert.Equal(("primary", "a/gpt-primary", "a", "eu"), (Tag(failed, "llmrouter.model"), Tag(failed, "llmrouter.deployment"), Tag(failed, "llmrouter.provider"), Tag(failed, "llmrouter.region")));
        Assert.Equal(("server_error", 500), (Tag(failed, "error.type"), Tag(failed, "http.response.status_code")));
        ActivityEvent fallback = span.Events.ElementAt(1);
        Assert.Equal(("primary", "secondary", "server_error"), (Tag(fallback, "llmrouter.fallback.from"), Tag(fallback, "llmrouter.fallback.to"), Tag(fallback, "error.type")));
        ActivityEvent served = span.Events.Last();
        Assert.Equal(("succeeded", "b/gpt-secondary"), (Tag(served, "llmrouter.outcome"), Tag(served, "llmrouter.deployment")));
        Assert.Null(Tag(served, "error.type"));
    }

    [Fact]
    public async Task A_refusal_ends_the_span_with_an_error_status_and_a_rejection_event_and_no_key_or_tenant()
    {
        await using LlmRouterClient router = Routers.Create(SimulatedWithKey());
        using var recorder = ActivityRecorder.For(router);

        await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.GetResponseAsync("Mail alice@example.ch.", AsKey("other")));

        Activity span = Assert.Single(recorder.Requests);
        Assert.Equal((ActivityStatusCode.Error, "model_not_allowed"), (span.Status, span.StatusDescription));
        Assert.Equal(("rejected", "model_not_allowed", "model_not_allowed"), (span.GetTagItem("llmrouter.status"), span.GetTagItem("llmrouter.reason"), span.GetTagItem("error.type")));
        Assert.Equal(0, span.GetTagItem("llmrouter.attempts"));
        ActivityEvent rejected = Assert.Single(span.Events);
        Assert.Equal(("llmrouter.rejected", "model_not_allowed"), (rejected.Name, Tag(rejected, "llmrouter.reason")));
        Assert.Null(span.GetTagItem("llmrouter.tenant"));
        AssertNothingSecret(span);
    }

    [Fact]
    public async Task The_tenant_is_on_the_span_only_with_tenant_attributes_and_the_key_never_is()
    {
        await using LlmRouterClient router = Routers.Create(SimulatedWithKey(o => o.Telemetry = new TelemetryOptions { KeyAttributes = true, TenantAttributes = true }));
        using var recorder = ActivityRecorder.For(router);

        await router.GetResponseAsync("hi", AsKey("chat"));

        Activity span = Assert.Single(recorder.Requests);
        Assert.Equal("acme", span.GetTagItem("llmrouter.tenant"));
        Assert.Null(span.GetTagItem("llmrouter.key"));
        AssertNothingSecret(span);
    }

    [Fact]
    public async Task Skipped_targets_are_events_of_the_span()
    {
        LlmRouterOptions options = SimulatedWithKey(o =>
        {
            o.Providers["us-sim"] = Routers.Simulated("us");
            o.Models["chat"].Deployments.Insert(0, new DeploymentOptions { Provider = "us-sim", Model = "sim-us" });
        });
        await using LlmRouterClient router = Routers.Create(options);
        using var recorder = ActivityRecorder.For(router);

        await router.GetResponseAsync("hi", AsKey("chat"));

        Activity span = Assert.Single(recorder.Requests);
        ActivityEvent skipped = Assert.Single(span.Events, e => e.Name == "llmrouter.skipped");
        Assert.Equal(("chat", "us-sim/sim-us", "region_not_allowed"), (Tag(skipped, "llmrouter.model"), Tag(skipped, "llmrouter.deployment"), Tag(skipped, "llmrouter.skip_reason")));
        Assert.Equal(1, span.GetTagItem("llmrouter.attempts"));
    }

    [Fact]
    public async Task A_stream_span_ends_when_the_stream_is_disposed()
    {
        await using LlmRouterClient router = Routers.Create(SimulatedWithKey());
        using var recorder = ActivityRecorder.For(router);

        IAsyncEnumerator<ChatResponseUpdate> updates = router.GetStreamingResponseAsync("hi", AsKey("chat")).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync());
        Assert.Empty(recorder.Requests);
        await updates.DisposeAsync();

        Activity span = Assert.Single(recorder.Requests);
        Assert.Equal((true, "cancelled", "cancelled"), (span.GetTagItem("llmrouter.streaming"), span.GetTagItem("llmrouter.status"), span.GetTagItem("llmrouter.reason")));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("eu-sim/sim-chat", span.GetTagItem("llmrouter.deployment"));
    }

    [Fact]
    public async Task The_span_is_a_child_of_the_callers_activity_and_never_becomes_the_callers_current_one()
    {
        using var callerSource = new ActivitySource("llmrouter-tests-caller-" + Guid.NewGuid());
        await using LlmRouterClient router = Routers.Create(SimulatedWithKey());
        using var recorder = ActivityRecorder.For(router, callerSource.Name);
        using Activity caller = callerSource.StartActivity("caller")!;

        await router.GetResponseAsync("hi", AsKey("chat"));
        Assert.Same(caller, Activity.Current);
        await router.GetStreamingResponseAsync("hi", AsKey("chat")).ToChatResponseAsync();
        Assert.Same(caller, Activity.Current);

        Assert.Equal(2, recorder.Requests.Count);
        Assert.All(recorder.Requests, span => Assert.Equal((caller.TraceId, caller.SpanId), (span.TraceId, span.ParentSpanId)));
    }

    [Fact]
    public async Task The_audit_layer_owns_the_span_when_it_is_the_outermost_layer()
    {
        var store = new InMemoryAuditStore();
        await using LlmRouterClient router = Routers.Create(SimulatedWithKey(), configure: b => b.Services.AddSingleton<IAuditStore>(store));
        using var recorder = ActivityRecorder.For(router);

        RouteInfo route = (await router.GetResponseAsync("hi", AsKey("chat"))).GetRouteInfo()!;
        await router.GetStreamingResponseAsync("hi", AsKey("chat")).ToChatResponseAsync();
        await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.GetResponseAsync("hi", AsKey("other")));

        Assert.Equal(3, recorder.Requests.Count);
        Assert.Equal(route.RequestId.ToString(), recorder.Requests[0].GetTagItem("llmrouter.request.id"));
        Assert.Equal(["served", "served", "rejected"], recorder.Requests.Select(s => s.GetTagItem("llmrouter.status")));
    }

    [Fact]
    public async Task Starting_and_ending_a_request_allocates_nothing_when_nobody_listens()
    {
        await using LlmRouterClient router = Routers.Create(SimulatedWithKey());
        RouteInfo route = (await router.GetResponseAsync("hi", AsKey("chat"))).GetRouteInfo()!;
        RouterTelemetry telemetry = route.Telemetry!;
        Assert.False(telemetry.Source.HasListeners());
        telemetry.Start(route);
        telemetry.Complete(route);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            telemetry.Start(route);
            telemetry.Complete(route);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static object? Tag(ActivityEvent e, string name) => e.Tags.FirstOrDefault(t => t.Key == name).Value;

    private static void AssertNothingSecret(Activity span)
    {
        IEnumerable<string> texts = span.TagObjects.Select(t => t.Key + "=" + t.Value)
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => t.Key + "=" + t.Value)))
            .Append(span.StatusDescription ?? string.Empty)
            .Append(span.DisplayName);
        foreach (string text in texts)
        {
            Assert.DoesNotContain(KeyId, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("alice@example.ch", text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
