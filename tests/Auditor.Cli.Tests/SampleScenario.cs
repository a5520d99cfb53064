namespace Auditor.Cli.Tests;

/// <summary>A scenario folder of sample-events/ and the options its README says to replay it with.</summary>
public sealed record SampleScenario(string Name)
{
    public string Dir => RepoPaths.RepoPath("sample-events", Name);

    public string GoldenFile => Path.Combine(Dir, "golden-findings.jsonl");

    public static IEnumerable<SampleScenario> All() =>
        Directory.EnumerateDirectories(RepoPaths.RepoPath("sample-events")).Select(d => new SampleScenario(Path.GetFileName(d))).OrderBy(s => s.Name, StringComparer.Ordinal);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var s in All()) data.Add(s.Name);
        return data;
    }

    public string[] ReplayArgs(string trailDir, string outDir)
    {
        var args = new List<string> { "replay", trailDir, "--out", outDir, "--quiet" };
        if (File.Exists(Path.Combine(Dir, "baseline.json"))) args.AddRange(["--baseline", Path.Combine(Dir, "baseline.json")]);
        if (File.Exists(Path.Combine(Dir, "inventory.json"))) args.AddRange(["--inventory", Path.Combine(Dir, "inventory.json")]);
        return [.. args];
    }

    /// <summary>Replays the scenario (or a copy of its trail in <paramref name="trailDir"/>) and returns findings.jsonl's text.</summary>
    public string Replay(string? trailDir = null)
    {
        var outDir = CliRun.TempDir();
        var run = CliRun.Of(ReplayArgs(trailDir ?? Dir, outDir));
        Assert.True(run.ExitCode == 0, $"replay of {Name} exited {run.ExitCode}: {run.Error}");
        return File.ReadAllText(Path.Combine(outDir, "findings.jsonl"));
    }
}
