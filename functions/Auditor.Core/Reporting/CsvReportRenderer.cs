using System.Text;
using Auditor.Core.Authorization;
using Auditor.Core.Findings;

namespace Auditor.Core.Reporting;

/// <summary>
/// The CSV forms (RFC 4180, CRLF line ends, UTF-8 without BOM, header row): one row per finding, and
/// (<c>--usage-csv</c>) one row per key × principal × operation. Every text cell goes through
/// <see cref="ReportText.Csv(string?)"/>, which quotes it and neutralises spreadsheet formulas.
/// </summary>
public static class CsvReportRenderer
{
    public static readonly IReadOnlyList<string> FindingColumns =
    [
        "rule", "severity", "eventId", "eventTime", "keyArn", "principal", "eventName", "awsRegion", "sessionArn",
        "decision", "path", "statementSid", "grantId", "title", "explanation", "evidence", "id",
    ];

    public static readonly IReadOnlyList<string> UsageColumns =
    [
        "keyArn", "aliases", "principal", "operation", "count", "failed", "firstSeen", "lastSeen", "authorizationPaths", "authorization",
    ];

    public static void RenderFindings(ComplianceReport report, Stream output)
    {
        using var w = Writer(output);
        Row(w, FindingColumns);
        foreach (var f in report.Findings)
        {
            Row(w,
            [
                ReportText.Csv(f.Rule), ReportText.Csv(SeverityNames.Of(f.Severity)), ReportText.Csv(f.EventId), ReportText.Csv(ReportText.Time(f.EventTime)),
                ReportText.Csv(f.KeyArn), ReportText.Csv(f.Principal), ReportText.Csv(f.EventName), ReportText.Csv(f.AwsRegion), ReportText.Csv(f.SessionArn),
                ReportText.Csv(AuthorizationNames.Of(f.Authorization.Decision)), ReportText.Csv(AuthorizationNames.Of(f.Authorization.Path)),
                ReportText.Csv(f.Authorization.StatementSid), ReportText.Csv(f.Authorization.GrantId), ReportText.Csv(f.Title), ReportText.Csv(f.Explanation),
                ReportText.Csv(string.Join(" ", f.Evidence)), ReportText.Csv(f.Id),
            ], raw: true);
        }
    }

    public static void RenderUsage(ComplianceReport report, Stream output)
    {
        using var w = Writer(output);
        Row(w, UsageColumns);
        foreach (var key in report.Keys)
            foreach (var c in key.Usage)
                Row(w,
                [
                    ReportText.Csv(c.KeyArn), ReportText.Csv(string.Join(" ", key.Aliases)), ReportText.Csv(c.Principal), ReportText.Csv(c.Operation),
                    ReportText.Csv(c.Count), ReportText.Csv(c.Failed), ReportText.Csv(ReportText.Time(c.FirstSeen)), ReportText.Csv(ReportText.Time(c.LastSeen)),
                    ReportText.Csv(string.Join(";", c.Authorizations.Select(a => a.Path).Distinct())), ReportText.Csv(c.AuthorizationText),
                ], raw: true);
    }

    private static StreamWriter Writer(Stream output) => new(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };

    private static void Row(StreamWriter w, IReadOnlyList<string> cells, bool raw = false)
    {
        for (int i = 0; i < cells.Count; i++)
        {
            if (i > 0) w.Write(',');
            w.Write(raw ? cells[i] : ReportText.Csv(cells[i]));
        }
        w.Write("\r\n");
    }
}
