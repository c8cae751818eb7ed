namespace LlmRouter;

/// <summary>Adds a statement up from its records, streamed in start order: lines, refusals, request counts and budget windows.</summary>
internal sealed class StatementBuilder
{
    private readonly StatementPlan _plan;
    private readonly Dictionary<StatementLineKey, Line> _lines = [];
    private readonly Dictionary<(string?, string?), long> _refusals = [];
    private readonly IReadOnlyDictionary<StatementLineKey, int>? _numbering;
    private StatementTotals _totals;

    /// <param name="plan">The resolved request.</param>
    /// <param name="numbering">Line numbers an earlier pass gave, kept so request rows already written still name the right line; <see langword="null"/> to number in the statement's order.</param>
    public StatementBuilder(StatementPlan plan, IReadOnlyDictionary<StatementLineKey, int>? numbering = null)
    {
        _plan = plan;
        _numbering = numbering;
    }

    /// <summary>Adds a record; <paramref name="charges"/> receives what it was billed, line by line.</summary>
    public void Add(AuditRecord record, List<StatementCharge> charges)
    {
        StatementCharge.Split(record, charges);
        _totals.Requests++;
        switch (record.Status)
        {
            case RouteStatus.Served:
                _totals.Served++;
                break;
            case RouteStatus.Rejected:
                _totals.Rejected++;
                (string?, string?) refusal = (record.RequestedModel, record.ReasonCode);
                _refusals[refusal] = _refusals.GetValueOrDefault(refusal) + 1;
                break;
            case RouteStatus.Failed:
                _totals.Failed++;
                break;
            case RouteStatus.Cancelled:
                _totals.Cancelled++;
                break;
        }

        if (charges.Count > 0 && record.Status is RouteStatus.Failed or RouteStatus.Cancelled)
        {
            _totals.BilledUnserved++;
        }

        if (record.TokensEstimated)
        {
            _totals.Estimated++;
        }

        bool unpriced = record.PriceUnknown;
        for (int i = 0; i < charges.Count; i++)
        {
            StatementCharge charge = charges[i];
            unpriced |= !charge.Key.IsPriced;
            if (!_lines.TryGetValue(charge.Key, out Line? line))
            {
                line = new Line();
                _lines.Add(charge.Key, line);
            }

            line.Requests++;
            line.Tokens += charge.Tokens;
            line.Amount += charge.Cost;
            line.Estimated += charge.Estimated ? 1 : 0;
        }

        if (unpriced)
        {
            _totals.Unpriced++;
        }

        foreach (StatementBudgetPlan budget in _plan.Budgets)
        {
            budget.Count(record.StartedAt, charges);
        }
    }

    /// <summary>The statement of the records added, and the number of each of its lines.</summary>
    public SpendStatement Build(DateTimeOffset now, out Dictionary<StatementLineKey, int> numbering)
    {
        var keys = new List<StatementLineKey>(_lines.Keys);
        keys.Sort(StatementLineKey.Compare);
        numbering = [];
        int next = 1;
        if (_numbering is not null)
        {
            foreach ((StatementLineKey key, int number) in _numbering)
            {
                numbering[key] = number;
                next = Math.Max(next, number + 1);
            }
        }

        foreach (StatementLineKey key in keys)
        {
            if (!numbering.ContainsKey(key))
            {
                numbering[key] = next++;
            }
        }

        var lines = new List<SpendStatementLine>(keys.Count);
        foreach (StatementLineKey key in keys)
        {
            Line line = _lines[key];
            lines.Add(new SpendStatementLine(numbering[key], key.Model, key.IsPriced, key.Prices, key.PriceSource, key.CatalogVersion, line.Requests, line.Tokens, AuditText.Normalize(line.Amount), line.Estimated));
        }

        lines.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        var refusals = new List<SpendStatementRefusal>(_refusals.Count);
        foreach (((string? model, string? reason), long count) in _refusals)
        {
            refusals.Add(new SpendStatementRefusal(model, reason, count));
        }

        refusals.Sort(static (a, b) =>
        {
            int c = string.CompareOrdinal(a.RequestedModel, b.RequestedModel);
            return c != 0 ? c : string.CompareOrdinal(a.ReasonCode, b.ReasonCode);
        });

        var budgets = new List<SpendStatementBudget>(_plan.Budgets.Count);
        foreach (StatementBudgetPlan budget in _plan.Budgets)
        {
            budgets.Add(budget.Build());
        }

        return new SpendStatement(_plan.Request, _plan.Zone, _plan.From, _plan.To, now, _totals, lines, refusals, budgets);
    }

    private sealed class Line
    {
        public long Requests;
        public TokenUsage Tokens;
        public decimal Amount;
        public long Estimated;
    }
}
