using System.Globalization;
using System.Text.Json.Nodes;
using LlmRouter.Cli.Tests.Support;

namespace LlmRouter.Cli.Tests;

/// <summary><c>llmrouter report</c>: the HTML report, rendered in headless Chromium to check that every chart is drawn, in proportion to its data, and that the page loads nothing.</summary>
public sealed class ReportCommandTests : IDisposable
{
    /// <summary>Every chart of the report, with the marks it draws and their rendered sizes.</summary>
    private const string Charts = """
        JSON.stringify([...document.querySelectorAll('figure.chart')].map(figure => ({
          id: figure.id,
          vertical: figure.dataset.orientation === 'vertical',
          svg: (() => { const svg = figure.querySelector('svg'); if (!svg) return null; const b = svg.getBoundingClientRect(); return { width: b.width, height: b.height }; })(),
          marks: [...figure.querySelectorAll('rect.mark')].map(mark => {
            const box = mark.getBoundingClientRect();
            return { value: parseFloat(mark.dataset.value), exact: mark.dataset.value, series: mark.dataset.series, width: box.width, height: box.height, tooltip: mark.querySelector('title')?.textContent ?? '' };
          }),
          legend: [...figure.querySelectorAll('ul.legend li')].map(li => li.textContent),
          ticks: figure.querySelectorAll('text.tick').length,
        })))
        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_chart_of_the_report_is_drawn_in_proportion_to_its_data_and_the_page_loads_nothing()
    {
        string file = await Tool.AuditFileAsync(_directory.Path, 1500);
        string html = _directory.File("report.html");
        (int code, string output, string error) = await Tool.RunAsync("report", "--sqlite", file, "--month", "2026-11", "--time-zone", "Europe/Zurich", "--out", html, "--title", "November <b>2026</b>");
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains(html, output, StringComparison.Ordinal);

        await using HeadlessChromium chromium = await HeadlessChromium.StartAsync();
        string url = new Uri(html).AbsoluteUri;
        await chromium.OpenAsync(url);
        JsonArray charts = JsonNode.Parse((string)(await chromium.EvaluateAsync(Charts))!)!.AsArray();

        Assert.Equal(["spend-by-model", "spend-by-client", "top-clients", "requests", "latency", "first-token", "rescues"], charts.Select(c => (string)c!["id"]!));
        foreach (JsonNode? chart in charts)
        {
            string id = (string)chart!["id"]!;
            JsonArray marks = chart["marks"]!.AsArray();
            Assert.True(marks.Count > 0, $"{id} draws no mark");
            Assert.True((double)chart["svg"]!["width"]! > 600, $"{id} is not laid out");
            Assert.True((int)chart["ticks"]! >= 4, $"{id} has no axis");
            bool vertical = (bool)chart["vertical"]!;
            JsonNode largest = marks.MaxBy(m => (double)m!["value"]!)!;
            double scale = Length(largest, vertical) / (double)largest["value"]!;
            foreach (JsonNode? mark in marks)
            {
                double value = (double)mark!["value"]!;
                Assert.True(value > 0, $"{id} draws a mark for nothing");
                Assert.True((double)mark["width"]! > 0 && (double)mark["height"]! > 0, $"{id} has a mark of no size");
                Assert.InRange(Length(mark, vertical), (scale * value) - 0.75, (scale * value) + 0.75);
                Assert.NotEqual(string.Empty, (string)mark["tooltip"]!);
            }
        }

        JsonArray requests = charts.Single(c => (string)c!["id"]! == "requests")!["marks"]!.AsArray();
        Assert.Equal(["served", "refused", "failed", "cancelled"], requests.Select(m => (string)m!["series"]!).Distinct());
        Assert.Equal(["served", "refused", "failed", "cancelled"], charts.Single(c => (string)c!["id"]! == "requests")!["legend"]!.AsArray().Select(l => (string)l!));
        Assert.Equal(
            (await Tool.RunAsync("statement", "--sqlite", file, "--all", "--month", "2026-11", "--time-zone", "Europe/Zurich")).Output.Split("Total: ")[1].Split(' ')[0],
            TotalOf(charts, "spend-by-model"));
        Assert.Equal("November <b>2026</b>", (string)(await chromium.EvaluateAsync("document.title"))!);
        Assert.Equal(0, (int)(await chromium.EvaluateAsync("document.querySelectorAll('script, img, link, iframe, object, embed').length"))!);
        Assert.Equal([url], chromium.Requests);
    }

    private static double Length(JsonNode mark, bool vertical) => (double)mark[vertical ? "height" : "width"]!;

    /// <summary>The exact sum of a chart's mark values, as the audit log's decimal text.</summary>
    private static string TotalOf(JsonArray charts, string id) =>
        AuditText.Decimal(charts.Single(c => (string)c!["id"]! == id)!["marks"]!.AsArray()
            .Sum(m => decimal.Parse((string)m!["exact"]!, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)));
}
