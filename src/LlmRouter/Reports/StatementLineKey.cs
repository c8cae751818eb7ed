namespace LlmRouter;

/// <summary>What puts calls on the same statement line: the model they were served by, whether they were priced, and at which prices, from which source.</summary>
internal readonly record struct StatementLineKey(string Model, bool IsPriced, PriceRates? Prices, string? CatalogVersion, string? PriceSource)
{
    /// <summary>The statement's order: by model, priced lines first, then catalog version, price source and prices.</summary>
    public static int Compare(StatementLineKey a, StatementLineKey b)
    {
        int c = string.CompareOrdinal(a.Model, b.Model);
        if (c == 0)
        {
            c = b.IsPriced.CompareTo(a.IsPriced);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.CatalogVersion, b.CatalogVersion);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.PriceSource, b.PriceSource);
        }

        if (c == 0 && a.Prices is PriceRates x && b.Prices is PriceRates y)
        {
            c = x.InputPerMillion.CompareTo(y.InputPerMillion);
            c = c != 0 ? c : x.CachedInputPerMillion.CompareTo(y.CachedInputPerMillion);
            c = c != 0 ? c : x.CacheWritePerMillion.CompareTo(y.CacheWritePerMillion);
            c = c != 0 ? c : x.OutputPerMillion.CompareTo(y.OutputPerMillion);
            c = c != 0 ? c : x.ReasoningPerMillion.CompareTo(y.ReasoningPerMillion);
        }
        else if (c == 0)
        {
            c = a.Prices.HasValue.CompareTo(b.Prices.HasValue);
        }

        return c;
    }
}
