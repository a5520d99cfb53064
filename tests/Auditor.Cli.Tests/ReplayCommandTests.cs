using System.Text.Json;

namespace Auditor.Cli.Tests;

public class ReplayCommandTests
{
    private static string Doc(string name) => RepoPaths.SharedPath("real-trails", "aws-docs-kms", name);

    [Fact]
    public void Writes_findings_and_summary_and_prints_a_readable_summary()
    {
        var outDir = CliRun.TempDir();
        var run = CliRun.Of("replay", Doc("ct-schedule-key-deletion_1.json"), "--out", outDir);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("findings", run.Out);
        Assert.Contains("key-deletion-scheduled", run.Out);
        var lines = File.ReadAllLines(Path.Combine(outDir, "findings.jsonl"));
        var finding = JsonDocument.Parse(Assert.Single(lines)).RootElement;
        Assert.Equal("key-deletion-scheduled", finding.GetProperty("rule").GetString());
        Assert.True(File.Exists(Path.Combine(outDir, "summary.json")));
    }

    [Fact]
    public void The_same_file_given_twice_gives_the_same_findings_without_duplicates()
    {
        var once = CliRun.TempDir();
        var twice = CliRun.TempDir();
        CliRun.Of("replay", Doc("ct-schedule-key-deletion_1.json"), "--out", once, "--quiet");
        var copy = Path.Combine(CliRun.TempDir(), "copy.json");
        File.Copy(Doc("ct-schedule-key-deletion_1.json"), copy);
        CliRun.Of("replay", Doc("ct-schedule-key-deletion_1.json"), copy, "--out", twice, "--quiet");
        Assert.Equal(File.ReadAllText(Path.Combine(once, "findings.jsonl")), File.ReadAllText(Path.Combine(twice, "findings.jsonl")));
    }

    [Fact]
    public void Fail_on_exits_1_when_a_finding_meets_the_threshold()
    {
        var run = CliRun.Of("replay", Doc("ct-schedule-key-deletion_1.json"), "--out", CliRun.TempDir(), "--fail-on", "high", "--quiet");
        Assert.Equal(1, run.ExitCode);
        run = CliRun.Of("replay", Doc("ct-schedule-key-deletion_1.json"), "--out", CliRun.TempDir(), "--fail-on", "critical", "--quiet");
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void A_missing_path_alone_is_a_usage_error()
    {
        var run = CliRun.Of("replay", "/nonexistent/trail.json", "--out", CliRun.TempDir());
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/nonexistent/trail.json", run.Error);
        Assert.DoesNotContain("   at ", run.Error); // no stack trace
    }

    [Fact]
    public void A_bad_fail_on_value_is_a_usage_error()
    {
        var run = CliRun.Of("replay", Doc("ct-decrypt_1.json"), "--fail-on", "severe");
        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void Symbolic_links_out_of_the_directory_are_not_followed()
    {
        var outside = CliRun.TempDir();
        File.Copy(Doc("ct-disablekey_1.json"), Path.Combine(outside, "secret.json"));
        var dir = CliRun.TempDir();
        File.CreateSymbolicLink(Path.Combine(dir, "link.json"), Path.Combine(outside, "secret.json"));
        File.Copy(Doc("ct-decrypt_1.json"), Path.Combine(dir, "decrypt.json"));
        var outDir = CliRun.TempDir();
        var run = CliRun.Of("replay", dir, "--out", outDir, "--quiet");
        Assert.Equal(0, run.ExitCode);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.False(summary.RootElement.GetProperty("byEventName").TryGetProperty("DisableKey", out _));
        Assert.Equal(1, summary.RootElement.GetProperty("kmsEvents").GetInt64());
    }
}

public class ReplayFormatTests
{
    [Theory]
    [InlineData("ocsf", "findings.ocsf.jsonl", "class_uid")]
    [InlineData("asff", "findings.asff.jsonl", "SchemaVersion")]
    public void Format_writes_the_extra_file_beside_the_contract_findings(string format, string file, string field)
    {
        var outDir = CliRun.TempDir();
        var run = CliRun.Of("replay", RepoPaths.RepoPath("sample-events", "policy-changes"), "--out", outDir, "--format", format, "--quiet");
        Assert.Equal(0, run.ExitCode);
        var contract = File.ReadAllLines(Path.Combine(outDir, "findings.jsonl"));
        var extra = File.ReadAllLines(Path.Combine(outDir, file));
        Assert.NotEmpty(contract);
        Assert.Equal(contract.Length, extra.Length);
        Assert.All(extra, l => Assert.Contains(field, l));
    }
}
