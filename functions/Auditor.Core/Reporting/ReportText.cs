using System.Globalization;
using System.Text;

namespace Auditor.Core.Reporting;

/// <summary>
/// Escaping for each output syntax. Everything in a report comes from CloudTrail records, policies and
/// file names an attacker may control (a role can be named to look like markup or a spreadsheet formula),
/// so no text is ever written raw.
/// </summary>
public static class ReportText
{
    /// <summary>HTML text and attribute values: <c>&amp; &lt; &gt; " '</c> encoded, control characters dropped.</summary>
    public static string Html(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var sb = new StringBuilder(s.Length + 16);
        foreach (char c in s)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\n' or '\t': sb.Append(c); break;
                default:
                    if (char.IsControl(c)) break;
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Markdown table cells and text: markup characters backslash-escaped, <c>&lt;</c> and <c>&amp;</c> as entities, one line.</summary>
    public static string Markdown(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var sb = new StringBuilder(s.Length + 16);
        foreach (char c in s)
        {
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '#' or '!' or '~' or '(' or ')': sb.Append('\\').Append(c); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\r' or '\n' or '\t': sb.Append(' '); break;
                default:
                    if (!char.IsControl(c)) sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A text value
    /// starting with <c>= + - @</c> (or tab / CR, which some spreadsheets also treat as formula starts) gets a
    /// leading single quote so a spreadsheet shows it as text instead of running it (OWASP "CSV Injection").
    /// </summary>
    public static string Csv(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        if (s[0] is '=' or '+' or '-' or '@' or '\t' or '\r') s = "'" + s;
        bool quote = s.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        return quote ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    /// <summary>A number we wrote ourselves: never neutralised, never quoted.</summary>
    public static string Csv(long n) => n.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A duration an auditor reads: <c>3d 4h</c>, <c>2h 05m</c>, <c>12m</c>.</summary>
    public static string Duration(TimeSpan? d)
    {
        if (d is not { } v) return "";
        if (v.TotalDays >= 1) return $"{(int)v.TotalDays}d {v.Hours}h";
        if (v.TotalHours >= 1) return $"{(int)v.TotalHours}h {v.Minutes:00}m";
        if (v.TotalMinutes >= 1) return $"{(int)v.TotalMinutes}m";
        return $"{(int)v.TotalSeconds}s";
    }

    /// <summary>Consecutive days collapsed into ranges: <c>2024-01-01 – 2024-01-05, 2024-01-09</c>.</summary>
    public static IEnumerable<string> DayRanges(IReadOnlyList<DateOnly> days)
    {
        for (int i = 0; i < days.Count;)
        {
            int j = i;
            while (j + 1 < days.Count && days[j + 1] == days[j].AddDays(1)) j++;
            yield return i == j ? Day(days[i]) : $"{Day(days[i])} – {Day(days[j])} ({j - i + 1} days)";
            i = j + 1;
        }
    }

    /// <summary>The period in words.</summary>
    public static string Period(ReportPeriod p) =>
        p.From is null && p.To is null ? "no events seen" : $"{Time(p.From)} – {Time(p.To)}";
}
