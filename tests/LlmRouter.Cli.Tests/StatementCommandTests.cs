using LlmRouter.Cli.Tests.Support;
using LlmRouter.Tests.Support;

namespace LlmRouter.Cli.Tests;

/// <summary><c>llmrouter statement</c> against a SQLite audit file.</summary>
public sealed class StatementCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_statement_prints_its_lines_refusals_budgets_and_total_and_writes_both_csv_files()
    {
        string file = await Tool.AuditFileAsync(_directory.Path);
        string config = _directory.File("appsettings.json");
        await File.WriteAllTextAsync(config, """
            { "LlmRouter": { "Budgets": { "TimeZone": "Europe/Zurich" },
                             "Keys": { "client-chat": { "Models": [ "*" ], "Regions": [ "*" ], "Budget": { "Limit": 3, "Models": { "summarizer": { "Limit": 0.01, "Period": "Daily" } } } } } } }
            """);

        (int code, string output, string error) = await Tool.RunAsync("statement", "--sqlite", file, "--key", "client-chat", "--month", "2026-11", "--config", config, "--csv", _directory.File("statement.csv"), "--rows-csv", _directory.File("rows.csv"));

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.StartsWith("Statement of key client-chat, 2026-11-01 to 2026-11-30 (Europe/Zurich), closed", output, StringComparison.Ordinal);
        Assert.Contains("UNPRICED", output, StringComparison.Ordinal);
        Assert.Contains("Refused before any provider was called, at no cost:", output, StringComparison.Ordinal);
        Assert.Contains("model_not_allowed", output, StringComparison.Ordinal);
        Assert.Contains("Budgets against actual:", output, StringComparison.Ordinal);
        Assert.Contains("model summarizer  Daily", output, StringComparison.Ordinal);
        List<Dictionary<string, string>> statement = Csv.Table(await File.ReadAllTextAsync(_directory.File("statement.csv")));
        string total = Assert.Single(statement, r => r["kind"] == "total")["amount"];
        Assert.Contains($"Total: {total} USD for ", output, StringComparison.Ordinal);
        Assert.Equal(30, statement.Count(r => r["kind"] == "budget" && r["model"] == "summarizer"));
        List<Dictionary<string, string>> rows = Csv.Table(await File.ReadAllTextAsync(_directory.File("rows.csv")));
        Assert.Equal(total, AuditText.Decimal(rows.Where(r => r["cost"].Length > 0).Sum(r => decimal.Parse(r["cost"], System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Contains("Request rows CSV: " + _directory.File("rows.csv"), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_period_is_the_previous_month_and_all_clients_can_be_stated_together()
    {
        string file = await Tool.AuditFileAsync(_directory.Path, 300);

        (int code, string output, _) = await Tool.RunAsync("statement", "--sqlite", file, "--all", "--time-zone", "Europe/Zurich");

        Assert.Equal(0, code);
        Assert.StartsWith("Statement of every request, 2026-11-01 to 2026-11-30 (Europe/Zurich), closed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_period_not_over_yet_is_marked_provisional()
    {
        string file = await Tool.AuditFileAsync(_directory.Path, 100);

        (int code, string output, _) = await Tool.RunAsync("statement", "--sqlite", file, "--tenant", "acme", "--from", "2026-11-20", "--to", "2026-12-31");

        Assert.Equal(0, code);
        Assert.Contains("PROVISIONAL", output, StringComparison.Ordinal);
    }
}
