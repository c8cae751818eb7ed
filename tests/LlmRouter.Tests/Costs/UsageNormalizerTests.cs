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
    public void Counts_a_provider_leaves_out_are_zero_and_cached_tokens_are_clamped_to_the_input()
    {
        Assert.True(UsageNormalizer.Normalize(null, UsageFormat.OpenAI).IsEmpty);
        var odd = new UsageDetails { InputTokenCount = 10, CachedInputTokenCount = 50, OutputTokenCount = 5 };

        Assert.Equal(new TokenUsage { InputTokens = 0, CachedInputTokens = 10, OutputTokens = 5 }, UsageNormalizer.Normalize(odd, UsageFormat.OpenAI));
    }

    [Fact]
    public void Reasoning_a_service_counts_beside_the_completion_is_kept_whole_never_clamped_to_the_output()
    {
        // More reasoning than completion tokens: it cannot be inside them.
        var beside = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, ReasoningTokenCount = 9 };

        Assert.Equal(new TokenUsage { InputTokens = 10, OutputTokens = 5, ReasoningTokens = 9 }, UsageNormalizer.Normalize(beside, UsageFormat.OpenAI));
    }

    [Fact]
    public void A_total_above_input_plus_output_recovers_reasoning_a_service_reports_outside_the_completion()
    {
        // An OpenAI-compatible service (Gemini's compatibility endpoint, some vLLM builds): "prompt_tokens": 1000,
        // "completion_tokens": 200, "total_tokens": 2000 — 800 thinking tokens counted only in the total.
        var unreported = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 200, TotalTokenCount = 2000 };
        var reported = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 200, TotalTokenCount = 2000, ReasoningTokenCount = 800 };

        Assert.Equal(new TokenUsage { InputTokens = 1000, OutputTokens = 200, ReasoningTokens = 800 }, UsageNormalizer.Normalize(unreported, UsageFormat.OpenAI));
        Assert.Equal(new TokenUsage { InputTokens = 1000, OutputTokens = 200, ReasoningTokens = 800 }, UsageNormalizer.Normalize(reported, UsageFormat.OpenAI));
        Assert.Equal(2000, UsageNormalizer.Normalize(reported, UsageFormat.OpenAI).TotalTokens);
    }

    [Fact]
    public void The_community_Anthropic_SDK_reports_the_apis_input_tokens_and_its_cache_counts_beside_them()
    {
        // Anthropic.SDK (tghamm), ChatClientHelper.CreateUsageDetails — written from its source, as the package is not
        // available here: InputTokenCount = usage.InputTokens (the API's input_tokens, uncached), OutputTokenCount =
        // usage.OutputTokens, AdditionalCounts = { CacheCreationInputTokens, CacheReadInputTokens }; no CachedInputTokenCount.
        var usage = new UsageDetails
        {
            InputTokenCount = 20_000,
            OutputTokenCount = 400,
            AdditionalCounts = new() { ["CacheCreationInputTokens"] = 2000, ["CacheReadInputTokens"] = 8000 },
        };
        ModelPrice sonnet = PriceCatalog.BuiltIn.Find("claude-sonnet-4-5")!;

        TokenUsage tokens = UsageNormalizer.Normalize(usage, UsageFormat.AnthropicUncachedInput);

        Assert.Equal(new TokenUsage { InputTokens = 20_000, CachedInputTokens = 8000, CacheWriteTokens = 2000, OutputTokens = 400 }, tokens);

        // 20,000×3 + 8,000×0.30 + 2,000×3.75 + 400×15 = 60,000 + 2,400 + 7,500 + 6,000 = 75,900 / 1M.
        Assert.Equal(0.0759m, sonnet.Cost(tokens));
    }

    [Fact]
    public void A_stream_of_the_community_Anthropic_SDK_reports_running_totals_which_are_not_added_up()
    {
        // Its stream yields a UsageContent for message_start (input and cache counts, output_tokens 1) and one for
        // message_delta, whose counts are cumulative (Anthropic's streaming documentation).
        var start = new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 50, OutputTokenCount = 1, AdditionalCounts = new() { ["CacheCreationInputTokens"] = 2000, ["CacheReadInputTokens"] = 8000 } })] };
        var delta = new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 50, OutputTokenCount = 400, AdditionalCounts = new() { ["CacheCreationInputTokens"] = 2000, ["CacheReadInputTokens"] = 8000 } })] };

        UsageDetails? usage = UsageNormalizer.Accumulate(UsageNormalizer.Accumulate(null, start, UsageFormat.AnthropicUncachedInput), delta, UsageFormat.AnthropicUncachedInput);

        Assert.Equal(new TokenUsage { InputTokens = 50, CachedInputTokens = 8000, CacheWriteTokens = 2000, OutputTokens = 400 }, UsageNormalizer.Normalize(usage, UsageFormat.AnthropicUncachedInput));
    }

    [Fact]
    public void OpenAI_style_streams_report_each_token_once_and_are_added_up()
    {
        var first = new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 })] };
        var second = new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { OutputTokenCount = 5 })] };

        UsageDetails? usage = UsageNormalizer.Accumulate(UsageNormalizer.Accumulate(null, first, UsageFormat.OpenAI), second, UsageFormat.OpenAI);

        Assert.Equal((100L, 15L), (usage!.InputTokenCount, usage.OutputTokenCount));
    }

    [Fact]
    public void Ollama_reports_prompt_and_eval_counts_in_the_OpenAI_shape()
    {
        // OllamaSharp's AbstractionMapper: InputTokenCount = prompt_eval_count, OutputTokenCount = eval_count, TotalTokenCount = their sum; provider name "ollama".
        var usage = new UsageDetails { InputTokenCount = 812, OutputTokenCount = 95, TotalTokenCount = 907 };

        Assert.Equal(new TokenUsage { InputTokens = 812, OutputTokens = 95 }, UsageNormalizer.Normalize(usage, UsageFormat.OpenAI));
    }

    [Theory]
    [InlineData("anthropic", UsageFormat.Anthropic)]
    [InlineData("AnthropicClient", UsageFormat.AnthropicUncachedInput)]
    [InlineData("VertexAIClient", UsageFormat.AnthropicUncachedInput)]
    [InlineData("gcp.gen_ai", UsageFormat.Gemini)]
    [InlineData("google.genai", UsageFormat.Gemini)]
    [InlineData("vertexai", UsageFormat.Gemini)]
    [InlineData("openai", UsageFormat.OpenAI)]
    [InlineData("ollama", UsageFormat.OpenAI)]
    [InlineData("azure.ai.openai", UsageFormat.OpenAI)]
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
