using System.Globalization;
using LlmRouter.Sqlite;
using LlmRouter.Sqlite.Tests.Audit;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Reports;

/// <summary>The CSV exports of a statement: the statement, and the request rows that add up to it.</summary>
public sealed class StatementCsvTests : IDisposable
{
    private readonly SqliteAuditFile _file = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task The_request_rows_add_up_exactly_to_every_line_and_to_the_total()
    {
        (SpendStatement statement, string rows) = await ExportAsync(StatementSamples.Month(3000), BudgetScope.Tenant, "acme");

        StatementChecks.RowsAddUp(statement, Csv.Table(rows));
    }

    [Fact]
    public async Task Every_request_has_a_row_and_refused_ones_cost_zero()
    {
        List<AuditRecord> records = StatementSamples.Month(800);
        (SpendStatement statement, string rows) = await ExportAsync(records, BudgetScope.Key, "client-chat");
        List<Dictionary<string, string>> table = Csv.Table(rows);

        Assert.Equal(statement.Requests, table.Select(r => r["id"]).Distinct().LongCount());
        Assert.Equal(AuditSamples.InRange(records, StatementSamples.November, StatementSamples.December, "client-chat").Select(r => r.Id.ToString("D")), table.Select(r => r["id"]).Distinct());
        Assert.All(table.Where(r => r["status"] == "rejected"), r =>
        {
            Assert.Equal("0", r["cost"]);
            Assert.Equal(string.Empty, r["line"]);
            Assert.NotEqual(string.Empty, r["reason_code"]);
        });
        Assert.Contains(table, r => r["status"] == "served" && r["priced"] == "false" && r["cost"] == string.Empty);
    }

    [Fact]
    public async Task Text_is_quoted_as_rfc_4180_says_and_cannot_run_as_a_spreadsheet_formula()
    {
        AuditRecord record = StatementSamples.Served(new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero), "client-chat", "acme", "-cmd|' /C calc'!A0", "mistral", new TokenUsage { InputTokens = 10 }, StatementSamples.Large);
        (_, string rows) = await ExportAsync([record], BudgetScope.Key, "client-chat");

        Dictionary<string, string> row = Assert.Single(Csv.Table(rows));
        Assert.Equal("'=HYPERLINK(\"http://x\",\"zoë, \"\"the\"\" user\")", row["user"]);
        Assert.Equal("'-cmd|' /C calc'!A0", row["requested_model"]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"zoë, \"\"\"\"the\"\"\"\" user\"\")\"", rows, StringComparison.Ordinal);
        Assert.EndsWith("\r\n", rows, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numbers_are_invariant_and_exact_whatever_the_culture()
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-CH");
        try
        {
            var tokens = new TokenUsage { InputTokens = 1_234_567, OutputTokens = 3 };
            (SpendStatement statement, string rows) = await ExportAsync([StatementSamples.Served(new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero), "client-chat", "acme", "assistant", "mistral", tokens, StatementSamples.LargeRepriced)], BudgetScope.Key, "client-chat");
            Dictionary<string, string> row = Assert.Single(Csv.Table(rows));

            Assert.Equal("2.0833333333", row["price_input"]);
            Assert.Equal("1234567", row["input_tokens"]);
            Assert.Equal(AuditText.Decimal(StatementSamples.LargeRepriced.Cost(tokens)), row["cost"]);
            Assert.Equal("2.572039583292181", row["cost"]);
            Assert.Equal("2026-11-03T10:00:00.000000Z", row["started_at"]);
            Assert.Equal("2026-11-03T11:00:00.000000+01:00", row["started_local"]);

            var csv = new StringWriter();
            await statement.WriteCsvAsync(csv);
            Dictionary<string, string> total = Csv.Table(csv.ToString()).Single(r => r["kind"] == "total");
            Assert.Equal("2.572039583292181", total["amount"]);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public async Task The_statement_has_a_row_per_line_refusal_and_budget_window_and_a_total()
    {
        var options = new LlmRouterOptions { Budgets = { TimeZone = "Europe/Zurich" } };
        options.Tenants["acme"] = new TenantOptions { Budget = new BudgetOptions { Limit = 100m, Period = BudgetPeriod.Weekly } };
        (SpendStatement statement, _) = await ExportAsync(StatementSamples.Month(500), BudgetScope.Tenant, "acme", options);
        var csv = new StringWriter();

        await statement.WriteCsvAsync(csv);

        List<Dictionary<string, string>> table = Csv.Table(csv.ToString());
        Assert.Equal(31, table[0].Count);
        Assert.Equal(statement.Lines.Count, table.Count(r => r["kind"] == "line"));
        Assert.Equal(statement.Refusals.Count, table.Count(r => r["kind"] == "refused"));
        Assert.Equal(6, table.Count(r => r["kind"] == "budget"));
        Assert.Equal(["true", "false", "false", "false", "false", "true"], table.Where(r => r["kind"] == "budget").Select(r => r["partial_window"]));
        Assert.Equal("2026-11-02T00:00:00.000000+01:00", table.First(r => r["kind"] == "budget" && r["partial_window"] == "false")["window_start"]);
        Dictionary<string, string> total = Assert.Single(table, r => r["kind"] == "total");
        Assert.Equal(AuditText.Decimal(statement.Total), total["amount"]);
        Assert.Equal(statement.Requests.ToString(CultureInfo.InvariantCulture), total["requests"]);
        Assert.All(table, r => Assert.Equal(("tenant", "acme", "2026-11-01", "2026-11-30", "Europe/Zurich", "true"), (r["scope"], r["client"], r["first_day"], r["last_day"], r["time_zone"], r["closed"])));
        Assert.Equal(
            table.Where(r => r["kind"] == "line" && r["priced"] == "true").Sum(r => decimal.Parse(r["amount"], CultureInfo.InvariantCulture)),
            decimal.Parse(total["amount"], CultureInfo.InvariantCulture));
    }

    private async Task<(SpendStatement Statement, string Rows)> ExportAsync(List<AuditRecord> records, BudgetScope scope, string name, LlmRouterOptions? options = null)
    {
        await using var store = _file.Store();
        await AuditSamples.WriteAsync(store, records);
        var rows = new StringWriter();
        SpendStatement statement = await new SpendStatements(store, options ?? new LlmRouterOptions { Budgets = { TimeZone = "Europe/Zurich" } }, _time)
            .WriteRowsCsvAsync(SpendStatementRequest.ForMonth(scope, name, 2026, 11), rows);
        return (statement, rows.ToString());
    }
}
