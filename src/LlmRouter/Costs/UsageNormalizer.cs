using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// Turns a provider's reported usage into <see cref="TokenUsage"/>'s disjoint kinds, by the provider's
/// <see cref="UsageFormat"/>. Counts a provider did not report are zero here; the caller decides whether to estimate them.
/// </summary>
internal static class UsageNormalizer
{
    /// <summary>The key both Anthropic clients report cache writes under in <see cref="UsageDetails.AdditionalCounts"/>.</summary>
    public const string AnthropicCacheWriteKey = "CacheCreationInputTokens";

    /// <summary>The key the community Anthropic.SDK reports cache reads under (the official SDK uses <see cref="UsageDetails.CachedInputTokenCount"/>).</summary>
    public const string AnthropicCacheReadKey = "CacheReadInputTokens";

    /// <summary>The keys Google Gen AI clients report cached, thinking and tool-use prompt tokens under.</summary>
    public const string GeminiCachedKey = "CachedContentTokenCount";
    public const string GeminiThoughtsKey = "ThoughtsTokenCount";
    public const string GeminiToolUsePromptKey = "ToolUsePromptTokenCount";

    /// <summary>Normalizes usage in the OpenAI shape: cached tokens inside the input, reasoning tokens inside the output.</summary>
    public static TokenUsage Normalize(UsageDetails? usage) => Normalize(usage, UsageFormat.OpenAI);

    public static TokenUsage Normalize(UsageDetails? usage, UsageFormat format)
    {
        if (usage is null)
        {
            return default;
        }

        return format switch
        {
            UsageFormat.Anthropic => Anthropic(usage, inputIncludesCache: true),
            UsageFormat.AnthropicUncachedInput => Anthropic(usage, inputIncludesCache: false),
            UsageFormat.Gemini => Gemini(usage),
            _ => OpenAI(usage),
        };
    }

    /// <summary>
    /// Adds the usage a streamed update reports to what the stream reported so far. Anthropic's counts are cumulative
    /// (<c>message_start</c>'s usage, then <c>message_delta</c>'s running totals), so for its formats each count is the
    /// largest reported; every other client reports each token once, and the counts are summed.
    /// </summary>
    public static UsageDetails? Accumulate(UsageDetails? usage, ChatResponseUpdate update, UsageFormat format)
    {
        IList<AIContent> contents = update.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is not UsageContent { Details: { } details })
            {
                continue;
            }

            if (usage is null)
            {
                usage = new UsageDetails();
            }

            if (format is UsageFormat.Anthropic or UsageFormat.AnthropicUncachedInput)
            {
                Latest(usage, details);
            }
            else
            {
                usage.Add(details);
            }
        }

        return usage;
    }

    /// <summary>Picks the format of a provider: as configured, else from its kind, else from the client's metadata.</summary>
    public static UsageFormat Resolve(UsageFormat configured, ProviderKind kind, IChatClient client)
    {
        if (configured != UsageFormat.Auto)
        {
            return configured;
        }

        if (kind != ProviderKind.Custom)
        {
            return UsageFormat.OpenAI;
        }

        string? name = (client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.ProviderName;
        if (name is null)
        {
            return UsageFormat.OpenAI;
        }

        if (name.Equals("anthropic", StringComparison.OrdinalIgnoreCase) || name.StartsWith("anthropic.", StringComparison.OrdinalIgnoreCase))
        {
            return UsageFormat.Anthropic;
        }

        // The community Anthropic.SDK names its clients after their classes; its Vertex AI client serves Claude, not Gemini.
        if (name.Equals("AnthropicClient", StringComparison.OrdinalIgnoreCase) || name.Equals("VertexAIClient", StringComparison.OrdinalIgnoreCase))
        {
            return UsageFormat.AnthropicUncachedInput;
        }

        return name.StartsWith("gcp.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("google", StringComparison.OrdinalIgnoreCase) ||
            name.Contains("gemini", StringComparison.OrdinalIgnoreCase) || name.Contains("vertex", StringComparison.OrdinalIgnoreCase)
            ? UsageFormat.Gemini
            : UsageFormat.OpenAI;
    }

    /// <remarks>
    /// OpenAI counts reasoning inside <c>completion_tokens</c>, and its total is prompt plus completion. Some compatible
    /// services count reasoning beside the completion instead; they say so by a total above input plus output, or by more
    /// reasoning than output. Then the output is all visible output and the reasoning is the larger of the reported count
    /// and what the total holds beyond input and output — never dropped.
    /// </remarks>
    private static TokenUsage OpenAI(UsageDetails usage)
    {
        long input = Math.Max(usage.InputTokenCount ?? 0, 0);
        long cached = Math.Clamp(usage.CachedInputTokenCount ?? 0, 0, input);
        long output = Math.Max(usage.OutputTokenCount ?? 0, 0);
        long reasoning = Math.Max(usage.ReasoningTokenCount ?? 0, 0);
        long beyond = usage.TotalTokenCount is long total ? total - input - output : 0;
        if (beyond > 0 || reasoning > output)
        {
            return new TokenUsage
            {
                InputTokens = input - cached,
                CachedInputTokens = cached,
                OutputTokens = output,
                ReasoningTokens = Math.Max(reasoning, beyond),
            };
        }

        return new TokenUsage
        {
            InputTokens = input - cached,
            CachedInputTokens = cached,
            OutputTokens = output - reasoning,
            ReasoningTokens = reasoning,
        };
    }

    /// <param name="usage">The usage reported.</param>
    /// <param name="inputIncludesCache">
    /// Whether the input count includes cache reads and writes (the official SDK reports <c>input_tokens</c> +
    /// <c>cache_read_input_tokens</c> + <c>cache_creation_input_tokens</c>) or is the API's <c>input_tokens</c> alone,
    /// the uncached part (the community Anthropic.SDK).
    /// </param>
    private static TokenUsage Anthropic(UsageDetails usage, bool inputIncludesCache)
    {
        long input = Math.Max(usage.InputTokenCount ?? 0, 0);
        long cached = Math.Max(usage.CachedInputTokenCount ?? Additional(usage, AnthropicCacheReadKey) ?? 0, 0);
        long written = Math.Max(Additional(usage, AnthropicCacheWriteKey) ?? 0, 0);
        long uncached = inputIncludesCache ? Math.Max(input - cached - written, 0) : input;
        long output = Math.Max(usage.OutputTokenCount ?? 0, 0);
        long reasoning = Math.Clamp(usage.ReasoningTokenCount ?? 0, 0, output);
        return new TokenUsage
        {
            InputTokens = uncached,
            CachedInputTokens = cached,
            CacheWriteTokens = written,
            OutputTokens = output - reasoning,
            ReasoningTokens = reasoning,
        };
    }

    private static TokenUsage Gemini(UsageDetails usage)
    {
        long prompt = Math.Max(usage.InputTokenCount ?? 0, 0);
        long toolPrompt = Math.Max(Additional(usage, GeminiToolUsePromptKey) ?? 0, 0);
        long input = prompt + toolPrompt;
        long cached = Math.Clamp(usage.CachedInputTokenCount ?? Additional(usage, GeminiCachedKey) ?? 0, 0, input);
        long output = Math.Max(usage.OutputTokenCount ?? 0, 0);
        long reasoning = Math.Max(usage.ReasoningTokenCount ?? Additional(usage, GeminiThoughtsKey) ?? 0, 0);

        // Gemini counts thoughts beside the candidates (total = prompt + tool prompt + candidates + thoughts). A client
        // that folds them into the output says so through a total without them.
        if (reasoning > 0 && usage.TotalTokenCount is long total && total == input + output && reasoning <= output)
        {
            output -= reasoning;
        }

        return new TokenUsage
        {
            InputTokens = input - cached,
            CachedInputTokens = cached,
            OutputTokens = output,
            ReasoningTokens = reasoning,
        };
    }

    /// <summary>Keeps, count by count, the larger of what was reported so far and what an update reports.</summary>
    private static void Latest(UsageDetails usage, UsageDetails update)
    {
        usage.InputTokenCount = Larger(usage.InputTokenCount, update.InputTokenCount);
        usage.OutputTokenCount = Larger(usage.OutputTokenCount, update.OutputTokenCount);
        usage.TotalTokenCount = Larger(usage.TotalTokenCount, update.TotalTokenCount);
        usage.CachedInputTokenCount = Larger(usage.CachedInputTokenCount, update.CachedInputTokenCount);
        usage.ReasoningTokenCount = Larger(usage.ReasoningTokenCount, update.ReasoningTokenCount);
        if (update.AdditionalCounts is { } counts)
        {
            foreach (KeyValuePair<string, long> count in counts)
            {
                usage.AdditionalCounts ??= [];
                usage.AdditionalCounts[count.Key] = Math.Max(usage.AdditionalCounts.TryGetValue(count.Key, out long known) ? known : 0, count.Value);
            }
        }

        static long? Larger(long? known, long? reported) => known is null ? reported : reported is null ? known : Math.Max(known.Value, reported.Value);
    }

    private static long? Additional(UsageDetails usage, string key) =>
        usage.AdditionalCounts is { } counts && counts.TryGetValue(key, out long value) ? value : null;
}
