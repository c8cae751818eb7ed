using System.Globalization;
using System.Net;
using System.Text;

namespace LlmRouter;

/// <summary>
/// Draws the report's charts as inline SVG: stacked columns over time and grouped horizontal bars, with axes, grid
/// lines, a legend, and a tooltip on every mark (<c>&lt;title&gt;</c>). Every mark is a <c>rect.mark</c> whose
/// <c>data-value</c> is its exact value and whose length is proportional to it; zero values draw nothing. All text is
/// HTML-escaped. No script.
/// </summary>
internal static class SvgCharts
{
    /// <summary>Colours that stay apart for the colour-blind (Tableau 10).</summary>
    public static readonly string[] Palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    public const string Other = "#c9c9c9";

    private const int Width = 960;
    private const int Left = 76;
    private const int Right = 20;
    private const int Top = 14;
    private const int ColumnsHeight = 300;
    private const int ColumnsBottom = 44;
    private const int LabelColumn = 290;
    private const int BarHeight = 14;
    private const int BarGap = 2;
    private const int RowGap = 12;

    /// <summary>Stacked columns, one per time bucket.</summary>
    public static void Columns(StringBuilder html, string id, string title, string axis, string[] buckets, IReadOnlyList<ChartSeries> series, Func<decimal, string> format, Func<decimal, string> exact)
    {
        Open(html, id, title, "vertical");
        decimal max = 0;
        for (int b = 0; b < buckets.Length; b++)
        {
            decimal stack = 0;
            foreach (ChartSeries s in series)
            {
                stack += s.Values[b];
            }

            max = Math.Max(max, stack);
        }

        if (max == 0)
        {
            Empty(html);
            return;
        }

        decimal top = NiceMax(max);
        int plotWidth = Width - Left - Right;
        int plotHeight = ColumnsHeight - Top - ColumnsBottom;
        int baseline = Top + plotHeight;
        html.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {ColumnsHeight}\" role=\"img\" aria-label=\"{Encode(title)}\">");
        YAxis(html, top, plotWidth, plotHeight, format);
        html.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" transform=\"translate(14 {Top + (plotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">{Encode(axis)}</text>");
        double band = plotWidth / (double)buckets.Length;
        double barWidth = Math.Max(1, band * 0.72);
        int every = Math.Max(1, (int)Math.Ceiling(buckets.Length / 12.0));
        for (int b = 0; b < buckets.Length; b++)
        {
            double x = Left + (band * b) + ((band - barWidth) / 2);
            double y = baseline;
            foreach (ChartSeries s in series)
            {
                decimal value = s.Values[b];
                if (value <= 0)
                {
                    continue;
                }

                double height = Visible((double)(value / top) * plotHeight);
                y -= height;
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"mark\" data-value=\"{AuditText.Decimal(value)}\" data-series=\"{Encode(s.Name)}\" x=\"{x:0.###}\" y=\"{y:0.###}\" width=\"{barWidth:0.###}\" height=\"{height:0.###}\" fill=\"{s.Color}\">")
                    .Append("<title>").Append(Encode(s.Name)).Append(" · ").Append(Encode(buckets[b])).Append(": ").Append(Encode(exact(value))).Append("</title></rect>");
            }

            if (b % every == 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Left + (band * b) + (band / 2):0.###}\" y=\"{baseline + 18}\" text-anchor=\"middle\">{Encode(buckets[b])}</text>");
            }
        }

        html.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" y1=\"{baseline}\" x2=\"{Width - Right}\" y2=\"{baseline}\"/>");
        html.Append("</svg>");
        Legend(html, series);
        html.Append("</figure>");
    }

    /// <summary>Horizontal bars, one group per row (a client, a model, a route), one bar per series.</summary>
    public static void Bars(StringBuilder html, string id, string title, string axis, string[] rows, IReadOnlyList<ChartSeries> series, Func<decimal, string> format, Func<decimal, string> exact)
    {
        Open(html, id, title, "horizontal");
        decimal max = 0;
        foreach (ChartSeries s in series)
        {
            foreach (decimal value in s.Values)
            {
                max = Math.Max(max, value);
            }
        }

        if (max == 0 || rows.Length == 0)
        {
            Empty(html);
            return;
        }

        decimal top = NiceMax(max);
        int left = LabelColumn;
        int plotWidth = Width - left - Right - 70;
        int group = (series.Count * (BarHeight + BarGap)) - BarGap;
        int plotHeight = rows.Length * (group + RowGap);
        int height = Top + plotHeight + 36;
        html.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{Encode(title)}\">");
        for (int t = 0; t <= 4; t++)
        {
            decimal tick = top * t / 4;
            double x = left + ((double)(tick / top) * plotWidth);
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{x:0.###}\" y1=\"{Top}\" x2=\"{x:0.###}\" y2=\"{Top + plotHeight}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{x:0.###}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{Encode(format(tick))}</text>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<text class=\"axis-title\" x=\"{left + (plotWidth / 2)}\" y=\"{Top + plotHeight + 32}\" text-anchor=\"middle\">{Encode(axis)}</text>");
        for (int r = 0; r < rows.Length; r++)
        {
            int y = Top + (r * (group + RowGap)) + (RowGap / 2);
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{left - 8}\" y=\"{y + (group / 2) + 4}\" text-anchor=\"end\"><title>{Encode(rows[r])}</title>{Encode(Shorten(rows[r]))}</text>");
            for (int i = 0; i < series.Count; i++)
            {
                ChartSeries s = series[i];
                decimal value = s.Values[r];
                if (value <= 0)
                {
                    continue;
                }

                double width = Visible((double)(value / top) * plotWidth);
                int barY = y + (i * (BarHeight + BarGap));
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"mark\" data-value=\"{AuditText.Decimal(value)}\" data-series=\"{Encode(s.Name)}\" x=\"{left}\" y=\"{barY}\" width=\"{width:0.###}\" height=\"{BarHeight}\" fill=\"{s.Color}\">")
                    .Append("<title>").Append(Encode(rows[r])).Append(series.Count > 1 ? " · " + Encode(s.Name) : string.Empty).Append(": ").Append(Encode(exact(value))).Append("</title></rect>")
                    .Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{left + width + 6:0.###}\" y=\"{barY + BarHeight - 3}\">{Encode(format(value))}</text>");
            }
        }

        html.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{left}\" y1=\"{Top}\" x2=\"{left}\" y2=\"{Top + plotHeight}\"/>");
        html.Append("</svg>");
        if (series.Count > 1)
        {
            Legend(html, series);
        }

        html.Append("</figure>");
    }

    /// <summary>The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least <paramref name="max"/>: the top of an axis.</summary>
    public static decimal NiceMax(decimal max)
    {
        decimal power = 1m;
        while (power * 10 < max)
        {
            power *= 10;
        }

        while (power > max && power / 10 > 0.0000000001m)
        {
            power /= 10;
        }

        foreach (decimal factor in (ReadOnlySpan<decimal>)[1m, 2m, 2.5m, 5m, 10m])
        {
            if (power * factor >= max)
            {
                return power * factor;
            }
        }

        return power * 10;
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static void Open(StringBuilder html, string id, string title, string orientation) =>
        html.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" id=\"{id}\" data-chart=\"{id}\" data-orientation=\"{orientation}\"><figcaption>{Encode(title)}</figcaption>");

    /// <summary>A mark's length, at least half a unit so that the smallest value stays visible (and hoverable).</summary>
    private static double Visible(double length) => Math.Max(0.5, length);

    private static void Empty(StringBuilder html) => html.Append("<p class=\"empty\">Nothing to show in this period.</p></figure>");

    private static void YAxis(StringBuilder html, decimal top, int plotWidth, int plotHeight, Func<decimal, string> format)
    {
        for (int t = 0; t <= 4; t++)
        {
            decimal tick = top * t / 4;
            double y = Top + plotHeight - ((double)(tick / top) * plotHeight);
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" y1=\"{y:0.###}\" x2=\"{Left + plotWidth}\" y2=\"{y:0.###}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Left - 6}\" y=\"{y + 4:0.###}\" text-anchor=\"end\">{Encode(format(tick))}</text>");
        }
    }

    private static void Legend(StringBuilder html, IReadOnlyList<ChartSeries> series)
    {
        html.Append("<ul class=\"legend\">");
        foreach (ChartSeries s in series)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><span class=\"swatch\" style=\"background:{s.Color}\"></span>{Encode(s.Name)}</li>");
        }

        html.Append("</ul>");
    }

    private static string Shorten(string text) => text.Length <= 42 ? text : string.Concat(text.AsSpan(0, 41), "…");
}
