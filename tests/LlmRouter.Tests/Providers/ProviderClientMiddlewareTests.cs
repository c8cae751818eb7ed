using System.Diagnostics;
using System.Diagnostics.Metrics;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmRouter.Tests.Providers;

/// <summary>
/// Microsoft.Extensions.AI middleware on each provider client (<c>ConfigureProviderClients</c>): the real
/// <c>OpenTelemetryChatClient</c> sees every attempt inside the fallback loop, under the provider's configured name.
/// </summary>
public sealed class ProviderClientMiddlewareTests
{
    private static readonly ChatOptions Primary = new() { ModelId = "primary" };

    /// <summary>The usual primary-and-secondary router with <c>UseOpenTelemetry()</c> on each provider client, on the given source.</summary>
    private static LlmRouterClient WithAttemptSpans(OpenAIWireServer primary, OpenAIWireServer secondary, string genAi) =>
        LlmRouterClient.Create(
            Routers.OpenAccess(WireProviders.PrimaryAndSecondary(primary, secondary)),
            b => b.ConfigureProviderClients((provider, client) => client.UseOpenTelemetry(sourceName: genAi)));

    [Fact]
    public async Task A_fallback_shows_two_chat_spans_with_the_configured_provider_names_inside_the_request_span()
    {
        string genAi = "llmrouter-tests-gen-ai-" + Guid.NewGuid();
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.ServerError());
        secondary.RespondWith(WireBehavior.Reply("from the fallback"));
        await using LlmRouterClient router = WithAttemptSpans(primary, secondary, genAi);
        using var recorder = ActivityRecorder.For(router, genAi);
        using var durations = new MeasurementRecorder<double>(genAi, "gen_ai.client.operation.duration");
        using var tokens = new MeasurementRecorder<int>(genAi, "gen_ai.client.token.usage");

        RouteInfo route = (await router.GetResponseAsync("hi", Primary)).GetRouteInfo()!;

        Assert.Equal("secondary", route.ServedModel);
        Activity request = Assert.Single(recorder.Requests);
        List<Activity> chats = [.. recorder.Stopped.Where(a => a.Source.Name == genAi)];
        Assert.Equal(2, chats.Count);
        Assert.All(chats, chat => Assert.Equal((request.TraceId, request.SpanId), (chat.TraceId, chat.ParentSpanId)));
        Assert.Equal(["a", "b"], chats.Select(c => c.GetTagItem("gen_ai.provider.name")));
        Assert.Equal(["gpt-primary", "gpt-secondary"], chats.Select(c => c.GetTagItem("gen_ai.request.model")));
        Assert.Equal([ActivityStatusCode.Error, ActivityStatusCode.Unset], chats.Select(c => c.Status));

        // Microsoft.Extensions.AI measures each attempt once; LlmRouter adds none of the gen_ai instruments.
        Assert.Equal(["a", "b"], durations.Measurements.Select(m => m["gen_ai.provider.name"]));
        Assert.Equal(["b", "b"], tokens.Measurements.Select(m => m["gen_ai.provider.name"]));
        Assert.Equal(["input", "output"], tokens.Measurements.Select(m => m["gen_ai.token.type"]).Order());
        IReadOnlyList<string> ours = InstrumentsOf(router.Services.GetRequiredService<RouterTelemetry>().Meter);
        Assert.Equal(["llmrouter.budget.remaining", "llmrouter.cost", "llmrouter.fallbacks", "llmrouter.rejections", "llmrouter.requests"], ours);
    }

    [Fact]
    public async Task A_streamed_fallback_shows_a_chat_span_per_attempt_too()
    {
        string genAi = "llmrouter-tests-gen-ai-" + Guid.NewGuid();
        await using var primary = await OpenAIWireServer.StartAsync();
        await using var secondary = await OpenAIWireServer.StartAsync();
        primary.RespondWith(WireBehavior.RateLimited());
        await using LlmRouterClient router = WithAttemptSpans(primary, secondary, genAi);
        using var recorder = ActivityRecorder.For(router, genAi);

        ChatResponse response = await router.GetStreamingResponseAsync("hi", Primary).ToChatResponseAsync();

        Assert.Equal(WireBehavior.DefaultText, response.Text);
        Activity request = Assert.Single(recorder.Requests);
        List<Activity> chats = [.. recorder.Stopped.Where(a => a.Source.Name == genAi)];
        Assert.Equal(["a", "b"], chats.Select(c => c.GetTagItem("gen_ai.provider.name")));
        Assert.All(chats, chat => Assert.Equal(request.SpanId, chat.ParentSpanId));
    }

    [Fact]
    public async Task Custom_providers_get_the_middleware_under_their_configured_name_and_keep_the_usage_format_of_their_sdk()
    {
        string genAi = "llmrouter-tests-gen-ai-" + Guid.NewGuid();
        var options = new LlmRouterOptions();
        options.Providers["claude-eu"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
        options.Providers["local"] = Routers.Simulated("eu");
        options.Models["assistant"] = new ModelOptions { Deployments = [new() { Provider = "claude-eu", Model = "claude-haiku" }], Fallbacks = ["spare"] };
        options.Models["spare"] = Routers.Model(("local", "sim-spare"));
        var configured = new List<string>();
        await using LlmRouterClient router = Routers.Create(options, configure: b => b
            .AddProvider("claude-eu", new AnthropicShapedChatClient())
            .ConfigureProviderClients((provider, client) => configured.Add(provider))
            .ConfigureProviderClients((provider, client) => client.UseOpenTelemetry(sourceName: genAi)));
        using var recorder = ActivityRecorder.For(router, genAi);

        await router.GetResponseAsync("hi", Routers.For("assistant"));

        Assert.Equal(["claude-eu", "local"], configured.Order(StringComparer.Ordinal));
        Assert.Equal("claude-eu", Assert.Single(recorder.Stopped, a => a.Source.Name == genAi).GetTagItem("gen_ai.provider.name"));
        RoutingTable table = router.Services.GetRequiredService<RoutingTableProvider>().Current;
        Assert.True(table.TryGetModel("assistant", out ModelGroup? assistant));
        Assert.Equal(UsageFormat.Anthropic, assistant.Deployments[0].UsageFormat);
    }

    private static IReadOnlyList<string> InstrumentsOf(Meter meter)
    {
        var names = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    names.Add(instrument.Name);
                }
            },
        };
        listener.Start();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Stands for the Anthropic SDK's client: it names itself <c>anthropic</c>, as LlmRouter's usage normalization reads.</summary>
    private sealed class AnthropicShapedChatClient : IChatClient
    {
        private readonly ChatClientMetadata _metadata = new("anthropic", new Uri("https://api.anthropic.com/"));

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi")) { ModelId = options?.ModelId, Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 } });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
