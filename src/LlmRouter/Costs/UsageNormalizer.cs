using Microsoft.Extensions.AI;

namespace LlmRouter;

/// <summary>Turns a provider's reported usage into <see cref="TokenUsage"/>'s disjoint kinds.</summary>
internal static class UsageNormalizer
{
    /// <summary>Normalizes usage reported in Microsoft.Extensions.AI's shape, where (as with OpenAI) cached tokens are part of the input and reasoning tokens part of the output.</summary>
    public static TokenUsage Normalize(UsageDetails? usage)
    {
        if (usage is null)
        {
            return default;
        }

        long input = usage.InputTokenCount ?? 0;
        long cached = Math.Clamp(usage.CachedInputTokenCount ?? 0, 0, input);
        long output = usage.OutputTokenCount ?? 0;
        long reasoning = Math.Clamp(usage.ReasoningTokenCount ?? 0, 0, output);
        return new TokenUsage
        {
            InputTokens = input - cached,
            CachedInputTokens = cached,
            OutputTokens = output - reasoning,
            ReasoningTokens = reasoning,
        };
    }
}
