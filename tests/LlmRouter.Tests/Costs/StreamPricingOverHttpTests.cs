using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Costs;

/// <summary>
/// Streams priced through the real OpenAI SDK and HTTP stack, against a loopback server speaking OpenAI's wire format:
/// with the provider's usage, without it (counted, flagged estimated), and cut off half-way.
/// </summary>
public sealed class StreamPricingOverHttpTests : IAsyncLifetime
{
    // gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out (reasoning too), per million tokens.
    private OpenAIWireServer _server = null!;

    public async Task InitializeAsync() => _server = await OpenAIWireServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmRouterClient Router()
    {
        var options = new LlmRouterOptions();
        options.Providers["openai"] = WireProviders.OpenAI(_server);
        options.Models["mini"] = WireProviders.Alias("openai", "gpt-4o-mini");
        return LlmRouterClient.Create(Routers.OpenAccess(options));
    }

    [Fact]
    public async Task A_stream_with_usage_is_priced_from_the_provider_s_counts_cached_and_reasoning_included()
    {
        _server.RespondWith(WireBehavior.Reply("The ledger balances.", new WireUsage(PromptTokens: 1200, CompletionTokens: 300, CachedTokens: 1000, ReasoningTokens: 200)));
        await using LlmRouterClient router = Router();

        RouteInfo route = (await router.GetStreamingResponseAsync("Does the ledger balance?", new ChatOptions { ModelId = "mini" }).ToChatResponseAsync()).GetRouteInfo()!;

        Assert.Equal(new TokenUsage { InputTokens = 200, CachedInputTokens = 1000, OutputTokens = 100, ReasoningTokens = 200 }, route.Tokens);
        Assert.False(route.TokensEstimated);

        // 200 × 0.15 + 1,000 × 0.075 + (100 + 200) × 0.60 = 30 + 75 + 180 = 285 per million.
        Assert.Equal(0.000285m, route.Cost);
    }

    [Fact]
    public async Task A_stream_without_usage_is_counted_and_the_count_matches_the_tokenizer_on_the_streamed_text()
    {
        const string answer = "Die Bilanz ist ausgeglichen: Aktiven CHF 1'250'000, Passiven CHF 1'250'000. 🚀 Nothing to book.";
        _server.RespondWith(WireBehavior.Reply(answer) with { Usage = null });
        await using LlmRouterClient router = Router();

        ChatResponse response = await router.GetStreamingResponseAsync("Does the ledger balance?", new ChatOptions { ModelId = "mini" }).ToChatResponseAsync();
        RouteInfo route = response.GetRouteInfo()!;

        Assert.Equal(answer, response.Text);
        long output = PricingFixtures.O200k.CountTokens(response.Text);
        long input = PricingFixtures.PromptTokens("Does the ledger balance?");
        Assert.Equal(new TokenUsage { InputTokens = input, OutputTokens = output }, route.Tokens);
        Assert.True(route.TokensEstimated);
        Assert.Equal(((input * 0.15m) + (output * 0.6m)) / 1_000_000m, route.Cost);
    }

    [Fact]
    public async Task A_stream_cut_off_half_way_is_priced_for_what_was_received()
    {
        _server.RespondWith(WireBehavior.Reply("one two three four five six seven eight nine ten") with { Kind = WireBehaviorKind.AbortAfter, AfterChunks = 5 });
        await using LlmRouterClient router = Router();

        var received = new List<string>();
        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("Count to ten.", new ChatOptions { ModelId = "mini" }))
            {
                received.Add(update.Text);
            }
        });

        Assert.True(error.OutputStarted);
        Assert.NotEmpty(string.Concat(received));
        RouteAttempt attempt = error.Attempt;
        long output = PricingFixtures.O200k.CountTokens(string.Concat(received));
        Assert.Equal(output, attempt.Tokens.OutputTokens);
        Assert.True(attempt.TokensEstimated);
        Assert.Equal(((PricingFixtures.PromptTokens("Count to ten.") * 0.15m) + (output * 0.6m)) / 1_000_000m, error.Route!.Cost);
    }
}
