using System.Collections.Concurrent;
using Auditor.Aws.S3;
using Auditor.Functions.Ingest;

namespace Auditor.Functions.Tests;

/// <summary>Objects held in memory; a missing one fails as S3 does (not found).</summary>
internal sealed class InMemoryObjectSource : ITrailObjectSource
{
    public ConcurrentDictionary<(string Bucket, string Key), byte[]> Objects { get; } = new();
    public DateTimeOffset LastModified { get; set; } = new(2024, 3, 4, 5, 6, 7, TimeSpan.Zero);
    public int Opens;

    public Task<TrailObject> OpenAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Opens);
        if (!Objects.TryGetValue((bucket, key), out var bytes))
            throw new ObjectStoreException($"s3://{bucket}/{key}: GetObject failed: NoSuchKey (404)", notFound: true);
        return Task.FromResult(new TrailObject(new MemoryStream(bytes, writable: false), LastModified, bytes.Length));
    }
}

/// <summary>Records every put; an object put twice keeps the last content, as S3 does.</summary>
internal sealed class RecordingSink : IFindingsSink
{
    public ConcurrentDictionary<string, byte[]> Objects { get; } = new();
    public ConcurrentQueue<string> Puts { get; } = new();
    public string Location => "s3://findings-bucket";

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        Assert.Equal("application/x-ndjson", contentType);
        Puts.Enqueue(key);
        Objects[key] = content.ToArray();
        return Task.CompletedTask;
    }
}

/// <summary>An auditor that answers from a script, counting calls per object.</summary>
internal sealed class ScriptedAuditor(Func<string, string, ObjectAuditResult> audit) : ITrailObjectAuditor
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public Task<ObjectAuditResult> AuditAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"{bucket}/{key}");
        return Task.FromResult(audit(bucket, key));
    }

    public static ObjectAuditResult Ok(string bucket, string key) => new() { Bucket = bucket, Key = key, EventsRead = 3, KmsEvents = 1 };

    public static ObjectAuditResult Failed(string bucket, string key) => new() { Bucket = bucket, Key = key, Error = $"s3://{bucket}/{key}: corrupt gzip data" };
}
