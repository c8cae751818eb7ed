using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>
/// Turns a provider's reported usage into <see cref="TokenUsage"/>'s disjoint kinds, by the provider's
/// <see cref="UsageFormat"/>. Counts a provider did not report are zero here; the caller decides whether to estimate them.
/// </summary>
internal static class UsageNormalizer
{
    /// <summary>The key the Anthropic SDK reports cache writes under in <see cref="UsageDetails.AdditionalCounts"/>.</summary>
    public const string AnthropicCacheWriteKey = "CacheCreationInputTokens";

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
            UsageFormat.Anthropic => Anthropic(usage),
            UsageFormat.Gemini => Gemini(usage),
            _ => OpenAI(usage),
        };
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

        return name.StartsWith("gcp.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("google", StringComparison.OrdinalIgnoreCase) ||
            name.Contains("gemini", StringComparison.OrdinalIgnoreCase) || name.Contains("vertex", StringComparison.OrdinalIgnoreCase)
            ? UsageFormat.Gemini
            : UsageFormat.OpenAI;
    }

    private static TokenUsage OpenAI(UsageDetails usage)
    {
        long input = Math.Max(usage.InputTokenCount ?? 0, 0);
        long cached = Math.Clamp(usage.CachedInputTokenCount ?? 0, 0, input);
        long output = Math.Max(usage.OutputTokenCount ?? 0, 0);
        long reasoning = Math.Clamp(usage.ReasoningTokenCount ?? 0, 0, output);
        return new TokenUsage
        {
            InputTokens = input - cached,
            CachedInputTokens = cached,
            OutputTokens = output - reasoning,
            ReasoningTokens = reasoning,
        };
    }

    private static TokenUsage Anthropic(UsageDetails usage)
    {
        long input = Math.Max(usage.InputTokenCount ?? 0, 0);
        long cached = Math.Max(usage.CachedInputTokenCount ?? 0, 0);
        long written = Math.Max(Additional(usage, AnthropicCacheWriteKey) ?? 0, 0);

        // The official SDK reports input_tokens + cache reads + cache writes as the input. A client that passes the API's
        // input_tokens through unchanged reports less than the cache tokens alone: then the input is the uncached part.
        long uncached = cached + written <= input ? input - cached - written : input;
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

    private static long? Additional(UsageDetails usage, string key) =>
        usage.AdditionalCounts is { } counts && counts.TryGetValue(key, out long value) ? value : null;
}
