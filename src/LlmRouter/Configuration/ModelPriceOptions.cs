using System.ComponentModel.DataAnnotations;

namespace LlmRouter;

/// <summary>
/// A price (and token limits) set in configuration, under <c>Prices</c>, for a deployment (<c>provider/model</c>), an
/// alias, or a provider model id — in that order of precedence. It replaces the built-in catalog's entry.
/// </summary>
/// <remarks>
/// Setting <see cref="InputPerMillion"/> and <see cref="OutputPerMillion"/> replaces every catalog price (tiers
/// included); an unset cache or reasoning price then defaults to the input or output price. Setting only the token
/// limits keeps the catalog's prices. All prices are USD per million tokens.
/// </remarks>
public sealed class ModelPriceOptions
{
    /// <summary>Gets or sets the price of uncached prompt tokens. Required with <see cref="OutputPerMillion"/> to set a price.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? InputPerMillion { get; set; }

    /// <summary>Gets or sets the price of generated tokens. Required with <see cref="InputPerMillion"/> to set a price.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? OutputPerMillion { get; set; }

    /// <summary>Gets or sets the price of prompt tokens read from the provider's cache. The default value is <see cref="InputPerMillion"/>.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? CachedInputPerMillion { get; set; }

    /// <summary>Gets or sets the price of prompt tokens written to the provider's cache. The default value is <see cref="InputPerMillion"/>.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? CacheWritePerMillion { get; set; }

    /// <summary>Gets or sets the price of reasoning tokens. The default value is <see cref="OutputPerMillion"/>.</summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? ReasoningPerMillion { get; set; }

    /// <summary>Gets or sets the most prompt tokens the model accepts. The default value is the catalog's, if any.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxInputTokens { get; set; }

    /// <summary>
    /// Gets or sets the model's whole context window, prompt and output together, for a model where the two share one
    /// limit (GPT-5: 400,000 tokens, of which at most 272,000 prompt and 128,000 output). The default value is none: the
    /// built-in catalog knows input and output limits only, so no shared limit is checked.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? ContextWindowTokens { get; set; }

    /// <summary>Gets or sets the most tokens the model generates in one response. The default value is the catalog's, if any.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxOutputTokens { get; set; }

    /// <summary>Gets or sets long-context tiers: rates that apply to a whole call once its prompt exceeds a size. The default value is empty.</summary>
    public List<PriceTierOptions> Tiers { get; set; } = [];

    internal bool SetsPrice => InputPerMillion is not null || OutputPerMillion is not null || CachedInputPerMillion is not null ||
        CacheWritePerMillion is not null || ReasoningPerMillion is not null || Tiers.Count > 0;
}
