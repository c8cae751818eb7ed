namespace LlmRouter;

/// <summary>How a provider's client reports token usage in Microsoft.Extensions.AI's <c>UsageDetails</c>, which decides how LlmRouter normalizes it.</summary>
public enum UsageFormat
{
    /// <summary>
    /// Decided from the provider: <see cref="OpenAI"/> for the providers LlmRouter creates; for a <see cref="ProviderKind.Custom"/>
    /// client, from its <c>ChatClientMetadata.ProviderName</c>, ignoring case: <c>anthropic</c> or <c>anthropic.*</c> →
    /// <see cref="Anthropic"/>; <c>AnthropicClient</c> or <c>VertexAIClient</c> → <see cref="AnthropicUncachedInput"/>;
    /// <c>gcp.*</c>, <c>google*</c>, any other <c>*gemini*</c> or <c>*vertex*</c> → <see cref="Gemini"/>; anything else
    /// (<c>openai</c>, <c>azure.ai.openai</c>, <c>ollama</c>…) → <see cref="OpenAI"/>.
    /// </summary>
    Auto,

    /// <summary>Cached tokens are part of the input count, reasoning tokens part of the output count (OpenAI, Azure OpenAI, OpenAI-compatible servers).</summary>
    OpenAI,

    /// <summary>
    /// The input count includes cache reads and cache writes; the cache reads are <c>CachedInputTokenCount</c>, the cache
    /// writes <c>AdditionalCounts["CacheCreationInputTokens"]</c>; thinking is part of the output (the official Anthropic
    /// SDK's <c>AsIChatClient()</c>, provider name <c>anthropic</c>). Streamed counts are running totals.
    /// </summary>
    Anthropic,

    /// <summary>
    /// The input count includes cached content; thinking tokens are counted beside the output, not in it
    /// (<c>ThoughtsTokenCount</c>), and tool-use prompt tokens beside the input (Google Gen AI clients).
    /// </summary>
    Gemini,

    /// <summary>
    /// The input count is the Messages API's <c>input_tokens</c> alone — the uncached part; cache reads are
    /// <c>AdditionalCounts["CacheReadInputTokens"]</c> and cache writes <c>AdditionalCounts["CacheCreationInputTokens"]</c>;
    /// thinking is part of the output (the community Anthropic.SDK package, whose clients name themselves
    /// <c>AnthropicClient</c> and, for Claude on Vertex AI, <c>VertexAIClient</c>). Streamed counts are running totals.
    /// </summary>
    AnthropicUncachedInput,
}
