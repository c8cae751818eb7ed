namespace LlmRouter;

/// <summary>Token counts of a call, normalized across providers into disjoint kinds.</summary>
/// <remarks>
/// The kinds never overlap: <see cref="InputTokens"/> excludes prompt tokens read from or written to a cache, and
/// <see cref="OutputTokens"/> excludes reasoning tokens. Providers report them differently (OpenAI counts cached tokens
/// inside the input and reasoning inside the output; Anthropic reports cache reads and writes beside the input); the
/// cost layer normalizes each provider kind into this shape.
/// </remarks>
public readonly record struct TokenUsage
{
    /// <summary>Gets the prompt tokens that were neither read from nor written to a cache.</summary>
    public long InputTokens { get; init; }

    /// <summary>Gets the prompt tokens read from the provider's prompt cache.</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Gets the prompt tokens written to the provider's prompt cache.</summary>
    public long CacheWriteTokens { get; init; }

    /// <summary>Gets the generated tokens, excluding reasoning tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Gets the reasoning ("thinking") tokens the model generated.</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>Gets all prompt tokens: uncached, cached and cache-write.</summary>
    public long TotalInputTokens => InputTokens + CachedInputTokens + CacheWriteTokens;

    /// <summary>Gets all generated tokens: output and reasoning.</summary>
    public long TotalOutputTokens => OutputTokens + ReasoningTokens;

    /// <summary>Gets every token of the call.</summary>
    public long TotalTokens => TotalInputTokens + TotalOutputTokens;

    /// <summary>Gets whether no token was counted.</summary>
    public bool IsEmpty => TotalTokens == 0;

    /// <summary>Adds two usages kind by kind.</summary>
    /// <param name="left">The first usage.</param>
    /// <param name="right">The second usage.</param>
    /// <returns>The sum.</returns>
    public static TokenUsage operator +(TokenUsage left, TokenUsage right) => new()
    {
        InputTokens = left.InputTokens + right.InputTokens,
        CachedInputTokens = left.CachedInputTokens + right.CachedInputTokens,
        CacheWriteTokens = left.CacheWriteTokens + right.CacheWriteTokens,
        OutputTokens = left.OutputTokens + right.OutputTokens,
        ReasoningTokens = left.ReasoningTokens + right.ReasoningTokens,
    };

    /// <summary>Adds two usages kind by kind.</summary>
    /// <param name="other">The usage to add.</param>
    /// <returns>The sum.</returns>
    public TokenUsage Add(TokenUsage other) => this + other;
}
