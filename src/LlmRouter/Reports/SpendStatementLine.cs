namespace LlmRouter;

/// <summary>
/// One line of a <see cref="SpendStatement"/>: what a client's requests cost on one served model at one set of unit prices
/// from one price source — the tokens by kind, the unit prices applied and the amount.
/// </summary>
/// <remarks>
/// A line never mixes prices: calls to the same model at other unit prices, or from another catalog version or price
/// source, are on lines of their own, because each call is billed at the prices it was charged at when it ran (a closed
/// period is never re-priced). Immutable.
/// </remarks>
public sealed class SpendStatementLine
{
    internal SpendStatementLine(int number, string model, bool isPriced, PriceRates? prices, string? priceSource, string? catalogVersion, long requests, TokenUsage tokens, decimal amount, long estimatedRequests)
    {
        Number = number;
        Model = model;
        IsPriced = isPriced;
        Prices = prices;
        PriceSource = priceSource;
        CatalogVersion = catalogVersion;
        Requests = requests;
        Tokens = tokens;
        Amount = isPriced ? amount : null;
        EstimatedRequests = estimatedRequests;
    }

    /// <summary>Gets the line's number, from 1, in the statement's order (by model, then catalog version, price source and prices); the request rows name it.</summary>
    public int Number { get; }

    /// <summary>Gets the model alias the calls were served by (the attempt's alias: a fallback's own).</summary>
    public string Model { get; }

    /// <summary>Gets whether the calls had a known price. When <see langword="false"/>, <see cref="Amount"/> is <see langword="null"/>: the tokens were used, but nobody knows what they cost — never $0.</summary>
    public bool IsPriced { get; }

    /// <summary>Gets the unit prices applied, in USD per million tokens, or <see langword="null"/> when the calls were not priced.</summary>
    public PriceRates? Prices { get; }

    /// <summary>Gets where <see cref="Prices"/> came from (<c>catalog 2026-07-24+1751ec00: gpt-4o</c> or <c>configuration: LlmRouter:Prices:my-finetune</c>).</summary>
    public string? PriceSource { get; }

    /// <summary>Gets the version of the price catalog <see cref="Prices"/> came from, or <see langword="null"/> for a configured price.</summary>
    public string? CatalogVersion { get; }

    /// <summary>Gets the number of requests with calls on this line.</summary>
    public long Requests { get; }

    /// <summary>Gets the tokens of the line's calls, by kind.</summary>
    public TokenUsage Tokens { get; }

    /// <summary>Gets the amount in USD, exact — the sum of the calls' recorded costs — or <see langword="null"/> when <see cref="IsPriced"/> is <see langword="false"/>.</summary>
    public decimal? Amount { get; }

    /// <summary>Gets how many of the requests had tokens counted by LlmRouter because the provider reported none.</summary>
    public long EstimatedRequests { get; }

    /// <summary>Gets the currency of <see cref="Amount"/> and <see cref="Prices"/>: <c>USD</c>.</summary>
    public string Currency { get; } = SpendStatement.Usd;
}
