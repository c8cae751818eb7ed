namespace LlmRouter;

/// <summary>
/// What one request was billed on one statement line: the calls of its attempts that share a model and prices, summed.
/// Nearly every request has one; one billed on two deployments at different prices (a failed attempt the provider
/// charged for, then the fallback that served it) has one per line.
/// </summary>
internal struct StatementCharge
{
    public StatementLineKey Key;
    public TokenUsage Tokens;
    public decimal Cost;
    public bool Estimated;

    /// <summary>
    /// Splits a record into its charges, from its attempts; from the record's own totals when its attempts do not add up
    /// to them (a record written by another tool), so that the charges always add up to the record's tokens and cost.
    /// </summary>
    public static void Split(AuditRecord record, List<StatementCharge> charges)
    {
        charges.Clear();
        decimal cost = 0m;
        TokenUsage tokens = default;
        IReadOnlyList<AuditAttempt> attempts = record.Attempts;
        for (int i = 0; i < attempts.Count; i++)
        {
            AuditAttempt attempt = attempts[i];
            if (attempt.Outcome == AttemptOutcome.Skipped || (attempt.Tokens.IsEmpty && (attempt.Cost ?? 0m) == 0m && !attempt.PriceUnknown))
            {
                continue;
            }

            bool priced = attempt.Cost is not null && !attempt.PriceUnknown;
            Add(charges, new StatementLineKey(attempt.Model, priced, priced ? attempt.Prices : null, priced ? attempt.CatalogVersion : null, priced ? attempt.PriceSource : null), attempt.Tokens, priced ? attempt.Cost!.Value : 0m, attempt.TokensEstimated);
            cost += priced ? attempt.Cost!.Value : 0m;
            tokens += attempt.Tokens;
        }

        if (cost == (record.Cost ?? 0m) && tokens == record.Tokens)
        {
            return;
        }

        charges.Clear();
        if (record.Tokens.IsEmpty && (record.Cost ?? 0m) == 0m && !record.PriceUnknown)
        {
            return;
        }

        bool recordPriced = record.Cost is not null && !record.PriceUnknown;
        string model = record.ServedModel ?? record.RequestedModel ?? string.Empty;
        Add(charges, new StatementLineKey(model, recordPriced, recordPriced ? record.Prices : null, recordPriced ? record.CatalogVersion : null, recordPriced ? record.PriceSource : null), record.Tokens, record.Cost ?? 0m, record.TokensEstimated);
    }

    private static void Add(List<StatementCharge> charges, StatementLineKey key, TokenUsage tokens, decimal cost, bool estimated)
    {
        for (int i = 0; i < charges.Count; i++)
        {
            if (charges[i].Key == key)
            {
                StatementCharge existing = charges[i];
                existing.Tokens += tokens;
                existing.Cost += cost;
                existing.Estimated |= estimated;
                charges[i] = existing;
                return;
            }
        }

        charges.Add(new StatementCharge { Key = key, Tokens = tokens, Cost = cost, Estimated = estimated });
    }
}
