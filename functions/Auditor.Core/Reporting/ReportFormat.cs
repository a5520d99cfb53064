namespace Auditor.Core.Reporting;

/// <summary>The report formats; the extension of <c>--out</c> picks one.</summary>
public enum ReportFormat
{
    Html,
    Markdown,
    Csv,
    Json,
}

/// <summary>Format by file extension, and the renderer for each.</summary>
public static class ReportFormats
{
    public static bool TryFromPath(string path, out ReportFormat format)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        (bool ok, format) = ext switch
        {
            ".html" or ".htm" => (true, ReportFormat.Html),
            ".md" or ".markdown" => (true, ReportFormat.Markdown),
            ".csv" => (true, ReportFormat.Csv),
            ".json" => (true, ReportFormat.Json),
            _ => (false, ReportFormat.Html),
        };
        return ok;
    }

    /// <summary>Writes <paramref name="report"/> in <paramref name="format"/> to <paramref name="output"/> (left open).</summary>
    public static void Render(ComplianceReport report, ReportFormat format, Stream output)
    {
        switch (format)
        {
            case ReportFormat.Html: HtmlReportRenderer.Render(report, output); break;
            case ReportFormat.Markdown: MarkdownReportRenderer.Render(report, output); break;
            case ReportFormat.Csv: CsvReportRenderer.RenderFindings(report, output); break;
            default: JsonReportRenderer.Render(report, output); break;
        }
    }
}
