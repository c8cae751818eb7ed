using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace LlmRouter.Tests.Audit;

/// <summary>
/// Every request leaves exactly one record, also one that ends before it is sent or whose record is hard to build — the
/// one exception being a request refused because the queue was full with Reject.
/// </summary>
public sealed class AuditEveryRequestTests
{
    private readonly InMemoryAuditStore _store = new();

    private static LlmRouterOptions Options(Action<AuditOptions>? audit = null)
    {
        var options = new LlmRouterOptions();
        options.Providers["local"] = Routers.Simulated("eu");
        options.Models["chat"] = Routers.Model(("local", "gpt-4o-mini"));
        audit?.Invoke(options.Audit);
        return options;
    }

    private LlmRouterClient Router(LlmRouterOptions options, Action<LlmRouterBuilder>? configure = null) =>
        Routers.Create(options, configure: builder =>
        {
            builder.Services.AddSingleton<IAuditStore>(_store);
            builder.Services.AddLogging(logging => logging.AddFakeLogging());
            configure?.Invoke(builder);
        });

    [Fact]
    public async Task A_request_whose_token_is_already_cancelled_is_recorded_as_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await using (LlmRouterClient router = Router(Options()))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.GetResponseAsync("Hello", Routers.For("chat"), cancelled.Token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.GetStreamingResponseAsync("Hello", Routers.For("chat"), cancelled.Token).ToChatResponseAsync());
        }

        Assert.Equal(
            [(false, RouteStatus.Cancelled, ReasonCodes.Cancelled), (true, RouteStatus.Cancelled, ReasonCodes.Cancelled)],
            _store.Records.Select(r => (r.Streaming, r.Status, r.ReasonCode)).Order());
    }

    [Fact]
    public async Task A_request_cancelled_while_it_waits_for_room_in_a_full_queue_is_recorded_as_cancelled()
    {
        _store.Hold();
        var scripted = new ScriptedChatClient();
        LlmRouterOptions options = Options(a => (a.QueueCapacity, a.QueueFull, a.FlushInterval) = (1, AuditQueueFullBehavior.Wait, TimeSpan.Zero));
        options.Providers["custom"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Models["chat"] = Routers.Model(("custom", "m"));
        RouteInfo? waiting = null;
        await using (LlmRouterClient router = Router(options, b => b.AddProvider("custom", scripted)))
        {
            await router.GetResponseAsync("first", Routers.For("chat"));
            await Until.TrueAsync(() => _store.Attempts == 1);
            using var cancel = new CancellationTokenSource();
            Task<ChatResponse> second = router.GetResponseAsync("second", Routers.For("chat").OnRouteStarted(route => waiting = route), cancel.Token);
            AuditWriterStatistics statistics = router.Services.GetRequiredService<AuditWriterStatistics>();
            await Until.TrueAsync(() => statistics.Waited == 1);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
            _store.Release();
        }

        Assert.Equal(1, scripted.Calls);
        AuditRecord record = Assert.Single(_store.Records, r => r.Id == waiting!.RequestId);
        Assert.Equal((RouteStatus.Cancelled, ReasonCodes.Cancelled), (record.Status, record.ReasonCode));
        Assert.Empty(record.Attempts);
        Assert.Equal(2, _store.Records.Count);
    }

    [Fact]
    public async Task A_request_whose_OnRouteStarted_callback_throws_is_recorded_as_a_caller_error_and_not_sent()
    {
        var scripted = new ScriptedChatClient();
        LlmRouterOptions options = Options();
        options.Providers["custom"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "ch" };
        options.Models["chat"] = Routers.Model(("custom", "m"));
        var ids = new List<Guid>();
        ChatOptions Throwing() => Routers.For("chat").OnRouteStarted(route =>
        {
            ids.Add(route.RequestId);
            throw new InvalidOperationException("the response has already started");
        });

        await using (LlmRouterClient router = Router(options, b => b.AddProvider("custom", scripted)))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => router.GetResponseAsync("Hello", Throwing()));
            await Assert.ThrowsAsync<InvalidOperationException>(() => router.GetStreamingResponseAsync("Hello", Throwing()).ToChatResponseAsync());
        }

        Assert.Equal(0, scripted.Calls);
        Assert.Equal(ids.Order(), _store.Records.Select(r => r.Id).Order());
        Assert.All(_store.Records, r => Assert.Equal((RouteStatus.Failed, ReasonCodes.CallerError, "the response has already started"), (r.Status, r.ReasonCode, r.ErrorMessage)));
    }

    [Fact]
    public async Task A_content_redactor_that_throws_leaves_the_record_without_content_and_says_so()
    {
        LlmRouterClient router = Router(Options(a => a.Content = AuditContentMode.Redacted), b => b.Services.AddSingleton<IAuditContentRedactor>(new ThrowingRedactor()));
        FakeLogCollector logs = router.Services.GetFakeLogCollector();
        await using (router)
        {
            await router.GetResponseAsync("My IBAN is CH93 0076 2011 6238 5295 7", Routers.For("chat"));
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((RouteStatus.Served, AuditContentMode.None, (string?)null, (string?)null), (record.Status, record.ContentMode, record.RequestContent, record.ResponseContent));
        FakeLogRecord error = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 1309);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.DoesNotContain("CH93", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_that_cannot_be_built_is_replaced_by_one_with_the_requests_identity_and_an_unknown_cost()
    {
        RouteInfo route;
        await using (LlmRouterClient router = Router(Options()))
        {
            var audit = (AuditChatClient)router.GetService(typeof(AuditChatClient))!;
            audit.BuildRecord = (_, _, _, _) => throw new InvalidOperationException("a bug");
            route = (await router.GetResponseAsync("Hello", Routers.For("chat"))).GetRouteInfo()!;
        }

        AuditRecord record = Assert.Single(_store.Records);
        Assert.Equal((route.RequestId, RouteStatus.Served, "chat", true), (record.Id, record.Status, record.RequestedModel, record.PriceUnknown));
        Assert.Equal("The audit record could not be built (InvalidOperationException): its attempts, tokens and cost are missing.", record.ErrorMessage);
    }

    [Fact]
    public async Task Without_a_store_the_router_says_at_start_up_that_requests_are_not_recorded()
    {
        using LlmRouterClient unrecorded = Routers.Create(Options(), configure: b => b.Services.AddLogging(l => l.AddFakeLogging()));
        using LlmRouterClient off = Routers.Create(Options(a => a.Enabled = false), configure: b => b.Services.AddLogging(l => l.AddFakeLogging()));
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddFakeLogging());
        services.AddLlmRouter(o =>
        {
            o.Providers["local"] = Routers.Simulated("eu");
            o.Models["chat"] = Routers.Model(("local", "gpt-4o-mini"));
            Routers.OpenAccess(o);
        });
        await using ServiceProvider hosted = services.BuildServiceProvider();
        foreach (IHostedService service in hosted.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        FakeLogRecord warning = Assert.Single(unrecorded.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1311);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith("Requests are not recorded: no audit store is registered. Register one with AddLlmRouter(...).AddSqliteStores(", warning.Message, StringComparison.Ordinal);
        Assert.Single(hosted.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1311);
        Assert.DoesNotContain(off.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 1311);
    }

    private sealed class ThrowingRedactor : IAuditContentRedactor
    {
        public string Redact(string text, RouteInfo route, SecretRedactor secrets) => throw new FormatException("could not parse " + text);
    }
}
