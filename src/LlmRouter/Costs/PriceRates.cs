namespace LlmRouter;

/// <summary>Unit prices in USD per million tokens, one for each kind of <see cref="TokenUsage"/>.</summary>
/// <remarks>An immutable value; safe to share.</remarks>
public readonly record struct PriceRates
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>Gets the price of prompt tokens that were neither read from nor written to a cache.</summary>
    public decimal InputPerMillion { get; init; }

    /// <summary>Gets the price of prompt tokens read from the provider's cache.</summary>
    public decimal CachedInputPerMillion { get; init; }

    /// <summary>Gets the price of prompt tokens written to the provider's cache.</summary>
    public decimal CacheWritePerMillion { get; init; }

    /// <summary>Gets the price of generated tokens, excluding reasoning tokens.</summary>
    public decimal OutputPerMillion { get; init; }

    /// <summary>Gets the price of reasoning ("thinking") tokens.</summary>
    public decimal ReasoningPerMillion { get; init; }

    /// <summary>Prices a usage at these rates.</summary>
    /// <param name="usage">The normalized token counts.</param>
    /// <returns>The cost in USD, exact (not rounded).</returns>
    public decimal Cost(TokenUsage usage) =>
        ((usage.InputTokens * InputPerMillion) +
         (usage.CachedInputTokens * CachedInputPerMillion) +
         (usage.CacheWriteTokens * CacheWritePerMillion) +
         (usage.OutputTokens * OutputPerMillion) +
         (usage.ReasoningTokens * ReasoningPerMillion)) / PerMillion;

    /// <summary>The most a request can cost at these rates: every prompt token at the dearer of input and cache write, every output token at the dearer of output and reasoning.</summary>
    internal decimal WorstCase(long promptTokens, long outputTokens) =>
        ((promptTokens * Math.Max(InputPerMillion, CacheWritePerMillion)) +
         (outputTokens * Math.Max(OutputPerMillion, ReasoningPerMillion))) / PerMillion;

    /// <summary>What a request is expected to cost at these rates: uncached prompt, plain output.</summary>
    internal decimal Expected(long promptTokens, long outputTokens) =>
        ((promptTokens * InputPerMillion) + (outputTokens * OutputPerMillion)) / PerMillion;

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"in ${InputPerMillion}/M, cached ${CachedInputPerMillion}/M, cache write ${CacheWritePerMillion}/M, out ${OutputPerMillion}/M, reasoning ${ReasoningPerMillion}/M");
}
