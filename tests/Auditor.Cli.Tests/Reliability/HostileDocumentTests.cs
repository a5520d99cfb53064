using System.Text;

namespace Auditor.Cli.Tests.Reliability;

/// <summary>Hostile baselines, inventories, corpus inputs and conformance case files through the CLI: named errors, contract exit codes, no stack traces.</summary>
public class HostileDocumentTests
{
    private static readonly string GoodFile = Directory.EnumerateFiles(RepoPaths.RepoPath("sample-events"), "*.json.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();

    private static string Write(string dir, string name, byte[] content)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"keys\":[]}")]
    [InlineData("{\"keys\":{\"k\":{\"principals\":[1]}}}")]
    [InlineData("{\"default\":{\"principals\":\"*\"}}")]
    public void A_malformed_baseline_is_named_with_exit_2(string content)
    {
        var dir = CliRun.TempDir();
        var baseline = Write(dir, "baseline.json", Encoding.UTF8.GetBytes(content));
        var run = HostileReplayTests.Run("replay", GoodFile, "--baseline", baseline, "--out", Path.Combine(dir, "out"), "--quiet");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("baseline.json", run.Error);
    }

    [Fact]
    public void A_baseline_with_invalid_utf8_is_named()
    {
        var dir = CliRun.TempDir();
        var baseline = Write(dir, "baseline.json", [.. "{\"keys\":{\"a"u8, 0xff, .. "\":{\"principals\":[]}}}"u8]);
        var run = HostileReplayTests.Run("replay", GoodFile, "--baseline", baseline, "--out", Path.Combine(dir, "out"), "--quiet");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("baseline.json", run.Error);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"capturedAt\":\"2024-01-01T00:00:00Z\",\"Keys\":{}}")]
    [InlineData("{\"capturedAt\":\"yesterday\",\"Keys\":[]}")]
    [InlineData("{\"capturedAt\":\"2024-01-01T00:00:00Z\",\"Keys\":[{\"KeyMetadata\":{\"Arn\":\"arn:aws:s3:::b\"}}]}")]
    [InlineData("{\"capturedAt\":\"2024-01-01T00:00:00Z\",\"Keys\":[{\"KeyMetadata\":{\"Arn\":\"arn:aws:kms:us-east-1:111122223333:key/k\"},\"Policy\":\"{\\\"Statement\\\":\"}]}")]
    public void A_bad_inventory_next_to_a_good_one_is_named_with_exit_3(string content)
    {
        var dir = CliRun.TempDir();
        var inv = Directory.CreateDirectory(Path.Combine(dir, "inv")).FullName;
        File.Copy(RepoPaths.RepoPath("tests", "fixtures", "inventory", "hand-assembled.json"), Path.Combine(inv, "good.json"));
        Write(inv, "bad.json", Encoding.UTF8.GetBytes(content));
        var run = HostileReplayTests.Run("replay", GoodFile, "--inventory", inv, "--out", Path.Combine(dir, "out"), "--quiet");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("bad.json", run.Error);
    }

    [Fact]
    public void An_inventory_with_invalid_utf8_is_named_and_the_rest_continues()
    {
        var dir = CliRun.TempDir();
        var inv = Directory.CreateDirectory(Path.Combine(dir, "inv")).FullName;
        File.Copy(RepoPaths.RepoPath("tests", "fixtures", "inventory", "hand-assembled.json"), Path.Combine(inv, "good.json"));
        Write(inv, "bad.json", [.. "{\"capturedAt\":\"2024-01-01T00:00:00Z\",\"Keys\":[{\"KeyMetadata\":{\"Arn\":\"arn:aws:kms:us-east-1:1:key/"u8, 0xff, .. "\"}}]}"u8]);
        var run = HostileReplayTests.Run("replay", GoodFile, "--inventory", inv, "--out", Path.Combine(dir, "out"), "--quiet");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("bad.json", run.Error);
    }

    [Theory]
    [InlineData("event-time-year-9999.json")]
    [InlineData("deletion-date-out-of-range.json")]
    [InlineData("event-time-year-one.json")]
    [InlineData("policy-lone-surrogate.json")]
    public void A_corpus_input_next_to_a_good_file_never_aborts_the_replay(string corpusFile)
    {
        var dir = CliRun.TempDir();
        var outDir = Path.Combine(dir, "out");
        var run = HostileReplayTests.Run("replay", GoodFile, RepoPaths.RepoPath("tests", "fuzz-corpus", corpusFile), "--out", outDir, "--quiet");
        Assert.Contains(run.ExitCode, new[] { 0, 3 });
        Assert.True(File.Exists(Path.Combine(outDir, "summary.json")));
    }

    public static TheoryData<string> GarbageCases() => new()
    {
        "", "null", "[1,2]", "{", "{\"cases\":42}", "[{\"name\":1}]", "[{\"name\":\"x\",\"policy\":\"not json\",\"request\":{}}]",
        "[{\"name\":\"x\",\"policy\":{\"Statement\":[]},\"request\":[]}]",
        "[{\"name\":\"x\",\"policy\":{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\"}]},\"request\":{\"action\":\"kms:Decrypt\",\"principal\":{},\"context\":{\"aws:CurrentTime\":\"x\"}}}]",
    };

    [Theory]
    [MemberData(nameof(GarbageCases))]
    public void Evaluate_on_a_garbage_case_file_exits_2_naming_it(string content)
    {
        var dir = CliRun.TempDir();
        var file = Write(dir, "cases.json", Encoding.UTF8.GetBytes(content));
        var run = HostileReplayTests.Run("evaluate", file);
        Assert.Contains(run.ExitCode, new[] { 0, 2 });
        if (run.ExitCode == 2) Assert.Contains("cases.json", run.Error);
    }

    [Fact]
    public void Evaluate_on_invalid_utf8_and_a_missing_path_never_shows_a_stack_trace()
    {
        var dir = CliRun.TempDir();
        var file = Write(dir, "cases.json", [.. "[{\"name\":\"a"u8, 0xff, .. "\"}]"u8]);
        var run = HostileReplayTests.Run("evaluate", file, Path.Combine(dir, "missing.json"));
        Assert.Equal(2, run.ExitCode);
    }
}
