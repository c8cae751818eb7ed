namespace LlmRouter.Tests.Support;

/// <summary>The token usage an <see cref="OpenAIWireServer"/> reports, in OpenAI's shape: cached tokens are part of the prompt tokens, reasoning tokens part of the completion tokens.</summary>
/// <param name="PromptTokens">The <c>prompt_tokens</c>, cached ones included.</param>
/// <param name="CompletionTokens">The <c>completion_tokens</c>, reasoning ones included.</param>
/// <param name="CachedTokens">The <c>prompt_tokens_details.cached_tokens</c>.</param>
/// <param name="ReasoningTokens">The <c>completion_tokens_details.reasoning_tokens</c>.</param>
public sealed record WireUsage(int PromptTokens, int CompletionTokens, int CachedTokens = 0, int ReasoningTokens = 0)
{
    /// <summary>The usage a reply reports unless told otherwise: 10 prompt and 5 completion tokens.</summary>
    public static WireUsage Default { get; } = new(10, 5);

    /// <summary>Gets the <c>total_tokens</c>.</summary>
    public int TotalTokens => PromptTokens + CompletionTokens;
}
