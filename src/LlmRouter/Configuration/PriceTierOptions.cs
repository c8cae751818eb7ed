using System.ComponentModel.DataAnnotations;

namespace LlmRouter;

/// <summary>A long-context tier in configuration: the rates of a call whose prompt is longer than <see cref="AboveInputTokens"/>.</summary>
public sealed class PriceTierOptions
{
    /// <summary>Gets or sets the prompt size (all prompt tokens) above which the tier applies. Required.</summary>
    [Range(1, long.MaxValue)]
    public long AboveInputTokens { get; set; }

    /// <summary>Gets or sets the price of uncached prompt tokens in the tier. Required.</summary>
    [Required]
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? InputPerMillion { get; set; }

    /// <summary>Gets or sets the price of generated tokens in the tier. Required.</summary>
    [Required]
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? OutputPerMillion { get; set; }

    /// <summary>Gets or sets the price of cached prompt tokens in the tier. The default value is the entry's cached price, else the tier's input price.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? CachedInputPerMillion { get; set; }

    /// <summary>Gets or sets the price of prompt tokens written to the cache in the tier. The default value is the entry's cache-write price, else the tier's input price.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? CacheWritePerMillion { get; set; }

    /// <summary>Gets or sets the price of reasoning tokens in the tier. The default value is the entry's reasoning price, else the tier's output price.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? ReasoningPerMillion { get; set; }
}
