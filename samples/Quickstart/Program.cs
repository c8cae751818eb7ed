// LlmRouter Quickstart: routes a few requests through Simulated providers (one of them flaky), one streamed,
// and prints where each went, any fallback, the timings, and what each call cost, with a total. Then a client's virtual
// key asks for a model outside its whitelist (refused before any provider is contacted) and sends an e-mail address and
// an IBAN to a US provider (redacted before they leave the process), and a trial key runs into its daily budget of
// $0.0005 (refused before any provider is contacted) and reads what is left of it. Every request — refusals included —
// is written to a SQLite audit file, which also keeps the budgets; the Quickstart ends by reading this run's spend back
// from that file, verifying its hash chains, and writing the HTML report of the run beside it. Needs no API key; with OPENAI_API_KEY set it also sends one request to
// OpenAI through the same router.
using System.Globalization;
using LlmRouter;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
string? openAiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
if (!string.IsNullOrWhiteSpace(openAiKey))
{
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["LlmRouter:Providers:openai:Kind"] = "OpenAI",
        ["LlmRouter:Providers:openai:Region"] = "us",
        ["LlmRouter:Providers:openai:ApiKey"] = openAiKey,
        ["LlmRouter:Models:gpt-4o-mini:Deployments:0:Provider"] = "openai",
        ["LlmRouter:Models:gpt-4o-mini:Deployments:0:Model"] = "gpt-4o-mini",
        ["LlmRouter:Models:gpt-4o-mini:Fallbacks:0"] = "assistant-ch",
    });
}

// A fresh audit file per run, so every run tells the same story (budgets are kept in the same file); earlier runs'
// files are deleted, so the directory holds only this run's.
string runDirectory = Path.Combine(Path.GetTempPath(), "llmrouter-quickstart");
Directory.CreateDirectory(runDirectory);
foreach (string earlier in Directory.EnumerateFiles(runDirectory, "audit-*"))
{
    try
    {
        File.Delete(earlier);
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
    {
        // Still in use, or another user's: left for a later run.
    }
}

string auditFile = Path.Combine(runDirectory, $"audit-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}.db");
builder.Services.AddLlmRouter(builder.Configuration.GetSection("LlmRouter"))
    .AddProvider("us-echo", new EchoChatClient())
    .AddSqliteStores("Data Source=" + auditFile)
    .OnBudgetSoftLimit(soft =>
    {
        Console.WriteLine($"(soft limit: the {soft.Scope.ToString().ToLowerInvariant()} '{soft.Name}' has spent {Row.Money(soft.Spent)} of {Row.Money(soft.Limit)} today)");
        return ValueTask.CompletedTask;
    });
using IHost host = builder.Build();
await host.StartAsync();
IChatClient chat = host.Services.GetRequiredService<IChatClient>();
DateTimeOffset runStarted = DateTimeOffset.UtcNow;

var rows = new List<Row>();

// The back office's own requests: its key is set once for the whole flow, as middleware would per HTTP request.
using (RouterContext.Begin("back-office", user: "quickstart"))
{
    rows.Add(await AskAsync(chat, "assistant", "Draft a reply to the client about their VAT return."));
    rows.Add(await AskAsync(chat, "summarizer", "Summarize this quarter's ledger changes."));
    rows.Add(await AskStreamingAsync(chat, "assistant", "Explain the new retention rules in three sentences."));
    rows.Add(await AskAsync(chat, "summarizer", "Summarize the audit findings."));
    if (!string.IsNullOrWhiteSpace(openAiKey))
    {
        rows.Add(await AskAsync(chat, "gpt-4o-mini", "Say hello in Romansh."));
    }
}

// A client's key: "summarizer" is not on its whitelist, and its policy redacts personal data bound for the US.
rows.Add(await AskAsync(chat, "summarizer", "Summarize my ledger.", key: "client-chat"));
rows.Add(await AskAsync(chat, "translator-us", "Translate: please pay from CH93 0076 2011 6238 5295 7 and confirm to alice.muster@example.ch.", key: "client-chat"));

// A trial key with a daily budget of $0.0005: each request reserves its worst case (prompt and 12 output tokens) before
// it is sent and settles what it cost after; once the worst case no longer fits, the request is refused up front. The
// budget is kept in the SQLite file with the audit log (a fresh file each run, see above).
foreach (string expense in new[] { "taxi CHF 38", "lunch CHF 54", "train CHF 112", "hotel CHF 240" })
{
    rows.Add(await AskAsync(chat, "assistant-ch", $"Classify this expense: {expense}.", key: "trial", maxOutputTokens: 12));
}

Table.Print(rows);
Console.WriteLine();
foreach (BudgetStatus budget in await host.Services.GetRequiredService<IBudgetQuery>().GetForKeyAsync("trial"))
{
    Console.WriteLine($"Budget of the key 'trial': {Row.Money(budget.Spent)} spent of {Row.Money(budget.Limit)} today, {Row.Money(budget.Remaining)} left; it starts again at {budget.ResetsAt:yyyy-MM-dd HH:mm zzz} (midnight in Europe/Zurich). It is kept in the SQLite file with the audit log, so every instance sharing the file sees the same budget.");
}

decimal total = rows.Sum(r => r.Cost ?? 0m);
int unpriced = rows.Count(r => r.Cost is null && !r.Refused);
Console.WriteLine($"Total cost: {Row.Money(total)} for {rows.Count(r => !r.Refused)} calls" +
    (rows.Any(r => r.Estimated) ? " (~ counted by LlmRouter where the provider reported no usage)" : string.Empty) +
    (unpriced > 0 ? $"; {unpriced} call(s) without a known price" : string.Empty) + ".");
Console.WriteLine("Every request went through one in-process IChatClient: no proxy, no extra network hop.");

// Stopping the host writes every queued audit record; then the spend is read back from the file, not from memory.
await host.StopAsync();
IReadOnlyList<AuditSummaryRow> spend = await host.Services.GetRequiredService<IAuditQuery>().SummarizeAsync(new AuditSummaryRequest
{
    From = runStarted,
    To = DateTimeOffset.UtcNow.AddSeconds(1),
    GroupBy = AuditGrouping.Key | AuditGrouping.RequestedModel | AuditGrouping.Provider | AuditGrouping.Status,
});
Console.WriteLine();
Console.WriteLine($"Spend of this run, read back from the audit log {auditFile}:");
Table.PrintSpend(spend);
AuditVerification verification = await host.Services.GetRequiredService<IAuditVerifier>().VerifyAsync();
Console.WriteLine();
Console.WriteLine(verification.IsIntact
    ? $"Audit log verified: {verification.RecordsVerified} record(s) in {verification.Chains.Count} hash chain(s), none altered, removed or inserted."
    : $"Audit log NOT intact: {verification.FirstProblem}");

// The picture of the run: spend, requests, latency and rescues, one self-contained HTML page beside the audit file.
string reportFile = Path.ChangeExtension(auditFile, ".html");
await using (var report = new StreamWriter(reportFile))
{
    await host.Services.GetRequiredService<AuditReports>().WriteHtmlAsync(
        new AuditReportRequest { From = runStarted, To = DateTimeOffset.UtcNow.AddSeconds(1), TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich"), Title = "LlmRouter Quickstart run" },
        report);
}

Console.WriteLine();
Console.WriteLine($"HTML report of this run (open it in a browser): {reportFile}");
return verification.IsIntact ? 0 : 1;

static async Task<Row> AskAsync(IChatClient chat, string model, string prompt, string? key = null, int? maxOutputTokens = null)
{
    var options = new ChatOptions { ModelId = model, MaxOutputTokens = maxOutputTokens };
    if (key is not null)
    {
        options.WithRouterKey(key);
    }

    try
    {
        ChatResponse response = await chat.GetResponseAsync(prompt, options);
        return Row.From(model, streamed: false, response.GetRouteInfo()!, response.Text);
    }
    catch (LlmRouterException ex)
    {
        return Row.From(model, streamed: false, ex.Route!, $"refused ({ex.ReasonCode}): {ex.Message}");
    }
}

static async Task<Row> AskStreamingAsync(IChatClient chat, string model, string prompt)
{
    try
    {
        ChatResponse response = await chat.GetStreamingResponseAsync(prompt, new ChatOptions { ModelId = model }).ToChatResponseAsync();
        return Row.From(model, streamed: true, response.GetRouteInfo()!, response.Text);
    }
    catch (LlmRouterException ex)
    {
        return Row.From(model, streamed: true, ex.Route!, $"refused ({ex.ReasonCode}): {ex.Message}");
    }
}

internal sealed record Row(string Key, string Asked, bool Streamed, string Served, string Provider, string Region, string Attempts, string FirstToken, string Duration, string Tokens, decimal? Cost, bool Estimated, bool Refused, string Answer)
{
    public static Row From(string asked, bool streamed, RouteInfo route, string answer) => new(
        route.Key ?? "-",
        asked,
        streamed,
        route.ServedModel ?? "-",
        route.Provider ?? "-",
        route.Region ?? "-",
        route.Attempts.Count == 0 ? "none: refused before any provider" : string.Join(" -> ", route.Attempts.Select(Describe)),
        route.TimeToFirstToken is { } ttft ? Milliseconds(ttft) : "-",
        Milliseconds(route.Duration),
        route.Tokens.IsEmpty ? "-" : $"{route.Tokens.TotalInputTokens} in / {route.Tokens.TotalOutputTokens} out",
        route.Cost,
        route.TokensEstimated,
        route.Status == RouteStatus.Rejected,
        answer + (route.PiiFindings is { } found ? $"  [personal data found: {string.Join(", ", found.Select(f => $"{f.Key} {f.Value}"))}]" : string.Empty));

    /// <summary>The cost as the table shows it: to the hundred-millionth of a dollar, "~" when tokens were counted by LlmRouter, "unknown" without a price.</summary>
    public string CostText => Refused ? "-" : Cost is decimal cost ? (Estimated ? "~" : string.Empty) + Money(cost) : "unknown";

    public static string Money(decimal amount) => "$" + amount.ToString("0.000000##", CultureInfo.InvariantCulture);

    private static string Describe(RouteAttempt attempt) => attempt.Outcome switch
    {
        AttemptOutcome.Succeeded => $"{attempt.Provider} ok",
        AttemptOutcome.Skipped => $"{attempt.Provider ?? attempt.Model} skipped ({attempt.SkipReason})",
        AttemptOutcome.Failed => $"{attempt.Provider} {attempt.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? attempt.ErrorClass.ToString()}",
        _ => $"{attempt.Provider} {attempt.Outcome.ToString().ToLowerInvariant()}",
    };

    private static string Milliseconds(TimeSpan value) => value.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}

internal static class Table
{
    public static void Print(IReadOnlyList<Row> rows)
    {
        string[] headers = ["#", "key", "asked for", "stream", "served by", "provider", "region", "attempts", "1st token", "total", "tokens", "cost"];
        string[][] cells = [.. rows.Select((r, i) => new[]
        {
            (i + 1).ToString(CultureInfo.InvariantCulture), r.Key, r.Asked, r.Streamed ? "yes" : "no", r.Served, r.Provider, r.Region, r.Attempts, r.FirstToken, r.Duration, r.Tokens, r.CostText,
        })];
        int[] widths = [.. headers.Select((h, c) => Math.Max(h.Length, cells.Length == 0 ? 0 : cells.Max(row => row[c].Length)))];

        Console.WriteLine(Line(headers, widths));
        Console.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (string[] row in cells)
        {
            Console.WriteLine(Line(row, widths));
        }

        Console.WriteLine();
        for (int i = 0; i < rows.Count; i++)
        {
            Console.WriteLine($"{i + 1}. {rows[i].Answer}");
        }
    }

    public static void PrintSpend(IReadOnlyList<AuditSummaryRow> spend)
    {
        string[] headers = ["key", "asked for", "provider", "status", "requests", "tokens in", "tokens out", "cost"];
        string[][] cells = [.. spend.Select(r => new[]
        {
            r.Key ?? "-", r.RequestedModel ?? "-", r.Provider ?? "-", r.Status?.ToString().ToLowerInvariant() ?? "-",
            r.Requests.ToString(CultureInfo.InvariantCulture), r.Tokens.TotalInputTokens.ToString(CultureInfo.InvariantCulture),
            r.Tokens.TotalOutputTokens.ToString(CultureInfo.InvariantCulture), Row.Money(r.Cost),
        })];
        int[] widths = [.. headers.Select((h, c) => Math.Max(h.Length, cells.Length == 0 ? 0 : cells.Max(row => row[c].Length)))];
        Console.WriteLine(Line(headers, widths));
        Console.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (string[] row in cells)
        {
            Console.WriteLine(Line(row, widths));
        }

        Console.WriteLine($"Total: {spend.Sum(r => r.Requests)} request(s), {Row.Money(spend.Sum(r => r.Cost))}.");
    }

    private static string Line(string[] values, int[] widths) => string.Join(" | ", values.Select((v, c) => v.PadRight(widths[c])));
}

/// <summary>
/// Stands in for a provider in the US, registered in code (<c>"Kind": "Custom"</c>): it answers with exactly what it
/// received, so the table shows what left the process.
/// </summary>
internal sealed class EchoChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        string received = messages.Last().Text;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "us-echo received: " + received))
        {
            Usage = new UsageDetails { InputTokenCount = received.Length / 4, OutputTokenCount = received.Length / 4 },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
