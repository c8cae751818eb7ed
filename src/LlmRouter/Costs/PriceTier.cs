namespace LlmRouter;

/// <summary>
/// A long-context price tier: the rates that apply to a whole call once its prompt is longer than
/// <see cref="AboveInputTokens"/> (for example Gemini 2.5 Pro and Claude Sonnet above 200,000 prompt tokens).
/// </summary>
/// <remarks>An immutable value; safe to share.</remarks>
public sealed class PriceTier
{
    /// <summary>Initializes a new instance of the <see cref="PriceTier"/> class.</summary>
    /// <param name="aboveInputTokens">The prompt size (all prompt tokens, cached or not) above which the tier applies; greater than zero.</param>
    /// <param name="rates">The rates of the tier.</param>
    public PriceTier(long aboveInputTokens, PriceRates rates)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(aboveInputTokens);
        ModelPrice.CheckRates(rates);
        AboveInputTokens = aboveInputTokens;
        Rates = rates;
    }

    /// <summary>Gets the prompt size above which the tier applies.</summary>
    public long AboveInputTokens { get; }

    /// <summary>Gets the rates of the tier.</summary>
    public PriceRates Rates { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"above {AboveInputTokens} prompt tokens: {Rates}");
}
