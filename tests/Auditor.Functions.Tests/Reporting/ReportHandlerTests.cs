using System.Text;
using System.Text.Json;
using Auditor.Core.Reporting;
using Auditor.Functions.Hosting;
using Auditor.Functions.Observability;
using Auditor.Functions.Reporting;
using Auditor.Functions.Runtime;
using static Auditor.Functions.Tests.Reporting.FindingLines;

namespace Auditor.Functions.Tests.Reporting;

public class ReportHandlerTests
{
    private readonly InMemoryFindingsStore _store = new();
    private readonly RecordingReportSink _sink = new();
    private readonly MemoryStream _stdout = new();

    private ReportHandler Handler(params (string, string)[] vars)
    {
        var env = new DictionaryEnvironment(new Dictionary<string, string>(vars.Select(v => KeyValuePair.Create(v.Item1, v.Item2))) { ["AUDITOR_FINDINGS_BUCKET"] = "findings-bucket" });
        var settings = ReportSettings.From(env);
        var log = new FunctionLog(_stdout);
        return new ReportHandler(new FindingsCollector(_store, settings.FindingsPrefix, settings.LateDays), _sink, settings, log,
            new ReportMetrics(log, "KmsTrailAuditor", "auditor-report"), new FixedClock(T("2026-11-03T01:15:00Z")));
    }

    private static LambdaInvocation Invocation(string payload) => new() { RequestId = "req-1", Payload = Encoding.UTF8.GetBytes(payload) };

    private List<JsonElement> LogLines() => Encoding.UTF8.GetString(_stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private void PutTwoDays()
    {
        _store.Put("findings/dt=2026-11-01/a.jsonl", Lines(Line("kta-1", "key-disabled", T("2026-11-01T08:00:00Z")), "not json at all"), T("2026-11-01T09:00:00Z"));
        _store.Put("findings/dt=2026-11-01/b.jsonl", Lines(Line("kta-1", "key-disabled", T("2026-11-01T08:00:00Z"))), T("2026-11-01T10:00:00Z"));
        _store.Put("findings/dt=2026-11-02/c.jsonl", Lines(Line("kta-2", "key-deletion-scheduled", T("2026-11-02T08:00:00Z"))), T("2026-11-02T09:00:00Z"));
    }

    [Fact]
    public async Task Writes_the_report_under_a_key_named_by_the_period_and_answers_its_figures()
    {
        PutTwoDays();
        var answer = JsonDocument.Parse(await Handler().HandleAsync(Invocation("""{"from":"2026-10-31","to":"2026-11-03","format":"html"}"""), CancellationToken.None)).RootElement;

        Assert.Equal("reports/2026-10-31_2026-11-03.html", answer.GetProperty("reportKey").GetString());
        Assert.Equal(2, answer.GetProperty("findings").GetInt32());
        Assert.Equal(3, answer.GetProperty("days").GetInt32());
        Assert.Equal(1, answer.GetProperty("objectsFailed").GetInt32());
        Assert.Equal(1, answer.GetProperty("daysWithoutFindingsObjects").GetInt32());
        var (bytes, contentType) = _sink.Objects["reports/2026-10-31_2026-11-03.html"];
        Assert.Equal("text/html; charset=utf-8", contentType);
        var html = Encoding.UTF8.GetString(bytes);
        Assert.Contains("key-disabled", html);
        Assert.Contains("key-deletion-scheduled", html);
        Assert.Contains("s3://findings-bucket/findings/dt=2026-11-01/a.jsonl:2", html);
        Assert.Contains("2026-10-31", html[html.IndexOf("id=\"gap-days\"", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task The_json_report_says_which_days_had_no_findings_objects_and_counts_a_duplicate_once()
    {
        PutTwoDays();
        await Handler().HandleAsync(Invocation("""{"from":"2026-10-31","to":"2026-11-03","format":"json"}"""), CancellationToken.None);

        var report = JsonDocument.Parse(_sink.Objects["reports/2026-10-31_2026-11-03.json"].Bytes).RootElement;
        Assert.Equal(["2026-10-31"], report.GetProperty("coverage").GetProperty("daysWithoutLogFiles").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(2, report.GetProperty("totals").GetProperty("findings").GetInt32());
        Assert.Equal(["kta-1", "kta-2"], report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.Equal("2026-10-31T00:00:00Z", report.GetProperty("period").GetProperty("from").GetString());
        Assert.Equal("2026-11-02T23:59:59Z", report.GetProperty("period").GetProperty("to").GetString());
        Assert.Contains(report.GetProperty("coverage").GetProperty("failedFiles").EnumerateArray(),
            f => f.GetProperty("file").GetString() == "s3://findings-bucket/findings/dt=2026-11-01/a.jsonl:2");
    }

    [Fact]
    public async Task A_scheduled_event_reports_the_previous_day_in_the_configured_format()
    {
        PutTwoDays();
        var answer = JsonDocument.Parse(await Handler(("AUDITOR_REPORT_FORMAT", "md"), ("AUDITOR_REPORTS_PREFIX", "audit/reports")).HandleAsync(Invocation(
            """{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"111122223333","time":"2026-11-02T01:15:00Z","region":"us-east-1","resources":[],"detail":{}}"""),
            CancellationToken.None)).RootElement;

        Assert.Equal("audit/reports/2026-11-01_2026-11-02.md", answer.GetProperty("reportKey").GetString());
        Assert.Equal(1, answer.GetProperty("findings").GetInt32());
        Assert.Equal(1, answer.GetProperty("days").GetInt32());
        Assert.Contains("key-disabled", _sink.Text("audit/reports/2026-11-01_2026-11-02.md"));
        Assert.DoesNotContain("key-deletion-scheduled", _sink.Text("audit/reports/2026-11-01_2026-11-02.md"));
    }

    [Fact]
    public async Task A_rerun_overwrites_the_same_object()
    {
        PutTwoDays();
        var handler = Handler();
        await handler.HandleAsync(Invocation("""{"from":"2026-11-01","to":"2026-11-02"}"""), CancellationToken.None);
        _store.Put("findings/dt=2026-11-01/d.jsonl", Lines(Line("kta-9", "access-denied-burst", T("2026-11-01T20:00:00Z"))), T("2026-11-02T03:00:00Z"));
        await handler.HandleAsync(Invocation("""{"from":"2026-11-01","to":"2026-11-02"}"""), CancellationToken.None);

        Assert.Equal(["reports/2026-11-01_2026-11-02.html"], _sink.Objects.Keys);
        Assert.Contains("access-denied-burst", _sink.Text("reports/2026-11-01_2026-11-02.html"));
    }

    [Fact]
    public async Task Emits_the_report_metrics_and_logs_each_bad_input()
    {
        PutTwoDays();
        await Handler().HandleAsync(Invocation("""{"from":"2026-11-01","to":"2026-11-03"}"""), CancellationToken.None);

        var lines = LogLines();
        var emf = Assert.Single(lines, l => l.TryGetProperty("_aws", out _));
        Assert.Equal(["ReportFindings", "ReportObjectsRead", "ReportObjectsFailed"],
            emf.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()));
        Assert.Equal(2, emf.GetProperty("ReportFindings").GetInt32());
        Assert.Equal(3, emf.GetProperty("ReportObjectsRead").GetInt32());
        Assert.Equal(1, emf.GetProperty("ReportObjectsFailed").GetInt32());
        Assert.Equal("auditor-report", emf.GetProperty("FunctionName").GetString());
        var warn = Assert.Single(lines, l => l.TryGetProperty("message", out var m) && m.GetString() == "findings input not read");
        Assert.Equal("s3://findings-bucket/findings/dt=2026-11-01/a.jsonl:2", warn.GetProperty("input").GetString());
        Assert.Contains(lines, l => l.TryGetProperty("message", out var m) && m.GetString() == "report written" && l.GetProperty("duplicates").GetInt64() == 1);
    }

    [Fact]
    public async Task A_period_with_no_listable_partition_fails_instead_of_writing_an_empty_report()
    {
        foreach (var day in new[] { "2026-11-01", "2026-11-02" }) _store.FailingPrefixes.Add($"findings/dt={day}/");
        var e = await Assert.ThrowsAsync<FunctionException>(() => Handler().HandleAsync(Invocation("""{"from":"2026-11-01","to":"2026-11-02"}"""), CancellationToken.None));
        Assert.Equal("Auditor.FindingsUnreadable", e.ErrorType);
        Assert.Contains("AccessDenied", e.Message);
        Assert.Empty(_sink.Objects);
    }

    [Fact]
    public async Task A_refused_write_fails_the_invocation_naming_the_object()
    {
        _sink.Fail = true;
        var e = await Assert.ThrowsAsync<FunctionException>(() => Handler().HandleAsync(Invocation("{}"), CancellationToken.None));
        Assert.Equal("Auditor.ReportNotWritten", e.ErrorType);
        Assert.Contains("reports/2026-11-02_2026-11-03.html", e.Message);
    }

    [Fact]
    public async Task A_bad_request_fails_before_anything_is_read()
    {
        var e = await Assert.ThrowsAsync<FunctionException>(() => Handler().HandleAsync(Invocation("""{"from":"2026-11-01"}"""), CancellationToken.None));
        Assert.Equal("Auditor.InvalidReportRequest", e.ErrorType);
        Assert.Empty(_store.Listed);
    }

    [Fact]
    public async Task The_deadline_fails_the_invocation_with_a_clear_error_and_writes_nothing()
    {
        PutTwoDays();
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();
        var e = await Assert.ThrowsAsync<FunctionException>(() => Handler().HandleAsync(Invocation("""{"from":"2026-11-01","to":"2026-11-03"}"""), expired.Token));
        Assert.Equal("Auditor.DeadlineExceeded", e.ErrorType);
        Assert.Empty(_sink.Objects);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
