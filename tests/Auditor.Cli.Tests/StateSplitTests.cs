namespace Auditor.Cli.Tests;

/// <summary>
/// A replay split across runs sharing <c>--state</c> gives the same findings as one run over everything,
/// whichever run each file lands in — including a retirement or a grant that arrives in the later run.
/// </summary>
public class StateSplitTests
{
    [Theory]
    [MemberData(nameof(SampleScenario.Names), MemberType = typeof(SampleScenario))]
    public void Two_runs_sharing_state_give_the_findings_of_one_run(string name)
    {
        var scenario = new SampleScenario(name);
        var whole = scenario.Replay();
        var files = Directory.EnumerateFiles(Path.Combine(scenario.Dir, "AWSLogs"), "*.json.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        foreach (int seed in new[] { 7, 8 })
        {
            var rng = new Random(seed);
            var first = CliRun.TempDir();
            var second = CliRun.TempDir();
            foreach (var f in files) File.Copy(f, Path.Combine(rng.Next(2) == 0 ? first : second, Path.GetFileName(f)));
            var state = CliRun.TempDir();
            var out1 = CliRun.TempDir();
            var out2 = CliRun.TempDir();
            var args1 = scenario.ReplayArgs(first, out1).Concat(["--state", state]).ToArray();
            var args2 = scenario.ReplayArgs(second, out2).Concat(["--state", state]).ToArray();
            Assert.Equal(0, CliRun.Of(args1).ExitCode is 0 or 2 ? 0 : 1); // a run may hold no file at all (exit 2)
            Assert.Equal(0, CliRun.Of(args2).ExitCode is 0 or 2 ? 0 : 1);
            var last = File.Exists(Path.Combine(out2, "findings.jsonl")) ? out2 : out1;
            Assert.Equal(whole, File.ReadAllText(Path.Combine(last, "findings.jsonl")));
        }
    }

    [Fact]
    public void The_grant_retirement_delivered_in_a_later_run_re_judges_earlier_calls()
    {
        var scenario = new SampleScenario("grants-lifecycle");
        var files = Directory.EnumerateFiles(Path.Combine(scenario.Dir, "AWSLogs"), "*.json.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var retire = files.Select(f => (File: f, Events: Read(f))).Single(x => x.Events.Any(e => e.EventName == "RetireGrant"));
        var retireId = retire.Events.Single(e => e.EventName == "RetireGrant").EventId;
        var first = CliRun.TempDir();
        var second = CliRun.TempDir();
        foreach (var f in files) File.Copy(f, Path.Combine(f == retire.File ? second : first, Path.GetFileName(f)));
        var state = CliRun.TempDir();
        var out1 = CliRun.TempDir();
        var out2 = CliRun.TempDir();

        Assert.Equal(0, CliRun.Of(scenario.ReplayArgs(first, out1).Concat(["--state", state]).ToArray()).ExitCode);
        Assert.DoesNotContain(retireId, File.ReadAllText(Path.Combine(out1, "findings.jsonl")));
        Assert.Equal(0, CliRun.Of(scenario.ReplayArgs(second, out2).Concat(["--state", state]).ToArray()).ExitCode);
        var later = File.ReadAllLines(Path.Combine(out2, "findings.jsonl"));
        Assert.Contains(later, l => l.Contains("\"retired-grant-use\"", StringComparison.Ordinal) && l.Contains(retireId, StringComparison.Ordinal) && l.Contains("\"high\"", StringComparison.Ordinal));
        Assert.Equal(scenario.Replay(), File.ReadAllText(Path.Combine(out2, "findings.jsonl")));
    }

    private static List<Auditor.Core.Trail.KmsEvent> Read(string file)
    {
        var events = new List<Auditor.Core.Trail.KmsEvent>();
        using var s = File.OpenRead(file);
        new Auditor.Core.Trail.TrailReader().Read(s, file, events.Add);
        return events;
    }
}
