using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace LlmRouter.Benchmarks;

/// <summary>
/// What estimating a prompt costs, by prompt size: the two safe bounds the per-request path uses, the tokenizer counts
/// it falls back to only when a bound would change a decision, and the context-window check as a request runs it.
/// </summary>
[MemoryDiagnoser]
public class TokenEstimateBenchmarks
{
    private ChatMessage[] _messages = [];
    private ChatOptions _options = new();
    private Deployment _gpt4o = null!;

    [Params(1, 10, 100)]
    public int PromptKB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _messages = [new ChatMessage(ChatRole.System, "You are a careful assistant for a Swiss fiduciary."), new ChatMessage(ChatRole.User, PromptText.OfSize(PromptKB * 1024))];
        _options = new ChatOptions { MaxOutputTokens = 1000 };
        PriceCatalogEntry entry = PriceCatalog.BuiltIn.Resolve("gpt-4o", [])!;
        _gpt4o = new Deployment("chat", 0, "openai", ProviderKind.OpenAI, "us", "gpt-4o", 1, new SimulatedChatClient(new ProviderOptions { Kind = ProviderKind.Simulated, Region = "us" }), new DeploymentHealth("openai/gpt-4o", TimeProvider.System))
        {
            Price = entry.Price,
            MaxInputTokens = entry.MaxInputTokens,
            MaxOutputTokens = entry.MaxOutputTokens,
            Tokenizer = TokenCounting.ChoiceFor("gpt-4o"),
        };

        // Tokenizers are created once per process; do not time their creation.
        _ = TokenCounting.For(TokenEncoding.O200kBase).CountTokens("warm up");
        _ = TokenCounting.For(TokenEncoding.Cl100kBase).CountTokens("warm up");
    }

    [Benchmark(Description = "bound: string lengths")]
    public long CharBound() => PromptMeasure.CharBound(_messages, _options).Tokens;

    [Benchmark(Description = "bound: UTF-8 bytes")]
    public long ByteBound() => PromptMeasure.ByteBound(_messages, _options).Tokens;

    [Benchmark(Baseline = true, Description = "count: o200k_base")]
    public long CountO200k() => PromptMeasure.Count(_messages, _options, TokenCounting.For(TokenEncoding.O200kBase));

    [Benchmark(Description = "count: cl100k_base")]
    public long CountCl100k() => PromptMeasure.Count(_messages, _options, TokenCounting.For(TokenEncoding.Cl100kBase));

    /// <summary>The per-request path: a new route, the context-window check on gpt-4o (128,000 tokens), and the worst-case cost a budget reserves.</summary>
    [Benchmark(Description = "request: window check + worst case")]
    public decimal? ContextWindowCheckAndWorstCase()
    {
        var route = new RouteInfo(TimeProvider.System, streaming: false, "chat");
        route.AttachRequest(_messages, _options);
        if (ContextWindowGate.Instance.Screen(route, _gpt4o) is not null)
        {
            throw new InvalidOperationException("The prompt should fit gpt-4o's window.");
        }

        decimal? worstCase = route.Estimate.WorstCaseCost(_gpt4o);
        if (route.Estimate.Tokenizations != 0)
        {
            throw new InvalidOperationException("The per-request path tokenized a prompt no decision needed counted.");
        }

        return worstCase;
    }
}
