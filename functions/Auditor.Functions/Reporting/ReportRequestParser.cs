using System.Globalization;
using System.Text.Json;
using Auditor.Core.Reporting;
using Auditor.Functions.Runtime;

namespace Auditor.Functions.Reporting;

/// <summary>
/// Turns the invocation payload into a <see cref="ReportRequest"/>:
/// <list type="bullet">
/// <item>an EventBridge scheduled event → the previous full UTC day before its <c>time</c>;</item>
/// <item><c>{"from": ISO, "to": ISO}</c> → [from, to) (a bare date is its midnight UTC, so
/// <c>{"from":"2026-11-01","to":"2026-11-02"}</c> is the one day 2026-11-01);</item>
/// <item>neither (for example <c>{}</c> or <c>{"format":"md"}</c>) → the previous full UTC day before now.</item>
/// </list>
/// <c>format</c> (<c>html</c>, <c>md</c>, <c>csv</c>, <c>json</c>) overrides the configured default. Anything else
/// is refused with an error naming the field and the value.
/// </summary>
public static class ReportRequestParser
{
    /// <summary>The longest period one invocation reports on; longer is almost always a typo in a year.</summary>
    public const int MaxDays = 366;

    /// <summary>Parses <paramref name="payload"/>; <paramref name="now"/> is the invocation time.</summary>
    /// <exception cref="FunctionException">With <c>Auditor.InvalidReportRequest</c> and a message naming the problem.</exception>
    public static ReportRequest Parse(ReadOnlySpan<byte> payload, DateTimeOffset now, ReportFormat defaultFormat)
    {
        ReportInvocationEvent? e;
        try
        {
            e = JsonSerializer.Deserialize(payload, ReportJsonContext.Default.ReportInvocationEvent);
        }
        catch (JsonException ex)
        {
            throw Invalid($"the event is not a report request (a JSON object with from/to/format, or an EventBridge scheduled event): {ex.Message}");
        }
        if (e is null) throw Invalid("the event is null; send {} for the previous day, or {\"from\":\"2026-11-01\",\"to\":\"2026-11-02\"}");
        if (e.Records is not null)
            throw Invalid("the event has \"Records\" (an S3, SQS or SNS event): that is ingest's input, not report's");

        var format = e.Format is null ? defaultFormat : ParseFormat(e.Format, "format");

        if (e.DetailType is not null || e.Source is not null)
        {
            if (!string.Equals(e.DetailType, "Scheduled Event", StringComparison.Ordinal) || !string.Equals(e.Source, "aws.events", StringComparison.Ordinal))
                throw Invalid($"an EventBridge event with source '{e.Source}' and detail-type '{e.DetailType}' is not a schedule; report accepts \"Scheduled Event\" from \"aws.events\"");
            if (e.From is not null || e.To is not null)
                throw Invalid("a scheduled event carries no from/to; use a direct request {\"from\":…,\"to\":…} for a chosen period");
            if (e.Time is null) throw Invalid("the scheduled event has no \"time\"");
            var fired = ParseTime(e.Time, "time");
            return PreviousDay(fired, format, "schedule");
        }

        if (e.From is null && e.To is null) return PreviousDay(now, format, "default");
        if (e.From is null || e.To is null)
            throw Invalid($"give both \"from\" and \"to\" (got only \"{(e.From is null ? "to" : "from")}\"); \"to\" is exclusive: {{\"from\":\"2026-11-01\",\"to\":\"2026-11-02\"}} is one day");
        var from = ParseTime(e.From, "from");
        var to = ParseTime(e.To, "to");
        if (from >= to)
            throw Invalid($"the period is empty: \"from\" {Iso(from)} is not before \"to\" {Iso(to)} (\"to\" is exclusive: {{\"from\":\"2026-11-01\",\"to\":\"2026-11-02\"}} is one day)");
        if ((to - from).TotalDays > MaxDays)
            throw Invalid($"the period {Iso(from)} – {Iso(to)} is longer than {MaxDays} days; ask for shorter periods");
        return new ReportRequest(from, to, format, "request");
    }

    /// <summary>The full UTC day before the day of <paramref name="t"/>.</summary>
    public static ReportRequest PreviousDay(DateTimeOffset t, ReportFormat format, string trigger)
    {
        var today = new DateTimeOffset(t.UtcDateTime.Date, TimeSpan.Zero);
        return new ReportRequest(today.AddDays(-1), today, format, trigger);
    }

    /// <summary>A format name as the request and <c>AUDITOR_REPORT_FORMAT</c> spell it.</summary>
    public static bool TryParseFormat(string value, out ReportFormat format)
    {
        (bool ok, format) = value.Trim().ToLowerInvariant() switch
        {
            "html" or "htm" => (true, ReportFormat.Html),
            "md" or "markdown" => (true, ReportFormat.Markdown),
            "csv" => (true, ReportFormat.Csv),
            "json" => (true, ReportFormat.Json),
            _ => (false, ReportFormat.Html),
        };
        return ok;
    }

    private static ReportFormat ParseFormat(string value, string field) =>
        TryParseFormat(value, out var f) ? f : throw Invalid($"\"{field}\" is '{value}'; expected html, md, csv or json");

    /// <summary>ISO 8601: a bare date (midnight UTC) or a date and time; without an offset the time is UTC.</summary>
    internal static DateTimeOffset ParseTime(string value, string field)
    {
        var v = value.Trim();
        if (DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (v.Length > 10 && v[10] is 'T' or 't' or ' ' && DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return t.ToUniversalTime();
        throw Invalid($"\"{field}\" is '{value}', which is not an ISO 8601 date or time (for example 2026-11-01 or 2026-11-01T00:00:00Z)");
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static FunctionException Invalid(string message) => new("Auditor.InvalidReportRequest", message);
}
