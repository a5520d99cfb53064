using System.Globalization;
using Auditor.Core.Reporting;

namespace Auditor.Functions.Reporting;

/// <summary>
/// Names the report object: <c>{reportsPrefix}{from}_{to}.{ext}</c>, where a bound on midnight UTC is written as its
/// date (<c>2026-11-01</c>) and any other as a compact UTC time (<c>2026-11-01T120000Z</c>). The name depends only
/// on the period and format, so a re-run (a retried schedule, a manual re-run after late logs) overwrites the
/// same object, and two different periods never share a name.
/// </summary>
public static class ReportObjectKey
{
    /// <summary>The key of the report for <paramref name="request"/>.</summary>
    public static string For(string reportsPrefix, ReportRequest request) =>
        $"{reportsPrefix}{Bound(request.From)}_{Bound(request.To)}.{Extension(request.Format)}";

    /// <summary>The file extension of a format.</summary>
    public static string Extension(ReportFormat format) => format switch
    {
        ReportFormat.Html => "html",
        ReportFormat.Markdown => "md",
        ReportFormat.Csv => "csv",
        _ => "json",
    };

    /// <summary>The Content-Type the object is stored with, so a browser opening it from the console renders it.</summary>
    public static string ContentType(ReportFormat format) => format switch
    {
        ReportFormat.Html => "text/html; charset=utf-8",
        ReportFormat.Markdown => "text/markdown; charset=utf-8",
        ReportFormat.Csv => "text/csv; charset=utf-8",
        _ => "application/json",
    };

    private static string Bound(DateTimeOffset t)
    {
        var u = t.UtcDateTime;
        return u.TimeOfDay == TimeSpan.Zero
            ? u.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : u.ToString("yyyy-MM-dd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
    }
}
