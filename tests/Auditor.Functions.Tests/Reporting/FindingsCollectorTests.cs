using Auditor.Core.Reporting;
using Auditor.Functions.Reporting;
using static Auditor.Functions.Tests.Reporting.FindingLines;

namespace Auditor.Functions.Tests.Reporting;

public class FindingsCollectorTests
{
    private static readonly ReportRequest TwoDays = new(T("2026-11-01T00:00:00Z"), T("2026-11-03T00:00:00Z"), ReportFormat.Html, "request");
    private readonly InMemoryFindingsStore _store = new();

    private Task<FindingsCollector.Result> Collect(int lateDays = 1, ReportRequest? request = null) =>
        new FindingsCollector(_store, "findings/", lateDays).CollectAsync(request ?? TwoDays, CancellationToken.None);

    [Fact]
    public async Task Lists_each_day_of_the_period_and_the_late_days_after_it()
    {
        await Collect(lateDays: 2);
        Assert.Equal(["findings/dt=2026-11-01/", "findings/dt=2026-11-02/", "findings/dt=2026-11-03/", "findings/dt=2026-11-04/"], _store.Listed);
    }

    [Fact]
    public async Task Duplicates_across_objects_count_once_and_a_malformed_line_is_named_with_its_object_and_line()
    {
        _store.Put("findings/dt=2026-11-01/a.jsonl", Lines(Line("kta-1", "key-disabled", T("2026-11-01T08:00:00Z")), "{\"id\": \"broken"), T("2026-11-01T09:00:00Z"));
        _store.Put("findings/dt=2026-11-01/b.jsonl", Lines(Line("kta-1", "key-disabled", T("2026-11-01T08:00:00Z")), Line("kta-2", "key-deletion-scheduled", T("2026-11-01T10:00:00Z"))), T("2026-11-01T11:00:00Z"));
        _store.Put("findings/dt=2026-11-02/c.jsonl.gz", Gzip(Lines(Line("kta-3", "unexpected-principal", T("2026-11-02T10:00:00Z")))), T("2026-11-02T11:00:00Z"));

        var r = await Collect();

        Assert.Equal(["kta-1", "kta-2", "kta-3"], r.Findings.Select(f => f.Id));
        Assert.Equal(4, r.FindingsSeen);
        Assert.Equal(1, r.Duplicates);
        Assert.Equal(3, r.ObjectsRead);
        Assert.Equal(1, r.ObjectsFailed);
        var error = Assert.Single(r.Errors);
        Assert.Equal("s3://findings-bucket/findings/dt=2026-11-01/a.jsonl:2", error.File);
        Assert.Contains("not a finding", error.Error);
    }

    [Fact]
    public async Task Findings_outside_the_period_are_left_out_and_late_partitions_contribute_in_period_findings()
    {
        // A log object delivered just after midnight is filed under the next day with events of the last minutes before it.
        _store.Put("findings/dt=2026-11-03/late.jsonl", Lines(
            Line("in-period", "key-disabled", T("2026-11-02T23:58:00Z")),
            Line("after", "key-disabled", T("2026-11-03T00:01:00Z"))), T("2026-11-03T00:10:00Z"));
        _store.Put("findings/dt=2026-11-01/early.jsonl", Lines(Line("before", "key-disabled", T("2026-10-31T23:59:59Z"))), T("2026-11-01T00:05:00Z"));

        var r = await Collect();

        Assert.Equal(["in-period"], r.Findings.Select(f => f.Id));
        // The late partition is not a day of the period: it says nothing about which days had objects.
        Assert.Equal([new DateOnly(2026, 11, 1)], r.DaysWithObjects);
    }

    [Fact]
    public async Task An_unreadable_object_is_named_and_the_others_are_still_read()
    {
        _store.Put("findings/dt=2026-11-01/forbidden.jsonl", Lines(Line("kta-x", "key-disabled", T("2026-11-01T08:00:00Z"))), T("2026-11-01T09:00:00Z"));
        _store.FailingKeys.Add("findings/dt=2026-11-01/forbidden.jsonl");
        _store.Put("findings/dt=2026-11-01/ok.jsonl", Lines(Line("kta-1", "key-disabled", T("2026-11-01T08:00:00Z"))), T("2026-11-01T09:00:00Z"));

        var r = await Collect();

        Assert.Equal(["kta-1"], r.Findings.Select(f => f.Id));
        var error = Assert.Single(r.Errors);
        Assert.Equal("s3://findings-bucket/findings/dt=2026-11-01/forbidden.jsonl", error.File);
        Assert.Contains("AccessDenied", error.Error);
        Assert.Equal(1, r.ObjectsFailed);
    }

    [Fact]
    public async Task A_truncated_gzip_object_keeps_the_lines_before_the_fault_and_is_named()
    {
        var whole = Gzip(Lines(Enumerable.Range(0, 400).Select(i => Line($"kta-{i:D3}", "key-disabled", T("2026-11-01T08:00:00Z").AddSeconds(i))).ToArray()));
        _store.Put("findings/dt=2026-11-01/cut.jsonl.gz", whole[..(whole.Length / 2)], T("2026-11-01T09:00:00Z"));

        var r = await Collect();

        Assert.InRange(r.Findings.Count, 1, 399);
        Assert.Contains(r.Errors, e => e.File == "s3://findings-bucket/findings/dt=2026-11-01/cut.jsonl.gz" && e.Error.Contains("gzip", StringComparison.Ordinal));
        Assert.Equal(1, r.ObjectsFailed);
    }

    [Fact]
    public async Task A_partition_that_cannot_be_listed_is_named_and_not_counted_as_having_objects()
    {
        _store.Put("findings/dt=2026-11-01/a.jsonl", Lines(Line("kta-1", "key-disabled", T("2026-11-01T08:00:00Z"))), T("2026-11-01T09:00:00Z"));
        _store.Put("findings/dt=2026-11-02/b.jsonl", Lines(Line("kta-2", "key-disabled", T("2026-11-02T08:00:00Z"))), T("2026-11-02T09:00:00Z"));
        _store.FailingPrefixes.Add("findings/dt=2026-11-02/");

        var r = await Collect();

        Assert.Equal(["kta-1"], r.Findings.Select(f => f.Id));
        Assert.Equal([new DateOnly(2026, 11, 1)], r.DaysWithObjects);
        Assert.Equal(1, r.PartitionsFailed);
        Assert.Contains(r.Errors, e => e.File == "s3://findings-bucket/findings/dt=2026-11-02/" && e.Error.Contains("ListObjectsV2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Objects_that_are_not_json_lines_are_skipped_not_failed()
    {
        _store.Put("findings/dt=2026-11-01/_SUCCESS", "", T("2026-11-01T09:00:00Z"));
        _store.Put("findings/dt=2026-11-01/a.jsonl", "", T("2026-11-01T09:00:00Z"));

        var r = await Collect();

        Assert.Equal(1, r.ObjectsSkipped);
        Assert.Equal(1, r.ObjectsRead);
        Assert.Empty(r.Errors);
        Assert.Equal([new DateOnly(2026, 11, 1)], r.DaysWithObjects);
    }
}
