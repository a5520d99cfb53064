using System.Text.Json;

namespace Auditor.Cli.Tests;

/// <summary>The reader against real and documented CloudTrail data in ../shared/real-trails, counted independently with jq.</summary>
public class RealTrailTests
{
    public static TheoryData<string> Folders() => new() { "cribl-controltower-2022", "aws-docs-kms", "aws-docs-cloudtrail", "aws-docs-services" };

    [Theory]
    [MemberData(nameof(Folders))]
    public void Reader_counts_equal_an_independent_jq_count(string folder)
    {
        var dir = RepoPaths.SharedPath("real-trails", folder);
        var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".json.gz", StringComparison.Ordinal)) && !f.Contains("CloudTrail-Digest", StringComparison.Ordinal))
            .ToList();
        long records = 0, kms = 0;
        foreach (var f in files)
        {
            var (r, k) = Jq.Count(f);
            records += r;
            kms += k;
        }
        Assert.True(records > 0, "jq found no records: the test would prove nothing");

        var outDir = CliRun.TempDir();
        var run = CliRun.Of("replay", dir, "--out", outDir, "--quiet");
        Assert.Equal(0, run.ExitCode);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(records, summary.RootElement.GetProperty("eventsRead").GetInt64());
        Assert.Equal(kms, summary.RootElement.GetProperty("kmsRecordsRead").GetInt64());
    }

    [Fact]
    public void Every_invalid_documentation_block_is_reported_and_the_rest_is_processed()
    {
        var invalid = Directory.EnumerateFiles(RepoPaths.SharedPath("real-trails"), "*.json.invalid", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(invalid);
        var good = RepoPaths.SharedPath("real-trails", "aws-docs-kms", "ct-decrypt_1.json");
        var outDir = CliRun.TempDir();
        var run = CliRun.Of(["replay", good, .. invalid, "--out", outDir, "--quiet"]);

        Assert.Equal(3, run.ExitCode);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var errors = summary.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("file").GetString()).ToHashSet();
        var unreported = invalid.Where(f => !errors.Contains(f)).ToList();
        // Some documentation blocks are invalid only as prose (e.g. comments) yet parse as records; each still must be named if it failed.
        Assert.True(unreported.Count == 0, "not reported: " + string.Join(", ", unreported));
        Assert.Equal(1, summary.RootElement.GetProperty("kmsEvents").GetInt64());
        foreach (var f in invalid) Assert.Contains(f, run.Error);
    }

    [Fact]
    public void A_truncated_gzip_object_is_reported_not_fatal()
    {
        var source = Directory.EnumerateFiles(RepoPaths.SharedPath("real-trails", "cribl-controltower-2022"), "*.json.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var dir = CliRun.TempDir();
        var bytes = File.ReadAllBytes(source);
        var truncated = Path.Combine(dir, "truncated.json.gz");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        File.Copy(RepoPaths.SharedPath("real-trails", "aws-docs-kms", "ct-decrypt_1.json"), Path.Combine(dir, "good.json"));
        var outDir = CliRun.TempDir();

        var run = CliRun.Of("replay", dir, "--out", outDir, "--quiet");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("truncated.json.gz", run.Error);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(1, summary.RootElement.GetProperty("kmsEvents").GetInt64());
    }
}

/// <summary>Issue 4: on real and documented trails, nothing is flagged as unexpected or as a retired-grant use on a key whose policy the trail never showed.</summary>
public class RealTrailPolicyUnknownTests
{
    [Fact]
    public void No_unexpected_principal_or_retired_grant_use_on_a_key_whose_policy_is_unknown()
    {
        var root = RepoPaths.SharedPath("real-trails");
        var outDir = CliRun.TempDir();
        var run = CliRun.Of("replay", root, "--out", outDir, "--quiet");
        Assert.Equal(0, run.ExitCode);

        // Independently: the first moment each key's policy appears in the trail (CreateKey or PutKeyPolicy).
        var policyKnownFrom = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var reader = new Auditor.Core.Trail.TrailReader();
        foreach (var f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".json.gz", StringComparison.Ordinal)))
        {
            using var s = File.OpenRead(f);
            reader.Read(s, f, e =>
            {
                if (e.EventName is not ("CreateKey" or "PutKeyPolicy") || !e.Succeeded) return;
                var key = e.Resources.Select(r => r.Arn).FirstOrDefault(a => a is not null && a.Contains(":key/", StringComparison.Ordinal)) ?? e.Request.CreatedKeyArn;
                if (key is not null && (!policyKnownFrom.TryGetValue(key, out var t) || e.EventTime < t)) policyKnownFrom[key] = e.EventTime;
            });
        }

        var flagged = File.ReadAllLines(Path.Combine(outDir, "findings.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(f => f.GetProperty("rule").GetString() is "unexpected-principal" or "retired-grant-use").ToList();
        foreach (var f in flagged)
        {
            var key = f.GetProperty("keyArn").GetString()!;
            var at = DateTimeOffset.Parse(f.GetProperty("eventTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(policyKnownFrom.TryGetValue(key, out var known) && known <= at,
                $"{f.GetProperty("rule").GetString()} on {key} at {at:u}, whose policy the trail never showed before then");
        }
    }
}
