using Auditor.Core.Trail;
using System.Security.Cryptography;

namespace Auditor.Core.Reporting;

/// <summary>
/// The hash CloudTrail puts in a digest for a log file: SHA-256 over the log file's content, that is
/// over the uncompressed JSON (CloudTrail stores objects gzipped; `aws cloudtrail validate-logs`
/// inflates each object before hashing). Hashing the decoded content also lets a copy someone gunzipped
/// still be checked.
/// </summary>
public static class LogFileHasher
{
    public static string Sha256OfContent(Stream input)
    {
        using var content = Decoded(input);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = content.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, n);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The stream's content, inflated when it starts with the gzip magic bytes (an empty stream stays empty).</summary>
    public static Stream Decoded(Stream input)
    {
        try { return ContentStream.Open(input); }
        catch (TrailFormatException) { return Stream.Null; }
    }
}
