namespace LlmRouter;

/// <summary>How a provider's client reports token usage in Microsoft.Extensions.AI's <c>UsageDetails</c>, which decides how LlmRouter normalizes it.</summary>
public enum UsageFormat
{
    /// <summary>
    /// Decided from the provider: <see cref="OpenAI"/> for the providers LlmRouter creates; for a <see cref="ProviderKind.Custom"/>
    /// client, from its <c>ChatClientMetadata.ProviderName</c> (<c>anthropic</c> → <see cref="Anthropic"/>; <c>gcp.*</c>,
    /// <c>google*</c>, <c>*gemini*</c>, <c>*vertex*</c> → <see cref="Gemini"/>; anything else → <see cref="OpenAI"/>).
    /// </summary>
    Auto,

    /// <summary>Cached tokens are part of the input count, reasoning tokens part of the output count (OpenAI, Azure OpenAI, OpenAI-compatible servers).</summary>
    OpenAI,

    /// <summary>
    /// The input count includes cache reads and cache writes; the cache writes are in <c>AdditionalCounts["CacheCreationInputTokens"]</c>;
    /// thinking is part of the output (the official Anthropic SDK's <c>AsIChatClient()</c>).
    /// </summary>
    Anthropic,

    /// <summary>
    /// The input count includes cached content; thinking tokens are counted beside the output, not in it
    /// (<c>ThoughtsTokenCount</c>), and tool-use prompt tokens beside the input (Google Gen AI clients).
    /// </summary>
    Gemini,
}
