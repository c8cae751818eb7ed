using System.Globalization;

namespace LlmRouter;

/// <summary>
/// The price schedule of one model, in USD per million tokens: base rates by token kind, long-context tiers, and where
/// the prices came from (the built-in catalog and its version, or a configuration entry).
/// </summary>
/// <remarks>
/// <para>
/// Resolved once per deployment when the routing table is built (see <see cref="Deployment.Price"/>) and recorded on
/// every attempt (<see cref="RouteAttempt.Price"/>), so that a stored cost can always be traced to the unit prices that
/// produced it and the catalog version they came from.
/// </para>
/// <para>Immutable and thread-safe. Money is <see cref="decimal"/>; costs are exact, never rounded.</para>
/// </remarks>
public sealed class ModelPrice
{
    private readonly PriceTier[] _tiers;
    private string? _description;
    private PriceRatesBox? _shared;
    private PriceRatesBox?[]? _sharedTiers;

    internal ModelPrice(PriceRates rates, IEnumerable<PriceTier>? tiers, PriceSource source, string sourceName, string? catalogVersion)
    {
        CheckRates(rates);
        Rates = rates;
        _tiers = tiers is null ? [] : [.. tiers.OrderBy(t => t.AboveInputTokens)];
        for (int i = 1; i < _tiers.Length; i++)
        {
            if (_tiers[i].AboveInputTokens == _tiers[i - 1].AboveInputTokens)
            {
                throw new ArgumentException($"Two price tiers start above {_tiers[i].AboveInputTokens} prompt tokens.", nameof(tiers));
            }
        }

        Source = source;
        SourceName = sourceName;
        CatalogVersion = catalogVersion;
    }

    /// <summary>Gets the base rates, which apply while the prompt is not longer than the first tier's threshold.</summary>
    public PriceRates Rates { get; }

    /// <summary>Gets the price of uncached prompt tokens at the base rates.</summary>
    public decimal InputPerMillion => Rates.InputPerMillion;

    /// <summary>Gets the price of generated tokens at the base rates.</summary>
    public decimal OutputPerMillion => Rates.OutputPerMillion;

    /// <summary>Gets the long-context tiers, in ascending order of threshold; empty for most models.</summary>
    public IReadOnlyList<PriceTier> Tiers => _tiers;

    /// <summary>Gets where the prices came from.</summary>
    public PriceSource Source { get; }

    /// <summary>Gets the catalog entry (for example <c>gpt-4o-2024-08-06</c>) or the configuration path (for example <c>LlmRouter:Prices:my-finetune</c>) the prices came from.</summary>
    public string SourceName { get; }

    /// <summary>Gets the version of the catalog the prices came from (see <see cref="PriceCatalog.Version"/>), or <see langword="null"/> for a configuration entry.</summary>
    public string? CatalogVersion { get; }

    /// <summary>Gets the rates that apply to a call whose prompt (all prompt tokens, cached or not) has the given size.</summary>
    /// <param name="promptTokens">The prompt's size in tokens.</param>
    /// <returns>The base rates, or those of the highest tier whose threshold the prompt exceeds.</returns>
    public PriceRates RatesFor(long promptTokens)
    {
        for (int i = _tiers.Length - 1; i >= 0; i--)
        {
            if (promptTokens > _tiers[i].AboveInputTokens)
            {
                return _tiers[i].Rates;
            }
        }

        return Rates;
    }

    /// <summary>Prices a call.</summary>
    /// <param name="usage">The call's normalized token counts.</param>
    /// <returns>The cost in USD, exact (not rounded).</returns>
    public decimal Cost(TokenUsage usage) => RatesFor(usage.TotalInputTokens).Cost(usage);

    /// <summary>The rates <see cref="RatesFor"/> returns, held by one shared reference per tier (made on first use).</summary>
    internal PriceRatesBox SharedRatesFor(long promptTokens)
    {
        for (int i = _tiers.Length - 1; i >= 0; i--)
        {
            if (promptTokens > _tiers[i].AboveInputTokens)
            {
                PriceRatesBox?[] tiers = _sharedTiers ??= new PriceRatesBox?[_tiers.Length];
                return tiers[i] ??= new PriceRatesBox(_tiers[i].Rates);
            }
        }

        return _shared ??= new PriceRatesBox(Rates);
    }

    /// <summary>Gets whether some tier starts below the given prompt size, so the rates depend on the exact size.</summary>
    internal bool HasTierBelow(long promptTokens) => _tiers.Length > 0 && _tiers[0].AboveInputTokens < promptTokens;

    /// <summary>Describes the source: <c>catalog 2026-07-24+1751ec00: gpt-4o</c> or <c>configuration: LlmRouter:Prices:my-finetune</c>.</summary>
    /// <remarks>Built on first use and kept: every priced request and its audit record name the source.</remarks>
    internal string Describe() =>
        _description ??= Source == PriceSource.Catalog ? "catalog " + CatalogVersion + ": " + SourceName : "configuration: " + SourceName;

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Rates}{(_tiers.Length == 0 ? string.Empty : $", {_tiers.Length} long-context tier(s)")} ({Describe()})");

    internal static void CheckRates(PriceRates rates)
    {
        if (rates.InputPerMillion < 0 || rates.CachedInputPerMillion < 0 || rates.CacheWritePerMillion < 0 || rates.OutputPerMillion < 0 || rates.ReasoningPerMillion < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rates), rates, "Prices cannot be negative.");
        }
    }
}
