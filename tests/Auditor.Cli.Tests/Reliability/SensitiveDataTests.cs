using Auditor.Core.Trail;

namespace Auditor.Cli.Tests.Reliability;

/// <summary>
/// Issue 10: encryption-context values and policy documents are sensitive (they name data, buckets, tenants and
/// who may do what); they stay out of what the CLI prints and out of the findings it writes.
/// </summary>
public class SensitiveDataTests
{
    [Fact]
    public void Encryption_context_values_and_policies_never_reach_the_terminal_or_the_findings()
    {
        var samples = RepoPaths.RepoPath("sample-events");
        var events = new List<KmsEvent>();
        var reader = new TrailReader();
        foreach (var f in Directory.EnumerateFiles(samples, "*.json.gz", SearchOption.AllDirectories))
        {
            using var s = File.OpenRead(f);
            reader.Read(s, f, events.Add);
        }
        var secrets = events.SelectMany(e => e.Request.EncryptionContext?.Values ?? [])
            .Concat(events.Select(e => e.Request.Policy).OfType<string>())
            // Timestamps in a context would match the event times every finding prints, by coincidence.
            .Where(v => v.Length >= 8 && !DateTimeOffset.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(secrets.Count >= 10, "the samples should carry encryption contexts and policies, or this test proves nothing");

        var outDir = CliRun.TempDir();
        var run = CliRun.Of("replay", samples, "--out", outDir, "--verbose");
        var written = run.Out + run.Error + File.ReadAllText(Path.Combine(outDir, "findings.jsonl")) + File.ReadAllText(Path.Combine(outDir, "summary.json"));
        foreach (var secret in secrets)
            Assert.False(written.Contains(secret, StringComparison.Ordinal), $"a sensitive value was written: {secret[..Math.Min(40, secret.Length)]}…");
    }
}
