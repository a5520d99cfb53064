using System.Text.Json;

namespace Auditor.Core.Reporting;

/// <summary>One <c>logFiles[]</c> entry of a CloudTrail digest file.</summary>
public sealed record DigestLogEntry(string S3Bucket, string S3Object, string HashValue, string HashAlgorithm, string DigestFile);

/// <summary>
/// Reads the <c>logFiles</c> of a CloudTrail digest file (plain or gzip, detected by magic bytes).
/// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
/// </summary>
public static class CloudTrailDigest
{
    /// <summary>Digests are small (one hour of file names): they are read whole, capped at 64 MB.</summary>
    private const long MaxDigestBytes = 64L << 20;

    /// <summary>Returns the entries; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static IReadOnlyList<DigestLogEntry> Read(Stream input, string source)
    {
        using var content = LogFileHasher.Decoded(input);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = content.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + n > MaxDigestBytes) throw new FormatException($"digest larger than {MaxDigestBytes >> 20} MB");
            buffer.Write(chunk, 0, n);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new FormatException($"digest is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("logFiles", out var files) || files.ValueKind != JsonValueKind.Array)
                throw new FormatException("not a CloudTrail digest file (no \"logFiles\" array)");
            var entries = new List<DigestLogEntry>();
            int i = 0;
            foreach (var f in files.EnumerateArray())
            {
                string Field(string name) => f.ValueKind == JsonValueKind.Object && f.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString()! : throw new FormatException($"logFiles[{i}] has no \"{name}\"");
                entries.Add(new DigestLogEntry(
                    f.TryGetProperty("s3Bucket", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : "",
                    Field("s3Object"), Field("hashValue").ToLowerInvariant(),
                    f.TryGetProperty("hashAlgorithm", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "SHA-256",
                    source));
                i++;
            }
            return entries;
        }
    }
}
