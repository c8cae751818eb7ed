using System.Globalization;
using System.Text;

namespace LlmRouter.Cli;

/// <summary>A statement as plain text for a terminal: a header, aligned tables of lines, refusals and budgets, and the total. Amounts exact.</summary>
internal static class StatementText
{
    private static readonly string[] LineHeader = ["#", "model", "requests", "input", "cached", "cache write", "output", "reasoning", "$ in", "$ cached", "$ write", "$ out", "$ reasoning", "amount", "price source"];
    private static readonly string[] RefusalHeader = ["requested model", "reason", "requests", "amount"];
    private static readonly string[] BudgetHeader = ["budget", "period", "limit", "windows", "actual", "highest window", "over the limit"];
    private static readonly int[] LineNumbers = [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
    private static readonly int[] RefusalNumbers = [2, 3];
    private static readonly int[] BudgetNumbers = [2, 3, 4, 5];

    public static string Format(SpendStatement statement, bool configured)
    {
        var text = new StringBuilder();
        string client = statement.Scope switch
        {
            BudgetScope.Key => "key " + statement.Name,
            BudgetScope.Tenant => "tenant " + statement.Name,
            _ => "every request",
        };
        text.Append(CultureInfo.InvariantCulture, $"Statement of {client}, {statement.FirstDay:yyyy-MM-dd} to {statement.LastDay:yyyy-MM-dd} ({statement.TimeZone})")
            .Append(statement.IsClosed ? ", closed" : ", PROVISIONAL: the period is not over")
            .Append(CultureInfo.InvariantCulture, $"; made {statement.GeneratedAt:yyyy-MM-dd HH:mm:ss}Z. Amounts in {statement.Currency}, prices per million tokens.\n\n");

        var lines = new List<string[]> { LineHeader };
        foreach (SpendStatementLine line in statement.Lines)
        {
            PriceRates? p = line.Prices;
            lines.Add(
            [
                Integer(line.Number), line.Model, Integer(line.Requests), Integer(line.Tokens.InputTokens), Integer(line.Tokens.CachedInputTokens),
                Integer(line.Tokens.CacheWriteTokens), Integer(line.Tokens.OutputTokens), Integer(line.Tokens.ReasoningTokens),
                Money(p?.InputPerMillion), Money(p?.CachedInputPerMillion), Money(p?.CacheWritePerMillion), Money(p?.OutputPerMillion), Money(p?.ReasoningPerMillion),
                line.Amount is decimal amount ? AuditText.Decimal(amount) : "UNPRICED", line.PriceSource ?? "-",
            ]);
        }

        if (statement.Lines.Count == 0)
        {
            text.Append("No billed calls.\n");
        }
        else
        {
            Table(text, lines, LineNumbers);
        }

        text.Append(CultureInfo.InvariantCulture, $"\nTotal: {AuditText.Decimal(statement.Total)} {statement.Currency} for {statement.Requests} request(s): {statement.ServedRequests} served, {statement.RejectedRequests} refused, {statement.FailedRequests} failed, {statement.CancelledRequests} cancelled");
        if (statement.BilledUnservedRequests > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({statement.BilledUnservedRequests} failed or cancelled but billed, on the lines above)");
        }

        text.Append(".\n");
        if (statement.UnpricedRequests > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"WARNING: {statement.UnpricedRequests} request(s) used tokens at an unknown price (UNPRICED lines): their cost is not in the total.\n");
        }

        if (statement.EstimatedRequests > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{statement.EstimatedRequests} request(s) had tokens counted by LlmRouter because the provider reported none.\n");
        }

        if (statement.Refusals.Count > 0)
        {
            text.Append("\nRefused before any provider was called, at no cost:\n");
            var refusals = new List<string[]> { RefusalHeader };
            foreach (SpendStatementRefusal refusal in statement.Refusals)
            {
                refusals.Add([refusal.RequestedModel ?? "-", refusal.ReasonCode ?? "-", Integer(refusal.Requests), "0"]);
            }

            Table(text, refusals, RefusalNumbers);
        }

        if (statement.Budgets.Count > 0)
        {
            text.Append("\nBudgets against actual:\n");
            var budgets = new List<string[]> { BudgetHeader };
            foreach (SpendStatementBudget budget in statement.Budgets)
            {
                budgets.Add(
                [
                    budget.Model is null ? "all models" : "model " + budget.Model, budget.Period.ToString(), AuditText.Decimal(budget.Limit),
                    Integer(budget.Windows.Count), AuditText.Decimal(budget.Actual), AuditText.Decimal(budget.Highest), budget.Exceeded ? "YES" : "no",
                ]);
            }

            Table(text, budgets, BudgetNumbers);
        }
        else if (configured)
        {
            text.Append("\nNo budget is configured for this client.\n");
        }

        return text.ToString();
    }

    private static void Table(StringBuilder text, List<string[]> rows, int[] numeric)
    {
        int columns = rows[0].Length;
        var widths = new int[columns];
        foreach (string[] row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        foreach (string[] row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                if (c > 0)
                {
                    text.Append("  ");
                }

                text.Append(Array.IndexOf(numeric, c) >= 0 ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
            }

            text.Append('\n');
        }
    }

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Money(decimal? value) => value is decimal v ? AuditText.Decimal(v) : "-";
}
