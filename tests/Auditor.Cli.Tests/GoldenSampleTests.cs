using System.Text.Json;

namespace Auditor.Cli.Tests;

/// <summary>
/// Golden tests: every sample-events/ scenario replays to exactly its golden-findings.jsonl, gives every
/// finding its README requires (expected-findings.json, derived by hand from CONTRACT section 6), raises
/// none it forbids, and gives the same bytes whatever the order its files are read in.
/// Regenerate goldens after an intended change with: AUDITOR_UPDATE_GOLDEN=1 dotnet test --filter GoldenSampleTests
/// </summary>
public class GoldenSampleTests
{
    [Theory]
    [MemberData(nameof(SampleScenario.Names), MemberType = typeof(SampleScenario))]
    public void Replay_matches_the_golden_findings_exactly(string name)
    {
        var scenario = new SampleScenario(name);
        var actual = scenario.Replay();
        if (Environment.GetEnvironmentVariable("AUDITOR_UPDATE_GOLDEN") == "1") File.WriteAllText(scenario.GoldenFile, actual);
        Assert.True(File.Exists(scenario.GoldenFile), $"{scenario.GoldenFile} is missing (run with AUDITOR_UPDATE_GOLDEN=1 to create it, then review it)");
        Assert.Equal(File.ReadAllText(scenario.GoldenFile), actual);
    }

    [Theory]
    [MemberData(nameof(SampleScenario.Names), MemberType = typeof(SampleScenario))]
    public void Replay_gives_the_findings_the_scenario_readme_requires_and_none_it_forbids(string name)
    {
        var scenario = new SampleScenario(name);
        var findings = scenario.Replay().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(scenario.Dir, "expected-findings.json")));

        foreach (var e in expected.RootElement.GetProperty("findings").EnumerateArray())
        {
            var rule = e.GetProperty("rule").GetString();
            var eventId = e.GetProperty("eventId").GetString();
            bool optional = e.TryGetProperty("optional", out var o) && o.GetBoolean();
            var match = findings.Where(f => f.GetProperty("rule").GetString() == rule && f.GetProperty("eventId").GetString() == eventId).ToList();
            if (match.Count == 0)
            {
                Assert.True(optional, $"{name}: missing {rule} on {eventId}: {e.GetProperty("why").GetString()}");
                continue;
            }
            var severity = e.GetProperty("severity").GetString();
            var got = match[0].GetProperty("severity").GetString();
            if (optional) Assert.True(Rank(got) <= Rank(severity), $"{name}: optional {rule} on {eventId} is {got}, above {severity}");
            else Assert.True(severity == got, $"{name}: {rule} on {eventId} is {got}, expected {severity}");
            if (e.TryGetProperty("keyArn", out var key)) Assert.Equal(key.GetString(), match[0].GetProperty("keyArn").GetString());
            if (e.TryGetProperty("principal", out var p)) Assert.Equal(p.GetString(), match[0].GetProperty("principal").GetString());
            if (e.TryGetProperty("evidence", out var ev))
                foreach (var id in ev.EnumerateArray())
                    Assert.Contains(id.GetString(), match[0].GetProperty("evidence").EnumerateArray().Select(x => x.GetString()));
        }

        foreach (var s in expected.RootElement.GetProperty("silent").EnumerateArray())
        {
            var eventId = s.GetProperty("eventId").GetString();
            foreach (var rule in s.GetProperty("mustNotRaise").EnumerateArray().Select(r => r.GetString()))
                Assert.False(findings.Any(f => f.GetProperty("rule").GetString() == rule && f.GetProperty("eventId").GetString() == eventId),
                    $"{name}: {rule} raised on {eventId}, which must stay silent: {s.GetProperty("why").GetString()}");
        }
    }

    [Theory]
    [MemberData(nameof(SampleScenario.Names), MemberType = typeof(SampleScenario))]
    public void Files_read_in_a_shuffled_order_give_identical_findings(string name)
    {
        var scenario = new SampleScenario(name);
        var original = scenario.Replay();
        var files = Directory.EnumerateFiles(Path.Combine(scenario.Dir, "AWSLogs"), "*.json.gz", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (int seed in new[] { 1, 2, 3 })
        {
            // File names decide the read order, so random names shuffle it; flat layout also drops the date folders.
            var shuffled = CliRun.TempDir();
            var rng = new Random(seed);
            foreach (var f in files) File.Copy(f, Path.Combine(shuffled, $"{rng.Next():x8}-{Path.GetFileName(f)}"));
            Assert.Equal(original, scenario.Replay(shuffled));
        }
    }

    [Fact]
    public void Replaying_every_sample_at_once_reads_every_file_and_skips_the_documentation()
    {
        var outDir = CliRun.TempDir();
        var run = CliRun.Of("replay", RepoPaths.RepoPath("sample-events"), "--out", outDir, "--quiet");
        Assert.Equal(0, run.ExitCode);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        long files = Directory.EnumerateFiles(RepoPaths.RepoPath("sample-events"), "*.json.gz", SearchOption.AllDirectories).LongCount();
        Assert.Equal(files, summary.RootElement.GetProperty("filesRead").GetInt64());
        Assert.Empty(summary.RootElement.GetProperty("errors").EnumerateArray());
        long records = 0, kms = 0;
        foreach (var f in Directory.EnumerateFiles(RepoPaths.RepoPath("sample-events"), "*.json.gz", SearchOption.AllDirectories))
        {
            var (r, k) = Jq.Count(f);
            records += r;
            kms += k;
        }
        Assert.Equal(records, summary.RootElement.GetProperty("eventsRead").GetInt64());
        Assert.Equal(kms, summary.RootElement.GetProperty("kmsRecordsRead").GetInt64());
    }

    private static int Rank(string? severity) => severity switch { "info" => 0, "low" => 1, "medium" => 2, "high" => 3, "critical" => 4, _ => 5 };
}
