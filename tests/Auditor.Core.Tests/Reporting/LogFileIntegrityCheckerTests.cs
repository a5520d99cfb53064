using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Auditor.Core.Reporting;

namespace Auditor.Core.Tests.Reporting;

/// <summary>CloudTrail digest checks on a generated digest for a sample log file and a tampered copy.</summary>
public sealed class LogFileIntegrityCheckerTests
{
    private const string Key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01/111122223333_CloudTrail_us-east-1_20261001T0005Z_abcd.json.gz";
    private const string Content = "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Decrypt\"}]}";

    private static byte[] Gzip(string s)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal)) gz.Write(Encoding.UTF8.GetBytes(s));
        return ms.ToArray();
    }

    private static LogFileIntegrityChecker WithDigest(string hash)
    {
        var digest = $$"""{"digestStartTime":"2026-10-01T00:00:00Z","logFiles":[{"s3Bucket":"b","s3Object":"{{Key}}","hashValue":"{{hash}}","hashAlgorithm":"SHA-256"}]}""";
        var checker = new LogFileIntegrityChecker();
        checker.AddDigest(new MemoryStream(Gzip(digest)), "digest.json.gz");
        return checker;
    }

    private static string Sha(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    [Fact]
    public void Gzipped_log_file_matches_the_hash_of_its_content()
    {
        var checker = WithDigest(Sha(Content));
        var r = checker.Check("/copy/of/bucket/" + Key, new MemoryStream(Gzip(Content)));
        Assert.Equal(IntegrityStatus.Matched, r.Status);
        Assert.Equal("digest.json.gz", r.DigestFile);
    }

    [Fact]
    public void Gunzipped_copy_still_matches()
    {
        var checker = WithDigest(Sha(Content));
        var r = checker.Check("/copy/" + Key[..^3], new MemoryStream(Encoding.UTF8.GetBytes(Content)));
        Assert.Equal(IntegrityStatus.Matched, r.Status);
    }

    [Fact]
    public void Tampered_copy_is_a_mismatch_with_both_hashes()
    {
        var checker = WithDigest(Sha(Content));
        var tampered = Content.Replace("Decrypt", "Encrypt", StringComparison.Ordinal);
        var r = checker.Check("/copy/" + Key, new MemoryStream(Gzip(tampered)));
        Assert.Equal(IntegrityStatus.Mismatched, r.Status);
        Assert.Equal(Sha(Content), r.ExpectedSha256);
        Assert.Equal(Sha(tampered), r.ActualSha256);
    }

    [Fact]
    public void File_no_digest_lists_is_not_covered_and_unread_listed_files_are_reported()
    {
        var checker = WithDigest(Sha(Content));
        var r = checker.Check("/copy/AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/01/other.json.gz", new MemoryStream(Gzip(Content)));
        Assert.Equal(IntegrityStatus.NotCovered, r.Status);
        var report = checker.Build();
        Assert.Equal([Key], report.ListedNotRead);
        Assert.Equal(1, report.DigestFiles);
    }

    [Fact]
    public void Unreadable_digest_is_reported_not_thrown()
    {
        var checker = new LogFileIntegrityChecker();
        checker.AddDigest(new MemoryStream(Encoding.UTF8.GetBytes("{\"Records\":[]}")), "not-a-digest.json");
        var report = checker.Build();
        Assert.Equal(0, report.DigestFiles);
        Assert.Contains("logFiles", Assert.Single(report.DigestErrors).Error);
    }
}
