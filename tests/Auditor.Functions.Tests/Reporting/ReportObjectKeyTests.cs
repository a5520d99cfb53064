using Auditor.Core.Reporting;
using Auditor.Functions.Reporting;
using static Auditor.Functions.Tests.Reporting.FindingLines;

namespace Auditor.Functions.Tests.Reporting;

public class ReportObjectKeyTests
{
    [Theory]
    [InlineData(ReportFormat.Html, "reports/2026-11-01_2026-11-02.html")]
    [InlineData(ReportFormat.Markdown, "reports/2026-11-01_2026-11-02.md")]
    [InlineData(ReportFormat.Csv, "reports/2026-11-01_2026-11-02.csv")]
    [InlineData(ReportFormat.Json, "reports/2026-11-01_2026-11-02.json")]
    public void A_day_aligned_period_is_named_by_its_dates_and_format(ReportFormat format, string expected)
    {
        var r = new ReportRequest(T("2026-11-01T00:00:00Z"), T("2026-11-02T00:00:00Z"), format, "request");
        Assert.Equal(expected, ReportObjectKey.For("reports/", r));
    }

    [Fact]
    public void Bounds_off_midnight_keep_their_time_so_periods_of_one_day_do_not_collide()
    {
        var morning = new ReportRequest(T("2026-11-01T00:00:00Z"), T("2026-11-01T12:00:00Z"), ReportFormat.Html, "request");
        var afternoon = new ReportRequest(T("2026-11-01T12:00:00Z"), T("2026-11-02T00:00:00Z"), ReportFormat.Html, "request");
        Assert.Equal("r/2026-11-01_2026-11-01T120000Z.html", ReportObjectKey.For("r/", morning));
        Assert.Equal("r/2026-11-01T120000Z_2026-11-02.html", ReportObjectKey.For("r/", afternoon));
    }

    [Fact]
    public void The_same_period_always_gets_the_same_key()
    {
        var a = ReportRequestParser.PreviousDay(T("2026-11-02T01:15:00Z"), ReportFormat.Html, "schedule");
        var b = ReportRequestParser.PreviousDay(T("2026-11-02T09:00:00Z"), ReportFormat.Html, "default");
        Assert.Equal(ReportObjectKey.For("reports/", a), ReportObjectKey.For("reports/", b));
    }
}
