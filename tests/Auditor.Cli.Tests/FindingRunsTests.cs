using Auditor.Cli.Replay;
using Auditor.Core.Authorization;
using Auditor.Core.Findings;

namespace Auditor.Cli.Tests;

public class FindingRunsTests
{
    private static Finding F(string id, int second, string evidence = "", string eventId = "e") => new()
    {
        Id = id, Rule = "r", Severity = Severity.Low, EventId = eventId + id, EventTime = new DateTimeOffset(2026, 1, 1, 0, 0, second, TimeSpan.Zero),
        EventName = "Decrypt", Authorization = new AuthorizationResult(Decision.Allow, AuthorizationPath.KeyPolicy), Title = "t", Explanation = "x",
        Evidence = evidence.Length == 0 ? [] : [evidence],
    };

    [Fact]
    public void Runs_on_disk_merge_to_the_order_and_latest_versions_one_dictionary_would_give()
    {
        var rng = new Random(5);
        var batches = Enumerable.Range(0, 40).Select(b => Enumerable.Range(0, 25).Select(_ => rng.Next(300)).Select(i => F($"id{i:D3}", i % 60, evidence: $"batch{b}")).ToList()).ToList();
        var expected = new Dictionary<string, Finding>();
        using var runs = new FindingRuns(runSize: 37); // many small runs
        foreach (var batch in batches)
        {
            foreach (var f in batch) expected[f.Id] = f;
            runs.Add(batch);
        }
        var want = expected.Values.ToList();
        want.Sort(Finding.Compare);

        var merged = runs.Merged().ToList();
        Assert.Equal(want.Select(FindingJson.ToLine), merged.Select(FindingJson.ToLine));
        Assert.Equal(want.Select(FindingJson.ToLine), runs.Merged().Select(FindingJson.ToLine)); // a second pass reads the same
    }
}
