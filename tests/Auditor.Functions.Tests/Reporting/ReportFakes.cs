using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Auditor.Aws.S3;
using Auditor.Core.Authorization;
using Auditor.Core.Findings;

namespace Auditor.Functions.Tests.Reporting;

/// <summary>A findings bucket in memory: objects with their LastModified, listings that can be made to fail, opens that can fail.</summary>
internal sealed class InMemoryFindingsStore : IFindingsObjectStore
{
    public SortedDictionary<string, (byte[] Bytes, DateTimeOffset LastModified)> Objects { get; } = new(StringComparer.Ordinal);
    public HashSet<string> FailingPrefixes { get; } = [];
    public HashSet<string> FailingKeys { get; } = [];
    public ConcurrentQueue<string> Listed { get; } = new();
    public string Location => "s3://findings-bucket";

    public void Put(string key, string content, DateTimeOffset lastModified) => Objects[key] = (Encoding.UTF8.GetBytes(content), lastModified);
    public void Put(string key, byte[] content, DateTimeOffset lastModified) => Objects[key] = (content, lastModified);

    public Task<IReadOnlyList<StoredObjectInfo>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        Listed.Enqueue(prefix);
        if (FailingPrefixes.Contains(prefix)) throw new ObjectStoreException($"s3://findings-bucket/{prefix}: ListObjectsV2 failed: AccessDenied (403)");
        IReadOnlyList<StoredObjectInfo> list = [.. Objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(o => new StoredObjectInfo(o.Key, o.Value.LastModified, o.Value.Bytes.Length))];
        return Task.FromResult(list);
    }

    public Task<TrailObject> OpenAsync(string key, CancellationToken cancellationToken)
    {
        if (FailingKeys.Contains(key) || !Objects.TryGetValue(key, out var o))
            throw new ObjectStoreException($"s3://findings-bucket/{key}: GetObject failed: AccessDenied (403)");
        return Task.FromResult(new TrailObject(new MemoryStream(o.Bytes, writable: false), o.LastModified, o.Bytes.Length));
    }
}

/// <summary>Records report puts (key, content type, bytes).</summary>
internal sealed class RecordingReportSink : IFindingsSink
{
    public ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> Objects { get; } = new();
    public bool Fail { get; set; }
    public string Location => "s3://findings-bucket";

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        if (Fail) throw new ObjectStoreException($"s3://findings-bucket/{key}: PutObject failed: AccessDenied (403)");
        Objects[key] = (content.ToArray(), contentType);
        return Task.CompletedTask;
    }

    public string Text(string key) => Encoding.UTF8.GetString(Objects[key].Bytes);
}

/// <summary>Findings as ingest writes them.</summary>
internal static class FindingLines
{
    public static Finding Make(string id, string rule, DateTimeOffset eventTime, string title = "A finding", Severity severity = Severity.High) => new()
    {
        Id = id,
        Rule = rule,
        Severity = severity,
        EventId = "ev-" + id,
        EventTime = eventTime,
        EventName = "Decrypt",
        AwsRegion = "us-east-1",
        KeyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        Principal = "arn:aws:iam::111122223333:role/app",
        Authorization = new AuthorizationResult(Decision.DelegatedToIam, AuthorizationPath.IamDelegation),
        Title = title,
        Explanation = "The role app decrypted with the key through IAM delegation only.",
    };

    public static string Line(string id, string rule, DateTimeOffset eventTime, string title = "A finding") => FindingJson.ToLine(Make(id, rule, eventTime, title));

    public static string Lines(params string[] lines) => string.Concat(lines.Select(l => l + "\n"));

    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }

    public static DateTimeOffset T(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
}
