using System.Text.RegularExpressions;
using LlmRouter.Samples.Tests.Support;

namespace LlmRouter.Samples.Tests.Quickstart;

/// <summary>
/// The README's "run it" command, run as the README gives it (already built by this test run), with no API key: every
/// part of the story it tells must show in its output, one line at a time.
/// </summary>
public partial class QuickstartTests
{
    [Fact]
    public async Task The_quickstart_runs_without_an_api_key_and_shows_everything_the_readme_promises()
    {
        // A file of an earlier run, which this run must delete.
        string runDirectory = Path.Combine(Path.GetTempPath(), "llmrouter-quickstart");
        Directory.CreateDirectory(runDirectory);
        string earlier = Path.Combine(runDirectory, "audit-20000101-000000-000.db");
        await File.WriteAllTextAsync(earlier, "an earlier run");

        (int exitCode, string output) = await ExternalProcess.RunAsync(
            "dotnet",
            ["run", "--project", Path.Combine("samples", "Quickstart"), "--no-build", "--configuration", Repository.Configuration],
            Repository.Root,
            TimeSpan.FromMinutes(3),
            new Dictionary<string, string?> { ["OPENAI_API_KEY"] = null, ["DOTNET_NOLOGO"] = "1" });
        var lines = new OutputLines(output);

        Assert.True(exitCode == 0, $"The Quickstart exited with {exitCode}:\n{output}");

        // Where each request went, as a table: a header, a rule, one row per request.
        lines.Single("the table's header", line => Cells(line) is ["#", "key", "asked for", "stream", "served by", "provider", "region", "attempts", "1st token", "total", "tokens", "cost"]);
        lines.Single("a row falling back from the flaky provider to the steady one, both attempts shown", line => Row(line) is { } row && row[2] == "assistant" && row[7] == "eu-flaky 503 -> ch-steady ok" && row[4] == "assistant-ch");
        lines.Single("the streamed call, with its time to first token", line => Row(line) is { } row && row[3] == "yes" && row[7].EndsWith(" ok", StringComparison.Ordinal) && Milliseconds().IsMatch(row[8]));
        int priced = lines.Count("a served call with its cost", line => Row(line) is { } row && row[7].EndsWith(" ok", StringComparison.Ordinal) && Money().IsMatch(row[11]));
        Assert.True(priced >= 6, $"Expected every served call priced, found {priced}:\n{output}");
        lines.Single("the total cost of the served calls", line => Regex.IsMatch(line, $@"^Total cost: {Money()} for {priced} calls\."));

        // A whitelist refusal, a redaction, a budget refusal.
        lines.Single("the client key refused a model outside its whitelist", line => line.Contains("refused (model_not_allowed): The caller's key may not use model 'summarizer'.", StringComparison.Ordinal));
        lines.Single("the e-mail address and the IBAN redacted before they left for the US", line =>
            line.Contains("us-echo received: Translate: please pay from [IBAN_1] and confirm to [EMAIL_1].", StringComparison.Ordinal) &&
            line.Contains("[personal data found: iban 1, email 1]", StringComparison.Ordinal) &&
            !line.Contains("alice.muster@example.ch", StringComparison.Ordinal));
        lines.Single("the trial key running into its budget, before any provider", line => Row(line) is { } row && row[1] == "trial" && row[7] == "ch-steady skipped (budget_exceeded)" && row[11] == "-");
        lines.Single("the budget refusal's reason", line => line.Contains("refused (budget_exceeded): Budget exceeded: the key's daily budget of $0.0005", StringComparison.Ordinal));
        lines.Single("what is left of the trial key's budget", line => Regex.IsMatch(line, $@"^Budget of the key 'trial': {Money()} spent of \$0\.000500 today, {Money()} left;"));

        // The spend read back from this run's SQLite audit file, and its hash chains verified.
        string spendTitle = lines.Single("the spend read back from the audit file", line => SpendTitle().IsMatch(line));
        lines.Single("the spend table's header", line => Cells(line) is ["key", "asked for", "provider", "status", "requests", "tokens in", "tokens out", "cost"]);
        lines.Single("the refused requests in the spend", line => Cells(line) is ["client-chat", "summarizer", "-", "rejected", "1", "0", "0", "$0.000000"]);
        lines.Single("the spend's total", line => Regex.IsMatch(line, $@"^Total: 10 request\(s\), {Money()}\.$"));
        lines.Single("the hash chains verified", line => Regex.IsMatch(line, @"^Audit log verified: 10 record\(s\) in \d+ hash chain\(s\), none altered, removed or inserted\.$"));

        // The HTML report of the run, beside its audit file, self-contained and with its charts.
        string reportLine = lines.Single("where the HTML report of the run is", line => line.StartsWith("HTML report of this run (open it in a browser): ", StringComparison.Ordinal));
        string reportFile = reportLine["HTML report of this run (open it in a browser): ".Length..].Trim();
        Assert.True(File.Exists(reportFile), $"{reportFile} is missing");
        string html = await File.ReadAllTextAsync(reportFile);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);

        // Only this run's files are kept: its audit file (with SQLite's -wal and -shm) and anything else named after it.
        string auditFile = SpendTitle().Match(spendTitle).Groups[1].Value;
        Assert.Equal(Path.ChangeExtension(auditFile, ".html"), reportFile);
        Assert.Equal(runDirectory, Path.GetDirectoryName(auditFile));
        Assert.True(File.Exists(auditFile), $"{auditFile} is missing");
        string run = auditFile[..^".db".Length];
        Assert.All(Directory.GetFiles(runDirectory), file => Assert.StartsWith(run + ".", file, StringComparison.Ordinal));
    }

    /// <summary>The cells of a table line (<c>a | b | c</c>), trimmed, or an empty array for any other line.</summary>
    private static string[] Cells(string line) =>
        line.Contains(" | ", StringComparison.Ordinal) ? [.. line.Split('|').Select(cell => cell.Trim())] : [];

    /// <summary>The cells of a row of the request table (twelve cells, numbered), or <see langword="null"/>.</summary>
    private static string[]? Row(string line) =>
        Cells(line) is { Length: 12 } cells && int.TryParse(cells[0], out _) ? cells : null;

    [GeneratedRegex(@"\$\d+\.\d{6,8}")]
    private static partial Regex Money();

    [GeneratedRegex(@"^\d+ ms$")]
    private static partial Regex Milliseconds();

    [GeneratedRegex(@"^Spend of this run, read back from the audit log (.+\.db):$")]
    private static partial Regex SpendTitle();

    /// <summary>The program's output as lines, with assertions that name what they looked for and show the whole output when they fail.</summary>
    private sealed class OutputLines(string output)
    {
        private readonly string[] _lines = output.Split('\n');

        /// <summary>Finds the one line that shows <paramref name="what"/>.</summary>
        public string Single(string what, Func<string, bool> match)
        {
            string[] found = [.. _lines.Where(match)];
            Assert.True(found.Length == 1, $"Expected one line showing {what}, found {found.Length}:\n{output}");
            return found[0];
        }

        /// <summary>Counts the lines that show <paramref name="what"/>.</summary>
        public int Count(string what, Func<string, bool> match)
        {
            int count = _lines.Count(match);
            Assert.True(count > 0, $"Expected lines showing {what}, found none:\n{output}");
            return count;
        }
    }
}
