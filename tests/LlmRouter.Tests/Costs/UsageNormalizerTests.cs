using Microsoft.Extensions.AI;

namespace LlmRouter.Tests.Costs;

/// <summary>
/// Usage as each provider's client reports it, normalized into disjoint kinds. The shapes are those of real responses:
/// the provider's wire usage is quoted, then mapped into <see cref="UsageDetails"/> the way that provider's
/// Microsoft.Extensions.AI client maps it.
/// </summary>
public class UsageNormalizerTests
{
    [Fact]
    public void OpenAI_counts_cached_tokens_inside_the_input_and_reasoning_inside_the_output()
    {
        // "usage": {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
        //           "prompt_tokens_details": {"cached_tokens": 1920}, "completion_tokens_details": {"reasoning_tokens": 256}}
        var usage = new UsageDetails { InputTokenCount = 2006, OutputTokenCount = 300, TotalTokenCount = 2306, CachedInputTokenCount = 1920, ReasoningTokenCount = 256 };

        TokenUsage tokens = UsageNormalizer.Normalize(usage, UsageFormat.OpenAI);

        Assert.Equal(new TokenUsage { InputTokens = 86, CachedInputTokens = 1920, OutputTokens = 44, ReasoningTokens = 256 }, tokens);
        Assert.Equal(2306, tokens.TotalTokens);
    }

    [Fact]
    public void DeepSeek_through_the_OpenAI_wire_format_is_normalized_like_OpenAI()
    {
        // "usage": {"prompt_tokens": 1300, "completion_tokens": 900, "prompt_cache_hit_tokens": 1200, "prompt_cache_miss_tokens": 100,
        //           "prompt_tokens_details": {"cached_tokens": 1200}, "completion_tokens_details": {"reasoning_tokens": 700}}
        var usage = new UsageDetails { InputTokenCount = 1300, OutputTokenCount = 900, CachedInputTokenCount = 1200, ReasoningTokenCount = 700 };

        Assert.Equal(new TokenUsage { InputTokens = 100, CachedInputTokens = 1200, OutputTokens = 200, ReasoningTokens = 700 }, UsageNormalizer.Normalize(usage, UsageFormat.OpenAI));
    }

    [Fact]
    public void Anthropic_reports_cache_reads_and_writes_inside_its_client_input_count()
    {
        // Messages API: "usage": {"input_tokens": 50, "cache_creation_input_tokens": 2000, "cache_read_input_tokens": 8000, "output_tokens": 400}
        // The Anthropic SDK's AsIChatClient() reports InputTokenCount = 50 + 2000 + 8000, CachedInputTokenCount = 8000,
        // AdditionalCounts["CacheCreationInputTokens"] = 2000, OutputTokenCount = 400 (thinking included).
        var usage = new UsageDetails
        {
            InputTokenCount = 10_050,
            CachedInputTokenCount = 8000,
            OutputTokenCount = 400,
            TotalTokenCount = 10_450,
            AdditionalCounts = new() { ["CacheCreationInputTokens"] = 2000 },
        };

        TokenUsage tokens = UsageNormalizer.Normalize(usage, UsageFormat.Anthropic);

        Assert.Equal(new TokenUsage { InputTokens = 50, CachedInputTokens = 8000, CacheWriteTokens = 2000, OutputTokens = 400 }, tokens);
    }

    [Fact]
    public void Anthropic_usage_normalized_as_OpenAI_would_bill_cache_writes_as_plain_input()
    {
        var usage = new UsageDetails { InputTokenCount = 10_050, CachedInputTokenCount = 8000, OutputTokenCount = 400, AdditionalCounts = new() { ["CacheCreationInputTokens"] = 2000 } };
        ModelPrice sonnet = PriceCatalog.BuiltIn.Find("claude-sonnet-4-5")!;

        // Right: 50×3 + 8,000×0.30 + 2,000×3.75 + 400×15 = 150 + 2,400 + 7,500 + 6,000 = 16,050 / 1M.
        Assert.Equal(0.01605m, sonnet.Cost(UsageNormalizer.Normalize(usage, UsageFormat.Anthropic)));

        // The mistake peer gateways make: 2,050×3 + 8,000×0.30 + 400×15 = 6,150 + 2,400 + 6,000 = 14,550 / 1M.
        Assert.Equal(0.01455m, sonnet.Cost(UsageNormalizer.Normalize(usage, UsageFormat.OpenAI)));
    }

    [Fact]
    public void An_Anthropic_client_that_passes_input_tokens_through_unchanged_is_recognized()
    {
        // InputTokenCount is the API's input_tokens (uncached only): smaller than the cache counts themselves.
        var usage = new UsageDetails { InputTokenCount = 50, CachedInputTokenCount = 8000, OutputTokenCount = 400, AdditionalCounts = new() { ["CacheCreationInputTokens"] = 2000 } };

        Assert.Equal(new TokenUsage { InputTokens = 50, CachedInputTokens = 8000, CacheWriteTokens = 2000, OutputTokens = 400 }, UsageNormalizer.Normalize(usage, UsageFormat.Anthropic));
    }

    [Fact]
    public void Gemini_counts_thoughts_beside_the_output_and_cached_content_inside_the_prompt()
    {
        // "usageMetadata": {"promptTokenCount": 12000, "cachedContentTokenCount": 10000, "candidatesTokenCount": 350,
        //                   "thoughtsTokenCount": 1200, "toolUsePromptTokenCount": 40, "totalTokenCount": 13590}
        // Google Gen AI's IChatClient: InputTokenCount = prompt, OutputTokenCount = candidates, the rest in AdditionalCounts.
        var usage = new UsageDetails
        {
            InputTokenCount = 12_000,
            OutputTokenCount = 350,
            TotalTokenCount = 13_590,
            AdditionalCounts = new() { ["CachedContentTokenCount"] = 10_000, ["ThoughtsTokenCount"] = 1200, ["ToolUsePromptTokenCount"] = 40 },
        };

        TokenUsage tokens = UsageNormalizer.Normalize(usage, UsageFormat.Gemini);

        Assert.Equal(new TokenUsage { InputTokens = 2040, CachedInputTokens = 10_000, OutputTokens = 350, ReasoningTokens = 1200 }, tokens);
        Assert.Equal(13_590, tokens.TotalTokens);
    }

    [Fact]
    public void A_Gemini_client_that_folds_thoughts_into_the_output_is_recognized_by_its_total()
    {
        var usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 1550, ReasoningTokenCount = 1200, CachedInputTokenCount = 0, TotalTokenCount = 2550 };

        Assert.Equal(new TokenUsage { InputTokens = 1000, OutputTokens = 350, ReasoningTokens = 1200 }, UsageNormalizer.Normalize(usage, UsageFormat.Gemini));
    }

    [Fact]
    public void Counts_a_provider_leaves_out_are_zero_and_nonsense_is_clamped()
    {
        Assert.True(UsageNormalizer.Normalize(null, UsageFormat.OpenAI).IsEmpty);
        var odd = new UsageDetails { InputTokenCount = 10, CachedInputTokenCount = 50, OutputTokenCount = 5, ReasoningTokenCount = 9 };

        Assert.Equal(new TokenUsage { InputTokens = 0, CachedInputTokens = 10, OutputTokens = 0, ReasoningTokens = 5 }, UsageNormalizer.Normalize(odd, UsageFormat.OpenAI));
    }

    [Theory]
    [InlineData("anthropic", UsageFormat.Anthropic)]
    [InlineData("gcp.gen_ai", UsageFormat.Gemini)]
    [InlineData("google.genai", UsageFormat.Gemini)]
    [InlineData("vertexai", UsageFormat.Gemini)]
    [InlineData("openai", UsageFormat.OpenAI)]
    [InlineData("ollama", UsageFormat.OpenAI)]
    public void A_custom_client_s_format_is_read_from_its_metadata(string providerName, UsageFormat expected)
    {
        using var client = new NamedClient(providerName);

        Assert.Equal(expected, UsageNormalizer.Resolve(UsageFormat.Auto, ProviderKind.Custom, client));
        Assert.Equal(UsageFormat.Gemini, UsageNormalizer.Resolve(UsageFormat.Gemini, ProviderKind.Custom, client));
        Assert.Equal(UsageFormat.OpenAI, UsageNormalizer.Resolve(UsageFormat.Auto, ProviderKind.OpenAICompatible, client));
    }

    private sealed class NamedClient(string providerName) : IChatClient
    {
        private readonly ChatClientMetadata _metadata = new(providerName);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(ChatClientMetadata) ? _metadata : null;

        public void Dispose()
        {
        }
    }
}
