namespace LlmRouter;

/// <summary>The two CSV exports of a statement: the statement itself, and its request rows. Columns are documented in <c>docs/reports.md</c>.</summary>
internal static class StatementCsv
{
    public const string StatementHeader =
        "kind,scope,client,first_day,last_day,time_zone,closed,line,model,reason_code,catalog_version,price_source,requests," +
        "input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens," +
        "price_input,price_cached_input,price_cache_write,price_output,price_reasoning,priced,amount,currency," +
        "budget_period,budget_limit,window_start,window_end,partial_window";

    public const string RowsHeader =
        "id,started_at,started_local,key,tenant,user,requested_model,served_model,provider,provider_model,status,reason_code," +
        "line,charged_model,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,tokens_estimated," +
        "price_input,price_cached_input,price_cache_write,price_output,price_reasoning,catalog_version,price_source,priced,cost,currency";

    public static async Task WriteStatementAsync(SpendStatement statement, TextWriter destination, CancellationToken cancellationToken)
    {
        TimeZoneInfo zone = statement.Zone;
        var row = new CsvRow();
        row.Line(StatementHeader);
        foreach (SpendStatementLine line in statement.Lines)
        {
            Client(row.Text("line"), statement).Integer(line.Number).Text(line.Model).Empty().Text(line.CatalogVersion).Text(line.PriceSource).Integer(line.Requests);
            Tokens(row, line.Tokens);
            Prices(row, line.Prices).Boolean(line.IsPriced).Decimal(line.Amount).Text(SpendStatement.Usd).Empty().Empty().Empty().Empty().Empty().End();
        }

        foreach (SpendStatementRefusal refusal in statement.Refusals)
        {
            Client(row.Text("refused"), statement).Empty().Text(refusal.RequestedModel).Text(refusal.ReasonCode).Empty().Empty().Integer(refusal.Requests);
            Tokens(row, default);
            Prices(row, null).Boolean(true).Decimal(refusal.Amount).Text(SpendStatement.Usd).Empty().Empty().Empty().Empty().Empty().End();
        }

        foreach (SpendStatementBudget budget in statement.Budgets)
        {
            foreach (SpendStatementBudgetWindow window in budget.Windows)
            {
                Client(row.Text("budget"), statement).Empty().Text(budget.Model).Empty().Empty().Empty().Empty();
                row.Empty().Empty().Empty().Empty().Empty();
                Prices(row, null).Boolean(true).Decimal(window.Actual).Text(SpendStatement.Usd)
                    .Text(budget.Period.ToString()).Decimal(budget.Limit).Local(window.Start, zone).Local(window.End, zone).Boolean(window.IsPartial).End();
            }
        }

        Client(row.Text("total"), statement).Empty().Empty().Empty().Empty().Empty().Integer(statement.Requests);
        Tokens(row, statement.Tokens);
        Prices(row, null).Boolean(statement.IsComplete).Decimal(statement.Total).Text(SpendStatement.Usd).Empty().Empty().Empty().Empty().Empty().End();
        await destination.WriteAsync(row.Memory, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a request's rows: one per line it was billed on, or one at zero cost when it was billed nothing.</summary>
    public static void AddRows(CsvRow row, AuditRecord record, List<StatementCharge> charges, Dictionary<StatementLineKey, int> numbering, TimeZoneInfo zone)
    {
        if (charges.Count == 0)
        {
            Request(row, record, zone).Empty().Empty();
            Tokens(row, default).Boolean(record.TokensEstimated);
            Prices(row, null).Empty().Empty().Boolean(true).Decimal(0m).Text(SpendStatement.Usd).End();
            return;
        }

        foreach (StatementCharge charge in charges)
        {
            if (!numbering.TryGetValue(charge.Key, out int number))
            {
                // A line that first appeared after the lines were numbered (a request recorded between the two reads).
                number = numbering.Count + 1;
                numbering.Add(charge.Key, number);
            }

            Request(row, record, zone).Integer(number).Text(charge.Key.Model);
            Tokens(row, charge.Tokens).Boolean(charge.Estimated);
            Prices(row, charge.Key.Prices).Text(charge.Key.CatalogVersion).Text(charge.Key.PriceSource).Boolean(charge.Key.IsPriced)
                .Decimal(charge.Key.IsPriced ? charge.Cost : null).Text(SpendStatement.Usd).End();
        }
    }

    private static CsvRow Request(CsvRow row, AuditRecord record, TimeZoneInfo zone)
    {
        return row.Guid(record.Id).Utc(record.StartedAt).Local(record.StartedAt, zone).Text(record.Key).Text(record.Tenant).Text(record.User)
            .Text(record.RequestedModel).Text(record.ServedModel).Text(record.Provider).Text(record.ProviderModel)
            .Text(AuditText.Status(record.Status)).Text(record.ReasonCode);
    }

    private static CsvRow Client(CsvRow row, SpendStatement statement) =>
        row.Text(Scope(statement.Scope)).Text(statement.Name).Date(statement.FirstDay).Date(statement.LastDay).Text(statement.TimeZone).Boolean(statement.IsClosed);

    private static string Scope(BudgetScope scope) => scope switch
    {
        BudgetScope.Key => "key",
        BudgetScope.Tenant => "tenant",
        _ => "global",
    };

    private static CsvRow Tokens(CsvRow row, TokenUsage tokens) =>
        row.Integer(tokens.InputTokens).Integer(tokens.CachedInputTokens).Integer(tokens.CacheWriteTokens).Integer(tokens.OutputTokens).Integer(tokens.ReasoningTokens);

    private static CsvRow Prices(CsvRow row, PriceRates? prices) =>
        row.Decimal(prices?.InputPerMillion).Decimal(prices?.CachedInputPerMillion).Decimal(prices?.CacheWritePerMillion).Decimal(prices?.OutputPerMillion).Decimal(prices?.ReasoningPerMillion);
}
