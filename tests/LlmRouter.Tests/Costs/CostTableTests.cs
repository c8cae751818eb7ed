using LlmRouter.Tests.Support;

namespace LlmRouter.Tests.Costs;

/// <summary>
/// Real models from the built-in catalog, priced by hand: the expected cost of each row is written out from the
/// provider's published per-million prices, never computed by the code under test.
/// </summary>
public class CostTableTests
{
    public static TheoryData<string, long, long, long, long, long, decimal> Calls => new()
    {
        // model, uncached input, cached input, cache write, output, reasoning, expected USD
        // OpenAI gpt-4o: $2.50 in, $1.25 cached, $10 out.  10,000×2.5 + 2,000×1.25 + 500×10 = 25,000 + 2,500 + 5,000 = 32,500 / 1M
        { "gpt-4o", 10_000, 2_000, 0, 500, 0, 0.0325m },
        // gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out.  1,200×0.15 + 800×0.075 + 300×0.6 = 180 + 60 + 180 = 420 / 1M
        { "gpt-4o-mini", 1_200, 800, 0, 300, 0, 0.00042m },
        // gpt-4.1: $2 in, $0.50 cached, $8 out.  50,000×2 + 50,000×0.5 + 1,000×8 = 100,000 + 25,000 + 8,000 = 133,000 / 1M
        { "gpt-4.1", 50_000, 50_000, 0, 1_000, 0, 0.133m },
        // o3 (reasoning billed as output): $2 in, $8 out.  2,000×2 + (400 + 3,600)×8 = 4,000 + 32,000 = 36,000 / 1M
        { "o3", 2_000, 0, 0, 400, 3_600, 0.036m },
        // gpt-5: $1.25 in, $0.125 cached, $10 out (reasoning too).  8,000×1.25 + 24,000×0.125 + 700×10 + 2,300×10 = 10,000 + 3,000 + 7,000 + 23,000 = 43,000 / 1M
        { "gpt-5", 8_000, 24_000, 0, 700, 2_300, 0.043m },
        // Anthropic claude-sonnet-4-5: $3 in, $0.30 cache read, $3.75 cache write, $15 out.
        // 1,000×3 + 10,000×0.3 + 4,000×3.75 + 600×15 = 3,000 + 3,000 + 15,000 + 9,000 = 30,000 / 1M
        { "claude-sonnet-4-5", 1_000, 10_000, 4_000, 600, 0, 0.03m },
        // claude-sonnet-4-5 above 200k prompt tokens: $6 in, $0.60 read, $7.50 write, $22.50 out for the whole call.
        // 150,000×6 + 60,000×0.6 + 0 + 1,000×22.5 = 900,000 + 36,000 + 22,500 = 958,500 / 1M
        { "claude-sonnet-4-5", 150_000, 60_000, 0, 1_000, 0, 0.9585m },
        // claude-haiku-4-5: $1 in, $0.10 read, $1.25 write, $5 out.  3,000×1 + 20,000×0.1 + 2,000×1.25 + 1,000×5 = 3,000 + 2,000 + 2,500 + 5,000 = 12,500 / 1M
        { "claude-haiku-4-5", 3_000, 20_000, 2_000, 1_000, 0, 0.0125m },
        // claude-opus-4-1: $15 in, $75 out.  1,000×15 + 1,000×75 = 90,000 / 1M
        { "claude-opus-4-1", 1_000, 0, 0, 1_000, 0, 0.09m },
        // Mistral mistral-large-latest: $0.50 in, $1.50 out.  40,000×0.5 + 2,000×1.5 = 20,000 + 3,000 = 23,000 / 1M
        { "mistral/mistral-large-latest", 40_000, 0, 0, 2_000, 0, 0.023m },
        // mistral-small-latest: $0.06 in, $0.18 out.  100,000×0.06 + 10,000×0.18 = 6,000 + 1,800 = 7,800 / 1M
        { "mistral/mistral-small-latest", 100_000, 0, 0, 10_000, 0, 0.0078m },
        // Google gemini-2.5-pro up to 200k: $1.25 in, $0.125 cached, $10 out.  100,000×1.25 + 50,000×0.125 + 2,000×10 = 125,000 + 6,250 + 20,000 = 151,250 / 1M
        { "gemini/gemini-2.5-pro", 100_000, 50_000, 0, 2_000, 0, 0.15125m },
        // gemini-2.5-pro above 200k: $2.50 in, $0.25 cached, $15 out.  250,000×2.5 + 0 + 4,000×15 = 625,000 + 60,000 = 685,000 / 1M
        { "gemini/gemini-2.5-pro", 250_000, 0, 0, 4_000, 0, 0.685m },
        // gemini-2.5-flash with thinking: $0.30 in, $0.03 cached, $2.50 out and thinking.  10,000×0.3 + 10,000×0.03 + 1,000×2.5 + 3,000×2.5 = 3,000 + 300 + 2,500 + 7,500 = 13,300 / 1M
        { "gemini/gemini-2.5-flash", 10_000, 10_000, 0, 1_000, 3_000, 0.0133m },
        // DeepSeek deepseek-chat: $0.28 in (cache miss), $0.028 cache hit, $0.42 out.  5,000×0.28 + 45,000×0.028 + 1,000×0.42 = 1,400 + 1,260 + 420 = 3,080 / 1M
        { "deepseek/deepseek-chat", 5_000, 45_000, 0, 1_000, 0, 0.00308m },
        // deepseek-reasoner: reasoning at the output price.  2,000×0.28 + 500×0.42 + 4,500×0.42 = 560 + 210 + 1,890 = 2,660 / 1M
        { "deepseek/deepseek-reasoner", 2_000, 0, 0, 500, 4_500, 0.00266m },
        // Alibaba qwen-plus (2025-04-28) thinks at a price of its own: $0.40 in, $1.20 out, $4 reasoning.
        // 6,000×0.4 + 800×1.2 + 2,500×4 = 2,400 + 960 + 10,000 = 13,360 / 1M
        { "dashscope/qwen-plus-2025-04-28", 6_000, 0, 0, 800, 2_500, 0.01336m },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void A_call_costs_its_tokens_at_the_catalog_price(string model, long input, long cached, long written, long output, long reasoning, decimal expected)
    {
        ModelPrice price = PriceCatalog.BuiltIn.Find(model) ?? throw new InvalidOperationException($"'{model}' is not in the catalog");
        var usage = new TokenUsage { InputTokens = input, CachedInputTokens = cached, CacheWriteTokens = written, OutputTokens = output, ReasoningTokens = reasoning };

        Assert.Equal(expected, price.Cost(usage));
    }

    [Fact]
    public void The_long_context_tier_applies_to_the_whole_call_only_above_its_threshold()
    {
        ModelPrice price = PriceCatalog.BuiltIn.Find("claude-sonnet-4-5")!;

        // Exactly 200,000 prompt tokens is still the base tier: 200,000 × $3 = $0.60.
        Assert.Equal(0.6m, price.Cost(new TokenUsage { InputTokens = 200_000 }));

        // One more token moves every token to the long-context rate: 200,001 × $6 = $1.200006.
        Assert.Equal(1.200006m, price.Cost(new TokenUsage { InputTokens = 200_001 }));
    }

    [Fact]
    public void Audit_records_share_a_prices_rates_per_tier_and_hold_the_rates_that_apply()
    {
        ModelPrice price = PriceCatalog.BuiltIn.Find("claude-sonnet-4-5")!;
        long above = price.Tiers[0].AboveInputTokens;

        Assert.Same(price.SharedRatesFor(10), price.SharedRatesFor(above));
        Assert.Same(price.SharedRatesFor(above + 1), price.SharedRatesFor(above + 2));
        Assert.Equal(price.RatesFor(10), price.SharedRatesFor(10).Rates);
        Assert.Equal(price.RatesFor(above + 1), price.SharedRatesFor(above + 1).Rates);
        Assert.Equal(price.RatesFor(above + 1), new AuditAttempt { Model = "m", SharedPrices = price.SharedRatesFor(above + 1) }.Prices);
        Assert.Null(new AuditRecord { Id = Guid.Empty }.Prices);
    }

    [Fact]
    public async Task A_reasoning_price_set_in_configuration_is_charged_for_reasoning_tokens_not_the_output_price()
    {
        LlmRouterOptions options = PricingFixtures.OneModel("thinker", "house-reasoner");
        options.Prices["house-reasoner"] = new ModelPriceOptions { InputPerMillion = 1, CachedInputPerMillion = 0.25m, OutputPerMillion = 4, ReasoningPerMillion = 12 };
        await using LlmRouterClient router = LlmRouterClient.Create(Routers.OpenAccess(options));
        ModelPrice price = router.Services.GetRoutingTable().Models["thinker"].Deployments[0].Price!;

        // 10,000×1 + 4,000×0.25 + 500×4 + 3,000×12 = 10,000 + 1,000 + 2,000 + 36,000 = 49,000 / 1M
        Assert.Equal(0.049m, price.Cost(new TokenUsage { InputTokens = 10_000, CachedInputTokens = 4_000, OutputTokens = 500, ReasoningTokens = 3_000 }));
        Assert.Equal((4m, 12m), (price.Rates.OutputPerMillion, price.Rates.ReasoningPerMillion));
    }

    [Fact]
    public void Money_is_exact_decimal_without_rounding()
    {
        ModelPrice price = PriceCatalog.BuiltIn.Find("gpt-4o-mini")!;

        // One cached token at $0.075 per million.
        Assert.Equal(0.000000075m, price.Cost(new TokenUsage { CachedInputTokens = 1 }));
    }
}
