using System.Text.RegularExpressions;
using LlmRouter.Sqlite;
using LlmRouter.Sqlite.Tests.Audit;
using LlmRouter.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LlmRouter.Tests.Reports;

/// <summary>The HTML report's content, from a real SQLite audit file. How it renders is specified in headless Chromium (LlmRouter.Cli.Tests).</summary>
public sealed class AuditReportsTests : IDisposable
{
    private readonly SqliteAuditFile _file = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task The_report_adds_up_spend_requests_latency_and_rescues_from_the_records()
    {
        List<AuditRecord> records = StatementSamples.Month(1500);
        AuditReportData data = await BuildAsync(records, Month());

        List<AuditRecord> inRange = AuditSamples.InRange(records, StatementSamples.November, StatementSamples.December);
        Assert.Equal(inRange.Count, data.Requests);
        Assert.Equal(inRange.Sum(r => r.Cost ?? 0m), data.Spend);
        Assert.Equal(inRange.Count(r => r.Status == RouteStatus.Rejected), data.Rejected);
        Assert.Equal(data.Spend, data.SpendByModel.Values.Sum(v => v.Sum()));
        Assert.Equal(data.Spend, data.SpendByClient.Values.Sum(v => v.Sum()));
        Assert.Equal(30, data.Buckets.Count);
        Assert.Equal("11-01", data.Buckets.Labels[0]);
        Assert.Equal(data.Requests, data.Outcomes.Sum(o => o.Sum()));
        Assert.Equal(inRange.Count(r => r.Attempts.Count == 2 && r.Status == RouteStatus.Served), data.Rescues[("assistant (mistral)", "assistant-ch (infomaniak)")]);
        Assert.Equal(inRange.Count(r => r.Streaming && r.Status == RouteStatus.Served), data.FirstToken.Values.Sum(h => h.Count));
    }

    [Fact]
    public async Task Latency_percentiles_are_within_half_a_percent()
    {
        var records = new List<AuditRecord>();
        for (int i = 1; i <= 1000; i++)
        {
            AuditRecord served = StatementSamples.Served(StatementSamples.November.AddMinutes(i), "client-chat", "acme", "assistant", "mistral", new TokenUsage { InputTokens = 1 }, StatementSamples.Large);
            records.Add(new AuditRecord { Id = served.Id, StartedAt = served.StartedAt, Duration = TimeSpan.FromMilliseconds(i), Status = RouteStatus.Served, ServedModel = "assistant", Key = "client-chat" });
        }

        AuditReportData data = await BuildAsync(records, Month());

        LatencyHistogram latency = data.Latency["assistant"];
        Assert.InRange(latency.Percentile(50), 500 * 0.995, 500 * 1.005);
        Assert.InRange(latency.Percentile(90), 900 * 0.995, 900 * 1.005);
        Assert.InRange(latency.Percentile(99), 990 * 0.995, 990 * 1.005);
    }

    [Fact]
    public async Task Text_from_the_audit_log_is_escaped_and_the_page_loads_nothing_from_elsewhere()
    {
        const string Model = "<script>alert('model')</script>";
        const string Key = "\"><img src=x onerror=alert(1)>";
        AuditRecord record = StatementSamples.Served(StatementSamples.November.AddDays(2), Key, "acme", Model, "</svg><b>", new TokenUsage { InputTokens = 1000 }, StatementSamples.Large);
        string html = await HtmlAsync([record], Month());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;model&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"\b(src|href)\s*=|url\(|@import|https?://", RegexOptions.IgnoreCase), html.Replace("src=x onerror", string.Empty, StringComparison.Ordinal));
        Assert.Contains("Content-Security-Policy\" content=\"default-src 'none'", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_chart_has_marks_with_their_exact_values_and_tooltips()
    {
        string html = await HtmlAsync(StatementSamples.Month(600), Month());

        foreach (string chart in new[] { "spend-by-model", "spend-by-client", "top-clients", "requests", "latency", "first-token", "rescues" })
        {
            Match figure = Regex.Match(html, $"<figure class=\"chart\" id=\"{chart}\".*?</figure>", RegexOptions.Singleline);
            Assert.True(figure.Success, chart);
            Assert.Matches("<rect class=\"mark\" data-value=\"[0-9.]+\"[^>]*><title>[^<]+</title></rect>", figure.Value);
            Assert.Contains("<svg viewBox=", figure.Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_period_without_requests_says_so()
    {
        string html = await HtmlAsync([], Month());

        Assert.Contains("No requests started in this period.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"mark\"", html, StringComparison.Ordinal);
    }

    private static AuditReportRequest Month() => new() { From = StatementSamples.November, To = StatementSamples.December, TimeZone = StatementSamples.Zurich, Title = "November <2026>" };

    private async Task<AuditReportData> BuildAsync(List<AuditRecord> records, AuditReportRequest request)
    {
        await using var store = _file.Store();
        await AuditSamples.WriteAsync(store, records);
        return await new AuditReports(store, _time).BuildAsync(request, CancellationToken.None);
    }

    private async Task<string> HtmlAsync(List<AuditRecord> records, AuditReportRequest request)
    {
        await using var store = _file.Store();
        if (records.Count > 0)
        {
            await AuditSamples.WriteAsync(store, records);
        }

        var html = new StringWriter();
        await new AuditReports(store, _time).WriteHtmlAsync(request, html);
        if (Environment.GetEnvironmentVariable("LLMROUTER_REPORT_SAMPLE") is { Length: > 0 } sample)
        {
            await File.WriteAllTextAsync(sample, html.ToString());
        }

        return html.ToString();
    }
}
