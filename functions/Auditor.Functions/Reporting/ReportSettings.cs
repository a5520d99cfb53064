using System.Globalization;
using Auditor.Core.Reporting;
using Auditor.Functions.Hosting;
using Auditor.Functions.Ingest;
using Auditor.Functions.Runtime;

namespace Auditor.Functions.Reporting;

/// <summary>
/// <c>report</c>'s configuration, from the environment only: <c>AUDITOR_FINDINGS_BUCKET</c> (required; findings are
/// read from it and the report is written to it), <c>AUDITOR_FINDINGS_PREFIX</c> (default <c>findings/</c>),
/// <c>AUDITOR_REPORTS_PREFIX</c> (default <c>reports/</c>), <c>AUDITOR_EXPECTED_BUCKET_OWNER</c>,
/// <c>AUDITOR_REPORT_FORMAT</c> (default <c>html</c>) and <c>AUDITOR_REPORT_LATE_DAYS</c> (default 1: partitions
/// after the period also read, because a log object is filed under the day it was delivered, which can be after
/// the day of its events).
/// </summary>
public sealed record ReportSettings(string FindingsBucket, string FindingsPrefix, string ReportsPrefix, string? ExpectedBucketOwner,
    ReportFormat DefaultFormat, int LateDays)
{
    /// <summary>Reads and checks the variables; a bad value is an init error naming the variable.</summary>
    public static ReportSettings From(IEnvironment env)
    {
        var bucket = env.Get("AUDITOR_FINDINGS_BUCKET")
            ?? throw Invalid("AUDITOR_FINDINGS_BUCKET is not set: report reads findings from that bucket and writes the report to it");
        var owner = env.Get("AUDITOR_EXPECTED_BUCKET_OWNER");
        if (owner is not null && (owner.Length != 12 || !owner.All(char.IsAsciiDigit)))
            throw Invalid($"AUDITOR_EXPECTED_BUCKET_OWNER must be a 12-digit AWS account id, got '{owner}'");
        var format = ReportFormat.Html;
        if (env.Get("AUDITOR_REPORT_FORMAT") is { } f && !ReportRequestParser.TryParseFormat(f, out format))
            throw Invalid($"AUDITOR_REPORT_FORMAT must be html, md, csv or json, got '{f}'");
        int lateDays = 1;
        if (env.Get("AUDITOR_REPORT_LATE_DAYS") is { } l
            && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out lateDays) || lateDays > 31))
            throw Invalid($"AUDITOR_REPORT_LATE_DAYS must be a whole number from 0 to 31, got '{l}'");
        var findingsPrefix = FindingsObjectKey.NormalizePrefix(env.Get("AUDITOR_FINDINGS_PREFIX") ?? "findings/");
        var reportsPrefix = FindingsObjectKey.NormalizePrefix(env.Get("AUDITOR_REPORTS_PREFIX") ?? "reports/");
        // Reports inside a dt= partition would be listed as findings objects by the next run.
        if (findingsPrefix.Length > 0 && reportsPrefix.StartsWith(findingsPrefix + "dt=", StringComparison.Ordinal))
            throw Invalid($"AUDITOR_REPORTS_PREFIX '{reportsPrefix}' lies inside a findings partition; choose a prefix outside '{findingsPrefix}dt=…'");
        return new ReportSettings(bucket, findingsPrefix, reportsPrefix, owner, format, lateDays);
    }

    private static FunctionException Invalid(string message) => new("Runtime.InvalidConfiguration", message);
}
