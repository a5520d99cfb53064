using System.Globalization;
using System.Text;

namespace Auditor.Core.Reporting;

/// <summary>
/// Charts drawn as inline SVG (no script, no library, no fetch): stacked bars of calls per day per key,
/// and horizontal bars of findings per rule. Every label goes through <see cref="ReportText.Html"/>.
/// </summary>
public static class SvgCharts
{
    /// <summary>Distinguishable on white and for the common colour-vision deficiencies (Okabe–Ito).</summary>
    public static readonly IReadOnlyList<string> Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];

    /// <summary>One series of a stacked bar chart.</summary>
    public sealed record Series(string Label, IReadOnlyList<DayCount> Points);

    public static string CallsPerDay(string id, IReadOnlyList<Series> series, IReadOnlyList<DateOnly> days, int width = 920, int height = 240, bool legend = true)
    {
        const int left = 56, right = 12, top = 12, bottom = 34;
        int legendRows = legend ? (series.Count + 2) / 3 : 0;
        int totalHeight = height + legendRows * 18;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{ReportText.Html(id)}\" class=\"chart calls-per-day\" role=\"img\" viewBox=\"0 0 {width} {totalHeight}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" style=\"max-width:{width}px\">");
        sb.Append("<title>Calls per day").Append(series.Count > 1 ? " per key" : "").Append("</title>");
        if (days.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{height / 2}\" class=\"empty\">No calls in the period.</text></svg>");
            return sb.ToString();
        }
        var byDay = series.Select(s => s.Points.ToDictionary(p => p.Day, p => p.Count)).ToList();
        long max = Math.Max(1, days.Max(d => byDay.Sum(m => m.GetValueOrDefault(d))));
        long scaleMax = NiceCeiling(max);
        double plotW = width - left - right, plotH = height - top - bottom;
        double slot = plotW / days.Count;
        double barW = Math.Max(1, slot * 0.8);

        // Axes and grid: four horizontal lines with their values.
        for (int i = 0; i <= 4; i++)
        {
            double y = top + plotH - plotH * i / 4;
            long v = scaleMax * i / 4;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{y:F1}\" y2=\"{y:F1}\" class=\"grid\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\" class=\"axis\">{ReportText.Number(v)}</text>");
        }
        int labelEvery = Math.Max(1, (int)Math.Ceiling(days.Count / (plotW / 80)));
        for (int d = 0; d < days.Count; d++)
        {
            double x = left + slot * d + (slot - barW) / 2;
            double y = top + plotH;
            for (int s = 0; s < series.Count; s++)
            {
                long n = byDay[s].GetValueOrDefault(days[d]);
                if (n == 0) continue;
                double h = plotH * n / scaleMax;
                y -= h;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{barW:F1}\" height=\"{h:F1}\" fill=\"{Palette[s % Palette.Count]}\" class=\"bar\"><title>{ReportText.Html(ReportText.Day(days[d]))} · {ReportText.Html(series[s].Label)}: {ReportText.Number(n)} calls</title></rect>");
            }
            if (d % labelEvery == 0)
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + slot * d + slot / 2:F1}\" y=\"{top + plotH + 16:F1}\" text-anchor=\"middle\" class=\"axis\">{ReportText.Day(days[d])[5..]}</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{top + plotH:F1}\" y2=\"{top + plotH:F1}\" class=\"axis-line\"/>");
        if (legend)
            for (int s = 0; s < series.Count; s++)
            {
                double lx = left + (s % 3) * (plotW / 3), ly = height + (s / 3) * 18;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx:F1}\" y=\"{ly - 10:F1}\" width=\"10\" height=\"10\" fill=\"{Palette[s % Palette.Count]}\"/>");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 14:F1}\" y=\"{ly:F1}\" class=\"legend\">{ReportText.Html(Truncate(series[s].Label, 48))}</text>");
            }
        sb.Append("</svg>");
        return sb.ToString();
    }

    public static string FindingsPerRule(string id, IReadOnlyList<NamedCount> rules, IReadOnlyDictionary<string, string> colorByRule, int width = 920)
    {
        const int labelW = 260, right = 60, rowH = 26, top = 8;
        int height = Math.Max(1, rules.Count) * rowH + top * 2;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{ReportText.Html(id)}\" class=\"chart findings-per-rule\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" style=\"max-width:{width}px\">");
        sb.Append("<title>Findings per rule</title>");
        if (rules.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{top + 16}\" class=\"empty\">No findings in the period.</text></svg>");
            return sb.ToString();
        }
        long max = Math.Max(1, rules.Max(r => r.Count));
        double plotW = width - labelW - right;
        for (int i = 0; i < rules.Count; i++)
        {
            var r = rules[i];
            double y = top + i * rowH;
            double w = Math.Max(2, plotW * r.Count / max);
            var color = colorByRule.TryGetValue(r.Name, out var c) ? c : Palette[0];
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW - 8}\" y=\"{y + 17:F1}\" text-anchor=\"end\" class=\"label\">{ReportText.Html(Truncate(r.Name, 36))}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelW}\" y=\"{y + 4:F1}\" width=\"{w:F1}\" height=\"{rowH - 8}\" fill=\"{color}\" class=\"bar\"><title>{ReportText.Html(r.Name)}: {ReportText.Number(r.Count)}</title></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW + w + 6:F1}\" y=\"{y + 17:F1}\" class=\"value\">{ReportText.Number(r.Count)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>The top of the value axis: four steps of 1, 2 or 5 × 10^n, so every gridline is a round number.</summary>
    public static long NiceCeiling(long v)
    {
        long needed = Math.Max(1, (v + 3) / 4);
        for (long p = 1; ; p *= 10)
            foreach (var m in new[] { 1, 2, 5 })
                if (p * m >= needed) return p * m * 4;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
