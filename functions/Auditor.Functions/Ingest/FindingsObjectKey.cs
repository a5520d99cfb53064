using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Auditor.Functions.Ingest;

/// <summary>
/// Names the one findings object written per source object:
/// <c>{prefix}dt=YYYY-MM-DD/{sha256("bucket/key")}.jsonl</c>. The name depends only on the source object, so a
/// redelivery (SQS and S3 deliver at least once) overwrites the same object instead of adding a duplicate, and
/// <c>dt=</c> partitions the prefix for Athena.
/// </summary>
public static partial class FindingsObjectKey
{
    /// <summary>The object's key under <paramref name="prefix"/>.</summary>
    public static string For(string prefix, string bucket, string key, DateOnly partitionDate)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(bucket + "/" + key));
        return $"{NormalizePrefix(prefix)}dt={partitionDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/{Convert.ToHexStringLower(hash)}.jsonl";
    }

    /// <summary>A prefix ends with one <c>/</c> unless empty.</summary>
    public static string NormalizePrefix(string? prefix)
    {
        var p = (prefix ?? "").TrimStart('/');
        return p.Length == 0 || p.EndsWith('/') ? p : p + "/";
    }

    /// <summary>
    /// The partition date: the day in the CloudTrail key (<c>…/CloudTrail/REGION/YYYY/MM/DD/…</c>, the day CloudTrail
    /// filed the object under), else the first event's day, else the day the object was stored. All three are
    /// properties of the object, so the date is the same on every delivery.
    /// </summary>
    public static DateOnly PartitionDate(string key, DateTimeOffset? firstEventTime, DateTimeOffset? lastModified)
    {
        var m = CloudTrailDatePath().Match(key);
        if (m.Success && DateOnly.TryParseExact($"{m.Groups[1].Value}-{m.Groups[2].Value}-{m.Groups[3].Value}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fromKey))
            return fromKey;
        if (firstEventTime is { } t) return DateOnly.FromDateTime(t.UtcDateTime);
        if (lastModified is { } lm) return DateOnly.FromDateTime(lm.UtcDateTime);
        return new DateOnly(1970, 1, 1);
    }

    [GeneratedRegex(@"(?:^|/)CloudTrail(?:-Insight)?/[^/]+/(\d{4})/(\d{2})/(\d{2})/", RegexOptions.CultureInvariant)]
    private static partial Regex CloudTrailDatePath();
}
