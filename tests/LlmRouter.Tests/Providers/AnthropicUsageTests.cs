using System.Net;
using System.Text;
using Anthropic;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Providers;

/// <summary>
/// Usage as the official Anthropic SDK's <c>AsIChatClient()</c> reports it — the real SDK reading a Messages API answer
/// with prompt caching — normalized and priced by LlmRouter: cache reads and writes at their own rates, never as input.
/// </summary>
public sealed class AnthropicUsageTests
{
    // The Messages API's answer, field for field; its usage as Anthropic documents it for a call that read 8,000 tokens
    // from the cache and wrote 2,000 to it.
    private const string Message = """
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"text","text":"The ledger balances."}],"stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":50,"cache_creation_input_tokens":2000,"cache_read_input_tokens":8000,"output_tokens":400,"service_tier":"standard"}}
        """;

    [Fact]
    public async Task The_official_SDKs_usage_is_priced_with_cache_reads_and_writes_at_their_own_rates()
    {
        using var http = new HttpClient(new AnswerHandler(Message));
        using IChatClient claude = new AnthropicClient { ApiKey = "sk-ant-test", HttpClient = http, BaseUrl = "http://127.0.0.1:9", MaxRetries = 0 }.AsIChatClient();
        var options = new LlmRouterOptions();
        options.Providers["claude"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
        options.Models["sonnet"] = Routers.Model(("claude", "claude-sonnet-4-5"));
        await using LlmRouterClient router = Routers.Create(options, configure: b => b.AddProvider("claude", claude));

        ChatResponse response = await router.GetResponseAsync("Summarize the ledger.", Routers.For("sonnet"));

        // The SDK's own shape: input_tokens + cache reads + cache writes as the input, reads as cached, writes beside.
        Assert.Equal((10_050L, 8000L, 2000L), (response.Usage!.InputTokenCount, response.Usage.CachedInputTokenCount, response.Usage.AdditionalCounts!["CacheCreationInputTokens"]));
        RouteInfo route = response.GetRouteInfo()!;
        Assert.Equal(new TokenUsage { InputTokens = 50, CachedInputTokens = 8000, CacheWriteTokens = 2000, OutputTokens = 400 }, route.Tokens);

        // claude-sonnet-4-5: $3 in, $0.30 cache read, $3.75 cache write, $15 out per million:
        // 50×3 + 8,000×0.30 + 2,000×3.75 + 400×15 = 150 + 2,400 + 7,500 + 6,000 = 16,050 / 1M.
        Assert.Equal(0.01605m, route.Cost);
        Assert.False(route.TokensEstimated);
    }

    [Theory]
    [InlineData("AnthropicClient")]
    [InlineData("VertexAIClient")]
    public async Task The_community_SDKs_clients_are_recognized_by_name_and_their_uncached_input_is_not_reduced(string providerName)
    {
        // Anthropic.SDK (tghamm) is not available here: its client is stood in for by one with the same metadata name and
        // the usage its ChatClientHelper.CreateUsageDetails builds (written from its source) for input_tokens 20,000,
        // cache reads 8,000, cache writes 2,000 and 400 output tokens.
        using var claude = new ShapedClient(providerName, new UsageDetails
        {
            InputTokenCount = 20_000,
            OutputTokenCount = 400,
            AdditionalCounts = new() { ["CacheCreationInputTokens"] = 2000, ["CacheReadInputTokens"] = 8000 },
        });
        var options = new LlmRouterOptions();
        options.Providers["claude"] = new ProviderOptions { Kind = ProviderKind.Custom, Region = "eu" };
        options.Models["sonnet"] = Routers.Model(("claude", "claude-sonnet-4-5"));
        await using LlmRouterClient router = Routers.Create(options, configure: b => b.AddProvider("claude", claude));

        RouteInfo route = (await router.GetResponseAsync("Summarize the ledger.", Routers.For("sonnet"))).GetRouteInfo()!;

        Assert.Equal(new TokenUsage { InputTokens = 20_000, CachedInputTokens = 8000, CacheWriteTokens = 2000, OutputTokens = 400 }, route.Tokens);

        // 20,000×3 + 8,000×0.30 + 2,000×3.75 + 400×15 = 60,000 + 2,400 + 7,500 + 6,000 = 75,900 / 1M.
        Assert.Equal(0.0759m, route.Cost);
    }

    /// <summary>A chat client with a provider name and a usage shape.</summary>
    private sealed class ShapedClient(string providerName, UsageDetails usage) : IChatClient
    {
        private readonly ChatClientMetadata _metadata = new(providerName);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "The ledger balances.")) { Usage = usage });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(ChatClientMetadata) ? _metadata : null;

        public void Dispose()
        {
        }
    }

    /// <summary>Answers every request with the same JSON body, as the Messages API would.</summary>
    private sealed class AnswerHandler(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
