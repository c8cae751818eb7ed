using System.Globalization;
using System.Text;

namespace LlmRouter;

/// <summary>
/// Writes a report as one self-contained HTML page: inline CSS and SVG, no script, no external font, image or style
/// sheet — a Content-Security-Policy forbids the page to load anything. Every piece of text that comes from the audit
/// log (models, keys, tenants, providers) is HTML-escaped.
/// </summary>
internal static class AuditReportHtml
{
    private const string Style = """
        :root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --card: #f8f9fb; --accent: #4e79a7; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
        main { max-width: 1040px; margin: 0 auto; padding: 32px 24px 64px; }
        header h1 { margin: 0 0 4px; font-size: 26px; letter-spacing: -0.01em; }
        header p { margin: 0; color: var(--muted); }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; margin: 24px 0 8px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
        .card .value { display: block; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
        .card .name { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
        .card.warn .value { color: #b54708; }
        section { margin-top: 36px; }
        h2 { font-size: 18px; margin: 0 0 4px; border-bottom: 1px solid var(--line); padding-bottom: 6px; }
        .note { color: var(--muted); margin: 6px 0 0; font-size: 13px; }
        figure.chart { margin: 14px 0 0; }
        figcaption { font-weight: 600; margin-bottom: 6px; }
        svg { width: 100%; height: auto; display: block; overflow: visible; }
        svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; fill: var(--muted); }
        svg text.label { fill: var(--ink); font-size: 12px; }
        svg text.value { fill: var(--ink); }
        svg text.axis-title { font-size: 12px; }
        svg .grid { stroke: var(--line); stroke-width: 1; }
        svg .axis { stroke: #9aa5b1; stroke-width: 1; }
        svg rect.mark:hover { opacity: 0.8; }
        ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 16px; padding: 0; margin: 8px 0 0 76px; font-size: 12px; }
        ul.legend li { display: flex; align-items: center; gap: 6px; }
        .swatch { width: 11px; height: 11px; border-radius: 2px; display: inline-block; }
        table { border-collapse: collapse; width: 100%; margin-top: 12px; font-variant-numeric: tabular-nums; }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); }
        th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; }
        td.num, th.num { text-align: right; }
        .empty { color: var(--muted); font-style: italic; }
        footer { margin-top: 48px; color: var(--muted); font-size: 12px; }
        """;

    public static string Render(AuditReportData data)
    {
        AuditReportRequest request = data.Request;
        TimeZoneInfo zone = request.TimeZone;
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(SvgCharts.Encode(request.Title)).Append("</title><style>").Append(Style).Append("</style></head><body><main>");

        html.Append("<header><h1>").Append(SvgCharts.Encode(request.Title)).Append("</h1><p>")
            .Append(SvgCharts.Encode(Local(request.From, zone))).Append(" to ").Append(SvgCharts.Encode(Local(request.To, zone)))
            .Append(" (").Append(SvgCharts.Encode(zone.Id)).Append(')');
        if (request.Key is not null)
        {
            html.Append(" · key ").Append(SvgCharts.Encode(request.Key));
        }

        if (request.Tenant is not null)
        {
            html.Append(" · tenant ").Append(SvgCharts.Encode(request.Tenant));
        }

        html.Append("</p></header>");
        Cards(html, data);
        if (data.Requests == 0)
        {
            html.Append("<p class=\"empty\">No requests started in this period.</p>");
        }

        string bucket = "per " + data.Buckets.Unit;
        html.Append("<section><h2>Spend over time</h2><p class=\"note\">USD ").Append(SvgCharts.Encode(bucket))
            .Append(", as recorded when each call ran (never re-priced); billed failures included, calls without a known price left out.</p>");
        SvgCharts.Columns(html, "spend-by-model", "By model", "USD", data.Buckets.Labels, Top(data.SpendByModel, request.TopClients), Money, Exact);
        SvgCharts.Columns(html, "spend-by-client", "By client (" + ClientWord(request) + ")", "USD", data.Buckets.Labels, Top(data.SpendByClient, request.TopClients), Money, Exact);
        html.Append("</section>");

        TopClients(html, data);
        Requests(html, data, bucket);
        Latency(html, data);
        Rescues(html, data);

        html.Append("<footer>Made by LlmRouter from its audit log at ").Append(SvgCharts.Encode(Local(data.GeneratedAt, zone)))
            .Append(". Amounts in USD, exact to the recorded decimals in the tooltips; latency percentiles are within 0.5%.</footer>");
        html.Append("</main></body></html>\n");
        return html.ToString();
    }

    private static void Cards(StringBuilder html, AuditReportData data)
    {
        html.Append("<div class=\"cards\">");
        Card(html, "Requests", Count(data.Requests), false);
        Card(html, "Served", Count(data.Served), false);
        Card(html, "Refused", Count(data.Rejected), false);
        Card(html, "Failed", Count(data.Failed), data.Failed > 0);
        Card(html, "Cancelled", Count(data.Cancelled), false);
        Card(html, "Spend", Money(data.Spend), false);
        Card(html, "Tokens in / out", Count(data.Tokens.TotalInputTokens) + " / " + Count(data.Tokens.TotalOutputTokens), false);
        long rescued = 0;
        foreach (long count in data.Rescues.Values)
        {
            rescued += count;
        }

        Card(html, "Rescued by fallback", Count(rescued), false);
        if (data.Unpriced > 0)
        {
            Card(html, "Without a known price", Count(data.Unpriced), true);
        }

        html.Append("</div>");
    }

    private static void Card(StringBuilder html, string name, string value, bool warn) =>
        html.Append(warn ? "<div class=\"card warn\">" : "<div class=\"card\">").Append("<span class=\"value\">").Append(SvgCharts.Encode(value))
            .Append("</span><span class=\"name\">").Append(SvgCharts.Encode(name)).Append("</span></div>");

    private static void TopClients(StringBuilder html, AuditReportData data)
    {
        var clients = new List<KeyValuePair<string, AuditReportData.ClientTotals>>(data.Clients);
        clients.Sort(static (a, b) =>
        {
            int c = b.Value.Spend.CompareTo(a.Value.Spend);
            c = c != 0 ? c : b.Value.Requests.CompareTo(a.Value.Requests);
            return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
        });
        int shown = Math.Min(clients.Count, data.Request.TopClients);
        var names = new string[shown];
        var spend = new decimal[shown];
        for (int i = 0; i < shown; i++)
        {
            names[i] = clients[i].Key;
            spend[i] = clients[i].Value.Spend;
        }

        html.Append("<section><h2>Top clients</h2><p class=\"note\">By spend, then requests; a client is a ").Append(ClientWord(data.Request)).Append(".</p>");
        SvgCharts.Bars(html, "top-clients", "Spend by client", "USD", names, [new ChartSeries("Spend", SvgCharts.Palette[0], spend)], Money, Exact);
        html.Append("<table><thead><tr><th>Client</th><th class=\"num\">Requests</th><th class=\"num\">Refused</th><th class=\"num\">Failed</th><th class=\"num\">Spend (USD)</th><th class=\"num\">Share</th></tr></thead><tbody>");
        for (int i = 0; i < shown; i++)
        {
            AuditReportData.ClientTotals c = clients[i].Value;
            html.Append("<tr><td>").Append(SvgCharts.Encode(clients[i].Key)).Append("</td><td class=\"num\">").Append(Count(c.Requests))
                .Append("</td><td class=\"num\">").Append(Count(c.Rejected)).Append("</td><td class=\"num\">").Append(Count(c.Failed))
                .Append("</td><td class=\"num\">").Append(SvgCharts.Encode(Exact(c.Spend))).Append("</td><td class=\"num\">")
                .Append(data.Spend == 0 ? "–" : (c.Spend / data.Spend).ToString("0.0%", CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Requests(StringBuilder html, AuditReportData data, string bucket)
    {
        string[] names = ["served", "refused", "failed", "cancelled"];
        string[] colors = ["#59a14f", "#edc948", "#e15759", "#bab0ac"];
        var series = new List<ChartSeries>(4);
        for (int i = 0; i < names.Length; i++)
        {
            var values = new decimal[data.Buckets.Count];
            for (int b = 0; b < values.Length; b++)
            {
                values[b] = data.Outcomes[i][b];
            }

            series.Add(new ChartSeries(names[i], colors[i], values));
        }

        html.Append("<section><h2>Requests, refusals and errors</h2><p class=\"note\">Requests ").Append(SvgCharts.Encode(bucket)).Append(", by how they ended.</p>");
        SvgCharts.Columns(html, "requests", "Requests by outcome", "requests", data.Buckets.Labels, series, Count, v => Count(v) + " request(s)");
        html.Append("</section>");
    }

    private static void Latency(StringBuilder html, AuditReportData data)
    {
        html.Append("<section><h2>Latency</h2><p class=\"note\">Percentiles of served requests by the model that served them: the whole request (every attempt included), and for streams the time to the first token.</p>");
        LatencyChart(html, "latency", "Request duration (ms)", data.Latency, data.Request.TopClients);
        LatencyChart(html, "first-token", "Time to first token of streams (ms)", data.FirstToken, data.Request.TopClients);
        html.Append("</section>");
    }

    private static void LatencyChart(StringBuilder html, string id, string title, IReadOnlyDictionary<string, LatencyHistogram> histograms, int top)
    {
        var models = new List<KeyValuePair<string, LatencyHistogram>>(histograms);
        models.Sort(static (a, b) =>
        {
            int c = b.Value.Count.CompareTo(a.Value.Count);
            return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
        });
        int shown = Math.Min(models.Count, top);
        var rows = new string[shown];
        decimal[][] values = [new decimal[shown], new decimal[shown], new decimal[shown]];
        double[] percents = [50, 90, 99];
        for (int i = 0; i < shown; i++)
        {
            rows[i] = models[i].Key;
            for (int p = 0; p < percents.Length; p++)
            {
                values[p][i] = Math.Round((decimal)models[i].Value.Percentile(percents[p]), 1);
            }
        }

        SvgCharts.Bars(html, id, title, "milliseconds", rows, [new ChartSeries("p50", "#a0cbe8", values[0]), new ChartSeries("p90", "#4e79a7", values[1]), new ChartSeries("p99", "#1d3f66", values[2])], Milliseconds, Milliseconds);
        if (shown == 0)
        {
            return;
        }

        html.Append("<table><thead><tr><th>Model</th><th class=\"num\">Requests</th><th class=\"num\">p50</th><th class=\"num\">p90</th><th class=\"num\">p99</th></tr></thead><tbody>");
        for (int i = 0; i < shown; i++)
        {
            html.Append("<tr><td>").Append(SvgCharts.Encode(rows[i])).Append("</td><td class=\"num\">").Append(Count(models[i].Value.Count))
                .Append("</td><td class=\"num\">").Append(Milliseconds(values[0][i])).Append("</td><td class=\"num\">").Append(Milliseconds(values[1][i]))
                .Append("</td><td class=\"num\">").Append(Milliseconds(values[2][i])).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void Rescues(StringBuilder html, AuditReportData data)
    {
        var routes = new List<KeyValuePair<(string From, string To), long>>(data.Rescues);
        routes.Sort(static (a, b) =>
        {
            int c = b.Value.CompareTo(a.Value);
            c = c != 0 ? c : string.CompareOrdinal(a.Key.From, b.Key.From);
            return c != 0 ? c : string.CompareOrdinal(a.Key.To, b.Key.To);
        });
        var rows = new string[routes.Count];
        var counts = new decimal[routes.Count];
        for (int i = 0; i < routes.Count; i++)
        {
            rows[i] = routes[i].Key.From + " → " + routes[i].Key.To;
            counts[i] = routes[i].Value;
        }

        html.Append("<section><h2>Fallbacks that rescued requests</h2><p class=\"note\">Served requests whose first choice failed or was cooling down: where it failed, and what served it instead.</p>");
        SvgCharts.Bars(html, "rescues", "Rescued requests by route", "requests", rows, [new ChartSeries("Rescued", "#76b7b2", counts)], Count, v => Count(v) + " request(s)");
        html.Append("</section>");
    }

    /// <summary>The <paramref name="top"/> series with the largest totals, in that order, and the rest summed as "other".</summary>
    private static List<ChartSeries> Top(IReadOnlyDictionary<string, decimal[]> all, int top)
    {
        var ranked = new List<KeyValuePair<string, decimal[]>>(all);
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach ((string name, decimal[] values) in all)
        {
            decimal sum = 0;
            foreach (decimal v in values)
            {
                sum += v;
            }

            totals[name] = sum;
        }

        ranked.Sort((a, b) =>
        {
            int c = totals[b.Key].CompareTo(totals[a.Key]);
            return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
        });
        var series = new List<ChartSeries>(Math.Min(ranked.Count, top + 1));
        decimal[]? other = null;
        for (int i = 0; i < ranked.Count; i++)
        {
            if (i < top)
            {
                series.Add(new ChartSeries(ranked[i].Key, SvgCharts.Palette[i % SvgCharts.Palette.Length], ranked[i].Value));
                continue;
            }

            other ??= new decimal[ranked[i].Value.Length];
            for (int b = 0; b < other.Length; b++)
            {
                other[b] += ranked[i].Value[b];
            }
        }

        if (other is not null)
        {
            series.Add(new ChartSeries("other", SvgCharts.Other, other));
        }

        return series;
    }

    private static string ClientWord(AuditReportRequest request) => request.Clients == BudgetScope.Tenant ? "tenant" : "key";

    private static string Local(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy'-'MM'-'dd HH':'mm':'ss", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Count(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Milliseconds(decimal value) => value.ToString("#,0.#", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Money for an axis or a card: whole dollars from $100, cents from $1, below that three significant digits.</summary>
    private static string Money(decimal value)
    {
        if (value == 0)
        {
            return "$0";
        }

        if (value >= 100)
        {
            return "$" + value.ToString("#,0", CultureInfo.InvariantCulture);
        }

        if (value >= 1)
        {
            return "$" + value.ToString("#,0.00", CultureInfo.InvariantCulture);
        }

        int decimals = 3;
        for (decimal v = value; v < 0.1m && decimals < 14; v *= 10)
        {
            decimals++;
        }

        return "$" + Math.Round(value, decimals).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    private static string Exact(decimal value) => "$" + AuditText.Decimal(value);
}
