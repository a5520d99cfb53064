using System.Text.Json;

namespace Auditor.Cli.Tests;

public class EvaluateCommandTests
{
    [Fact]
    public void Prints_one_decision_per_shared_case_in_input_order_matching_the_expectation()
    {
        var file = RepoPaths.SharedPath("conformance", "aws-docs.json");
        var run = CliRun.Of("evaluate", file);
        Assert.Equal(0, run.ExitCode);
        using var cases = JsonDocument.Parse(File.ReadAllText(file));
        var expected = cases.RootElement.EnumerateArray().ToList();
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Count, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            var got = line.RootElement;
            Assert.Equal(expected[i].GetProperty("name").GetString(), got.GetProperty("name").GetString());
            Assert.Equal(expected[i].GetProperty("expected").GetProperty("decision").GetString(), got.GetProperty("decision").GetString());
            Assert.Equal(expected[i].GetProperty("expected").GetProperty("path").GetString(), got.GetProperty("path").GetString());
            Assert.True(got.TryGetProperty("statementSid", out _) && got.TryGetProperty("grantId", out _));
        }
    }

    [Fact]
    public void A_malformed_case_file_is_named_and_exits_2()
    {
        var bad = Path.Combine(CliRun.TempDir(), "bad-cases.json");
        File.WriteAllText(bad, "[{\"name\": \"x\", \"policy\": 5}");
        var run = CliRun.Of("evaluate", bad);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bad-cases.json", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public void The_projects_own_cases_all_evaluate()
    {
        var run = CliRun.Of("evaluate", RepoPaths.RepoPath("tests", "conformance"));
        Assert.Equal(0, run.ExitCode);
        Assert.True(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 150);
    }
}
