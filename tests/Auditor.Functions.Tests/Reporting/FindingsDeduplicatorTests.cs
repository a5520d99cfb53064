using Auditor.Functions.Reporting;
using FsCheck;
using FsCheck.Fluent;
using static Auditor.Functions.Tests.Reporting.FindingLines;

namespace Auditor.Functions.Tests.Reporting;

public class FindingsDeduplicatorTests
{
    private static readonly DateTimeOffset From = T("2026-11-01T00:00:00Z");
    private static readonly DateTimeOffset To = T("2026-11-02T00:00:00Z");
    private static readonly DateTimeOffset Event = T("2026-11-01T08:00:00Z");

    [Fact]
    public void A_redelivered_finding_is_kept_once()
    {
        var d = new FindingsDeduplicator();
        d.Add("findings/dt=2026-11-01/a.jsonl", T("2026-11-01T08:10:00Z"), [Make("kta-1", "key-disabled", Event)]);
        d.Add("findings/dt=2026-11-01/b.jsonl", T("2026-11-01T08:20:00Z"), [Make("kta-1", "key-disabled", Event)]);
        Assert.Single(d.Within(From, To));
        Assert.Equal(2, d.Seen);
        Assert.Equal(1, d.Duplicates);
    }

    [Fact]
    public void The_copy_from_the_latest_object_wins_whatever_the_reading_order()
    {
        var early = Make("kta-1", "retired-grant-use", Event, title: "judged first");
        var late = Make("kta-1", "retired-grant-use", Event, title: "re-judged after the RetireGrant arrived");
        foreach (var lateFirst in new[] { true, false })
        {
            var d = new FindingsDeduplicator();
            void AddLate() => d.Add("findings/dt=2026-11-01/a.jsonl", T("2026-11-01T12:00:00Z"), [late]);
            void AddEarly() => d.Add("findings/dt=2026-11-01/z.jsonl", T("2026-11-01T09:00:00Z"), [early]);
            if (lateFirst) { AddLate(); AddEarly(); } else { AddEarly(); AddLate(); }
            Assert.Equal("re-judged after the RetireGrant arrived", Assert.Single(d.Within(From, To)).Title);
        }
    }

    [Fact]
    public void Equal_last_modified_times_are_broken_by_the_greater_key()
    {
        var t = T("2026-11-01T12:00:00Z");
        var d = new FindingsDeduplicator();
        d.Add("findings/dt=2026-11-01/b.jsonl", t, [Make("kta-1", "key-disabled", Event, title: "from b")]);
        d.Add("findings/dt=2026-11-01/a.jsonl", t, [Make("kta-1", "key-disabled", Event, title: "from a")]);
        Assert.Equal("from b", Assert.Single(d.Within(From, To)).Title);
    }

    [Fact]
    public void The_period_includes_its_start_and_excludes_its_end()
    {
        var d = new FindingsDeduplicator();
        d.Add("k.jsonl", null, [
            Make("at-start", "key-disabled", From),
            Make("before", "key-disabled", From.AddTicks(-1)),
            Make("last-tick", "key-disabled", To.AddTicks(-1)),
            Make("at-end", "key-disabled", To),
        ]);
        Assert.Equal(["at-start", "last-tick"], d.Within(From, To).Select(f => f.Id));
    }

    [Fact]
    public void Distinct_ids_are_all_kept_in_findings_order()
    {
        var d = new FindingsDeduplicator();
        d.Add("k.jsonl", null, [Make("kta-2", "key-disabled", Event.AddHours(1)), Make("kta-1", "key-disabled", Event)]);
        Assert.Equal(["kta-1", "kta-2"], d.Within(From, To).Select(f => f.Id));
        Assert.Equal(0, d.Duplicates);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool The_result_does_not_depend_on_the_order_objects_are_read(int seed)
    {
        // Objects holding overlapping ids, with colliding LastModified times, read in two different orders.
        var rng = new Random(seed);
        var objects = Enumerable.Range(0, 6).Select(o => (
            Key: $"findings/dt=2026-11-01/{o:D2}.jsonl",
            LastModified: (DateTimeOffset?)T("2026-11-01T10:00:00Z").AddMinutes(rng.Next(3)),
            Findings: Enumerable.Range(0, rng.Next(1, 5)).Select(i => Make("kta-" + rng.Next(4), "key-disabled", Event, title: $"{o}/{i}")).ToList())).ToList();
        string Run(IEnumerable<(string Key, DateTimeOffset? LastModified, List<Auditor.Core.Findings.Finding> Findings)> order)
        {
            var d = new FindingsDeduplicator();
            foreach (var o in order) d.Add(o.Key, o.LastModified, o.Findings);
            return string.Join(",", d.Within(From, To).Select(f => f.Id + "=" + f.Title));
        }
        var shuffled = objects.OrderBy(_ => rng.Next()).ToList();
        return Run(objects) == Run(shuffled) && Run(objects) == Run(Enumerable.Reverse(objects));
    }
}
