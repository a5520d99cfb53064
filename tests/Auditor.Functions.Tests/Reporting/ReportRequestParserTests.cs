using System.Text;
using Auditor.Core.Reporting;
using Auditor.Functions.Reporting;
using Auditor.Functions.Runtime;
using static Auditor.Functions.Tests.Reporting.FindingLines;

namespace Auditor.Functions.Tests.Reporting;

public class ReportRequestParserTests
{
    private static readonly DateTimeOffset Now = T("2026-11-05T10:30:00Z");

    private static ReportRequest Parse(string json, ReportFormat defaultFormat = ReportFormat.Html) =>
        ReportRequestParser.Parse(Encoding.UTF8.GetBytes(json), Now, defaultFormat);

    private static string Scheduled(string time) =>
        """{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events","account":"111122223333","time":""" + "\"" + time + "\""
        + ""","region":"us-east-1","resources":["arn:aws:events:us-east-1:111122223333:rule/auditor-report"],"detail":{}}""";

    [Theory]
    [InlineData("2026-11-02T01:15:00Z", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")]
    [InlineData("2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")]
    [InlineData("2026-11-01T23:59:59Z", "2026-10-31T00:00:00Z", "2026-11-01T00:00:00Z")]
    [InlineData("2026-01-01T00:05:00Z", "2025-12-31T00:00:00Z", "2026-01-01T00:00:00Z")]
    public void Scheduled_event_reports_the_previous_full_utc_day(string fired, string from, string to)
    {
        var r = Parse(Scheduled(fired));
        Assert.Equal(T(from), r.From);
        Assert.Equal(T(to), r.To);
        Assert.Equal("schedule", r.Trigger);
        Assert.Equal(ReportFormat.Html, r.Format);
        Assert.Single(r.Days());
    }

    [Fact]
    public void Scheduled_event_uses_the_configured_default_format()
    {
        Assert.Equal(ReportFormat.Markdown, Parse(Scheduled("2026-11-02T01:15:00Z"), ReportFormat.Markdown).Format);
    }

    [Fact]
    public void Explicit_dates_give_a_half_open_period_and_its_days()
    {
        var r = Parse("""{"from":"2026-10-30","to":"2026-11-02","format":"csv"}""");
        Assert.Equal(T("2026-10-30T00:00:00Z"), r.From);
        Assert.Equal(T("2026-11-02T00:00:00Z"), r.To);
        Assert.Equal(ReportFormat.Csv, r.Format);
        Assert.Equal("request", r.Trigger);
        Assert.Equal([new DateOnly(2026, 10, 30), new DateOnly(2026, 10, 31), new DateOnly(2026, 11, 1)], r.Days());
    }

    [Fact]
    public void Explicit_times_with_offsets_are_converted_to_utc()
    {
        var r = Parse("""{"from":"2026-11-01T02:00:00+02:00","to":"2026-11-01T18:30:00Z","format":"JSON"}""");
        Assert.Equal(T("2026-11-01T00:00:00Z"), r.From);
        Assert.Equal(T("2026-11-01T18:30:00Z"), r.To);
        Assert.Equal(TimeSpan.Zero, r.From.Offset);
        Assert.Equal(ReportFormat.Json, r.Format);
        Assert.Equal([new DateOnly(2026, 11, 1)], r.Days());
    }

    [Theory]
    [InlineData("{}", ReportFormat.Html)]
    [InlineData("""{"format":"md"}""", ReportFormat.Markdown)]
    [InlineData("""{"format":"markdown"}""", ReportFormat.Markdown)]
    public void Without_a_period_the_previous_day_before_now_is_reported(string json, ReportFormat format)
    {
        var r = Parse(json);
        Assert.Equal(T("2026-11-04T00:00:00Z"), r.From);
        Assert.Equal(T("2026-11-05T00:00:00Z"), r.To);
        Assert.Equal(format, r.Format);
        Assert.Equal("default", r.Trigger);
    }

    [Theory]
    [InlineData("""{"from":"2026-11-01"}""", "give both")]
    [InlineData("""{"to":"2026-11-01"}""", "give both")]
    [InlineData("""{"from":"2026-11-01","to":"2026-11-01"}""", "is not before")]
    [InlineData("""{"from":"2026-11-02","to":"2026-11-01"}""", "is not before")]
    [InlineData("""{"from":"yesterday","to":"2026-11-01"}""", "'yesterday'")]
    [InlineData("""{"from":"2026-11-01","to":"2026-13-01"}""", "'2026-13-01'")]
    [InlineData("""{"from":"2026-11-01","to":"2026-11-02","format":"pdf"}""", "'pdf'")]
    [InlineData("""{"from":"2024-01-01","to":"2026-01-01"}""", "longer than 366 days")]
    [InlineData("""{"from":20261101,"to":"2026-11-02"}""", "not a report request")]
    [InlineData("""not json""", "not a report request")]
    [InlineData("""[1,2]""", "not a report request")]
    [InlineData("""null""", "null")]
    [InlineData("""{"Records":[{"eventSource":"aws:s3"}]}""", "Records")]
    [InlineData("""{"source":"aws.s3","detail-type":"Object Created","time":"2026-11-02T01:15:00Z"}""", "Object Created")]
    [InlineData("""{"source":"aws.events","detail-type":"Scheduled Event"}""", "no \"time\"")]
    [InlineData("""{"source":"aws.events","detail-type":"Scheduled Event","time":"soon"}""", "'soon'")]
    [InlineData("""{"source":"aws.events","detail-type":"Scheduled Event","time":"2026-11-02T01:15:00Z","from":"2026-10-01","to":"2026-10-02"}""", "carries no from/to")]
    public void Bad_requests_are_refused_with_an_error_naming_the_problem(string json, string expected)
    {
        var e = Assert.Throws<FunctionException>(() => Parse(json));
        Assert.Equal("Auditor.InvalidReportRequest", e.ErrorType);
        Assert.Contains(expected, e.Message);
    }
}
