using System.ComponentModel.DataAnnotations;

namespace LlmRouter;

/// <summary>How LlmRouter prices calls and treats deployments it cannot price.</summary>
public sealed class PricingOptions
{
    /// <summary>The default output a request is assumed to produce when neither it nor its model sets a limit: 4,096 tokens.</summary>
    public const int DefaultDefaultMaxOutputTokens = 4096;

    /// <summary>
    /// Gets or sets whether deployments without a known price are refused. When <see langword="true"/>, such a deployment
    /// is skipped with the reason <c>price_unknown</c> (the request goes on to the next deployment or fallback); when
    /// <see langword="false"/>, it serves and its calls are flagged (<see cref="RouteInfo.PriceUnknown"/>) with no cost,
    /// never a cost of zero. Unpriced deployments are logged as warnings at start-up either way. The default value is
    /// <see langword="false"/>.
    /// </summary>
    public bool Strict { get; set; }

    /// <summary>
    /// Gets or sets whether a deployment is skipped without a call when the request cannot fit the model (the prompt over
    /// the model's input limit, or, where a whole context window is configured, the prompt plus the request's
    /// <c>MaxOutputTokens</c> over it), so the request goes to the alias's <c>ContextWindowFallbacks</c>. The default
    /// value is <see langword="true"/>.
    /// </summary>
    public bool CheckContextWindow { get; set; } = true;

    /// <summary>
    /// Gets or sets the output a request is assumed to produce when it sets no <c>MaxOutputTokens</c> and its model's
    /// limit is unknown: used for the worst-case cost budgets reserve and for the <c>LowestCost</c> strategy's estimate.
    /// A budgeted request in that case is sent with this as its <c>MaxOutputTokens</c>, so the reserved worst case is a
    /// real bound. The default value is <see cref="DefaultDefaultMaxOutputTokens"/>.
    /// </summary>
    [Range(1, 10_000_000)]
    public int DefaultMaxOutputTokens { get; set; } = DefaultDefaultMaxOutputTokens;
}
