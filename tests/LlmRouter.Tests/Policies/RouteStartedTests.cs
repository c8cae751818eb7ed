using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Tests.Policies;

/// <summary>
/// The route handed over as the request enters the router, so an application can pass the request id (its audit record's
/// id) on before a stream has ended — an HTTP header goes out before the first token.
/// </summary>
public class RouteStartedTests
{
    [Fact]
    public async Task A_stream_reports_its_route_before_the_first_update_with_the_id_its_last_update_carries()
    {
        await using var router = PolicyRouter.Create();
        RouteInfo? started = null;
        ChatOptions options = PolicyRouter.As(PolicyRouter.ClientKey, "mistral-eu-large").OnRouteStarted(route => started = route);

        IAsyncEnumerable<ChatResponseUpdate> stream = router.Router.GetStreamingResponseAsync("Summarize the ledger.", options);
        Assert.NotNull(started);
        Assert.Equal(0, router.Calls);
        Assert.Equal((true, "mistral-eu-large"), (started.Streaming, started.RequestedModel));
        Guid id = started.RequestId;

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in stream)
        {
            updates.Add(update);
        }

        Assert.Same(started, updates[^1].GetRouteInfo());
        Assert.Equal((id, RouteStatus.Served, "mistral-eu-large"), (started.RequestId, started.Status, started.ServedModel));
    }

    [Fact]
    public async Task Once_a_streams_first_update_arrives_its_route_names_the_deployment_serving_it_after_a_fallback()
    {
        await using var router = PolicyRouter.Create(options => options.Models["mistral-eu-large"].Fallbacks = ["mistral-eu-small"]);
        router.Providers["eu"].Then(new TimeoutException());
        RouteInfo? started = null;
        ChatOptions options = PolicyRouter.As(PolicyRouter.ClientKey, "mistral-eu-large").OnRouteStarted(route => started = route);

        await using IAsyncEnumerator<ChatResponseUpdate> updates = router.Router.GetStreamingResponseAsync("Summarize the ledger.", options).GetAsyncEnumerator();
        Assert.Null(started!.ServedModel);
        Assert.True(await updates.MoveNextAsync());

        Assert.Equal(("mistral-eu-small", "eu2", "eu"), (started.ServedModel, started.Provider, started.Region));
        Assert.Equal(RouteStatus.Pending, started.Status);
    }

    [Fact]
    public async Task With_the_audit_layer_a_stream_reports_its_route_when_requested_before_any_provider_is_called_with_its_records_id()
    {
        var store = new InMemoryAuditStore();
        var provider = new ScriptedChatClient();
        var options = new LlmRouterOptions();
        options.Providers["eu"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
        options.Models["chat"] = Routers.Model(("eu", "chat-1"));
        options.Audit.Durability = AuditDurability.Synchronous;
        await using LlmRouterClient router = Routers.Create(options, configure: b => b.AddProvider("eu", provider).Services.AddSingleton<IAuditStore>(store));
        RouteInfo? started = null;
        int callsWhenStarted = -1;

        IAsyncEnumerable<ChatResponseUpdate> stream = router.GetStreamingResponseAsync("Hi.", Routers.For("chat").OnRouteStarted(route =>
        {
            started = route;
            callsWhenStarted = provider.Calls;
        }));
        Assert.NotNull(started);
        await foreach (ChatResponseUpdate update in stream)
        {
        }

        Assert.Equal(0, callsWhenStarted);
        Assert.Equal(started!.RequestId, Assert.Single(store.Records).Id);
    }

    [Fact]
    public async Task A_refused_request_reports_the_route_its_refusal_carries_and_the_callback_never_reaches_a_provider()
    {
        await using var router = PolicyRouter.Create();
        var started = new List<RouteInfo>();
        ChatOptions refused = PolicyRouter.As(PolicyRouter.ClientKey, "gpt-4o").OnRouteStarted(started.Add);
        ChatOptions served = PolicyRouter.As(PolicyRouter.ClientKey, "mistral-eu-large").OnRouteStarted(started.Add);

        var refusal = await Assert.ThrowsAsync<ModelNotAllowedException>(() => router.Router.GetResponseAsync("Hi.", refused));
        ChatResponse response = await router.Router.GetResponseAsync("Hi.", served);

        Assert.Equal([refusal.Route!, response.GetRouteInfo()!], started);
        ChatOptions? sent = Assert.Single(router.Providers["eu"].SeenOptions);
        Assert.False(sent?.AdditionalProperties?.ContainsKey("LlmRouter.RouteStarted") ?? false);
        Assert.True(served.AdditionalProperties!.ContainsKey("LlmRouter.RouteStarted"));
    }
}
