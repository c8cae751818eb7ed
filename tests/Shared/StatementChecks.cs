using System.Globalization;

namespace LlmRouter.Tests.Support;

/// <summary>Checks shared by the statement specs of every store.</summary>
internal static class StatementChecks
{
    /// <summary>The request rows, grouped by line, add up to each line's tokens and amount exactly, and all of them to the total.</summary>
    public static void RowsAddUp(SpendStatement statement, List<Dictionary<string, string>> rows)
    {
        Assert.NotEmpty(statement.Lines);
        Assert.Contains(statement.Lines, l => !l.IsPriced);
        Assert.Contains(statement.Lines, l => AuditText.Decimal(l.Amount ?? 0m).Length > 12);
        foreach (SpendStatementLine line in statement.Lines)
        {
            List<Dictionary<string, string>> mine = [.. rows.Where(r => r["line"] == line.Number.ToString(CultureInfo.InvariantCulture))];
            Assert.Equal(line.Requests, mine.Count);
            Assert.Equal(line.Tokens.InputTokens, mine.Sum(r => long.Parse(r["input_tokens"], CultureInfo.InvariantCulture)));
            Assert.Equal(line.Tokens.CachedInputTokens, mine.Sum(r => long.Parse(r["cached_input_tokens"], CultureInfo.InvariantCulture)));
            Assert.Equal(line.Tokens.CacheWriteTokens, mine.Sum(r => long.Parse(r["cache_write_tokens"], CultureInfo.InvariantCulture)));
            Assert.Equal(line.Tokens.OutputTokens, mine.Sum(r => long.Parse(r["output_tokens"], CultureInfo.InvariantCulture)));
            Assert.Equal(line.Tokens.ReasoningTokens, mine.Sum(r => long.Parse(r["reasoning_tokens"], CultureInfo.InvariantCulture)));
            Assert.All(mine, r => Assert.Equal(line.Model, r["charged_model"]));
            if (line.IsPriced)
            {
                Assert.Equal(AuditText.Decimal(line.Amount!.Value), AuditText.Decimal(mine.Sum(r => Money(r["cost"]))));
                Assert.All(mine, r => Assert.Equal(AuditText.Decimal(line.Prices!.Value.InputPerMillion), r["price_input"]));
            }
            else
            {
                Assert.All(mine, r => Assert.Equal((string.Empty, "false"), (r["cost"], r["priced"])));
            }
        }

        Assert.Equal(AuditText.Decimal(statement.Total), AuditText.Decimal(rows.Where(r => r["cost"].Length > 0).Sum(r => Money(r["cost"]))));
        Assert.Equal(statement.Requests, rows.Select(r => r["id"]).Distinct().LongCount());
    }

    private static decimal Money(string text) => decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
