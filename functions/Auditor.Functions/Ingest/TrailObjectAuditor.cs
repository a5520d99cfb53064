using System.Text;
using System.Text.Json;
using Auditor.Aws.S3;
using Auditor.Core.Trail;

namespace Auditor.Functions.Ingest;

/// <summary>
/// Audits one CloudTrail log object: streams it from the trail bucket into <see cref="TrailReader"/> (which counts
/// every record and materialises only the KMS ones), hands the KMS events to the findings producer (the replay
/// engine), and writes exactly one findings object named after the source object.
/// </summary>
/// <remarks>
/// A corrupt object still gets the findings of the records read before the fault (the same on every delivery, so
/// overwriting is harmless), and is then reported failed so that it is retried and, if it keeps failing, reaches
/// the dead-letter queue where an operator sees it. A digest file or a non-CloudTrail object is skipped, not failed:
/// retrying it cannot change anything.
/// </remarks>
public sealed class TrailObjectAuditor(
    ITrailObjectSource source,
    IFindingsSink sink,
    string findingsPrefix,
    IFindingsProducer producer,
    TrailReader? reader = null,
    TimeProvider? clock = null,
    IAuditedObjects? audited = null) : ITrailObjectAuditor
{
    private readonly IAuditedObjects _audited = audited ?? NoAuditedObjects.Instance;
    /// <summary>The media type of JSON lines.</summary>
    public const string JsonLinesContentType = "application/x-ndjson";

    private readonly TrailReader _reader = reader ?? new TrailReader();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task<ObjectAuditResult> AuditAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        long started = _clock.GetTimestamp();
        var uri = $"s3://{bucket}/{key}";
        var result = new ObjectAuditResult { Bucket = bucket, Key = key };
        try
        {
            var events = new List<KmsEvent>();
            TrailReadResult read;
            DateTimeOffset? lastModified;
            string? eTag;
            using (var obj = await source.OpenAsync(bucket, key, cancellationToken).ConfigureAwait(false))
            {
                lastModified = obj.LastModified;
                eTag = obj.ETag;
                if (eTag is not null && await _audited.WasAuditedAsync(bucket, key, eTag, cancellationToken).ConfigureAwait(false))
                    return Done(result with { Skipped = "already audited (same key and ETag); its findings object stands" }, started);
                // The reader is synchronous; closing the stream is how the deadline interrupts it.
                using var interrupt = cancellationToken.Register(static s => ((Stream)s!).Dispose(), obj.Content);
                read = await Task.Run(() => _reader.Read(obj.Content, uri, events.Add), cancellationToken).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            result = result with { EventsRead = read.RecordsRead, KmsEvents = read.KmsRecords, RecordErrors = read.RecordErrors.Count };

            if (read.Error is null && read.Kind != TrailFileKind.Log)
                return Done(result with { Skipped = read.Kind == TrailFileKind.Digest ? "CloudTrail digest file" : "not a CloudTrail log object" }, started);

            var lines = await producer.ProduceAsync(events, cancellationToken).ConfigureAwait(false);
            var (content, bySeverity) = ToJsonLines(lines);
            var day = FindingsObjectKey.PartitionDate(key, events.Count > 0 ? events[0].EventTime : null, lastModified);
            var findingsKey = FindingsObjectKey.For(findingsPrefix, bucket, key, day);
            await sink.PutAsync(findingsKey, content, JsonLinesContentType, cancellationToken).ConfigureAwait(false);

            result = result with { Findings = lines.Count, FindingsBySeverity = bySeverity, FindingsObject = $"{sink.Location}/{findingsKey}" };
            if (read.Error is not null)
                result = result with { Error = $"{uri}: {read.Error} (the {read.RecordsRead:N0} records before the fault were audited)" };
            else if (eTag is not null)
                await _audited.MarkAuditedAsync(bucket, key, eTag, result.FindingsObject, cancellationToken).ConfigureAwait(false);
            return Done(result, started);
        }
        catch (ObjectStoreException e)
        {
            return Done(result with { Error = e.Message }, started);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Done(result with { Error = $"{uri}: the invocation's deadline came before the object was audited" }, started);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A fault in the engine or an unexpected SDK error must fail this object, not the batch.
            return Done(result with { Error = $"{uri}: {e.GetType().Name}: {e.Message}" }, started);
        }
    }

    private ObjectAuditResult Done(ObjectAuditResult result, long started) =>
        result with { LatencyMs = Math.Round(_clock.GetElapsedTime(started).TotalMilliseconds, 3) };

    /// <summary>Joins findings into JSON lines, checking each is one JSON object on one line, and counts severities.</summary>
    internal static (byte[] Content, IReadOnlyDictionary<string, int> BySeverity) ToJsonLines(IReadOnlyList<string> lines)
    {
        var bySeverity = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var sb = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Contains('\n') || line.Contains('\r'))
                throw new InvalidOperationException($"finding {i} spans several lines; findings are JSON lines");
            var severity = SeverityOf(line, i);
            bySeverity[severity] = bySeverity.GetValueOrDefault(severity) + 1;
            sb.Append(line).Append('\n');
        }
        return (Encoding.UTF8.GetBytes(sb.ToString()), bySeverity);
    }

    private static string SeverityOf(string line, int index)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidOperationException($"finding {index} is not a JSON object");
            return doc.RootElement.TryGetProperty("severity", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "unknown";
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"finding {index} is not valid JSON: {e.Message}", e);
        }
    }
}
