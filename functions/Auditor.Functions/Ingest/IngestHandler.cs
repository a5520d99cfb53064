using System.Text.Json;
using Auditor.Functions.Observability;
using Auditor.Functions.Runtime;

namespace Auditor.Functions.Ingest;

/// <summary>
/// The <c>ingest</c> function: parses the event, audits every object it names (a bounded number at a time),
/// and answers. For an SQS batch the answer is <c>{"batchItemFailures":[{"itemIdentifier":"…"}]}</c> naming only
/// the messages that failed (an unreadable message, or one whose object failed), so the queue redelivers those
/// and nothing else. For a direct S3, SNS or EventBridge invocation any failure fails the invocation, so Lambda's
/// asynchronous retries and on-failure destination take over.
/// </summary>
public sealed class IngestHandler(ITrailObjectAuditor auditor, FunctionLog log, EmbeddedMetrics metrics, int parallelism) : ILambdaHandler
{
    /// <inheritdoc />
    public async Task<byte[]> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        IngestRequest request;
        try
        {
            request = IngestEventParser.Parse(invocation.Payload);
        }
        catch (IngestEventException e)
        {
            throw new FunctionException("Auditor.UnrecognizedEvent", e.Message, e);
        }

        var results = await AuditAllAsync(request, cancellationToken).ConfigureAwait(false);

        var failedItems = new List<string>();
        var failures = new List<string>();
        int rejected = 0, objects = 0, findings = 0;
        foreach (var item in request.Items)
        {
            foreach (var reason in item.Ignored)
                log.Info("notification ignored", ("messageId", item.ItemIdentifier), ("reason", reason));
            if (item.Error is not null)
            {
                rejected++;
                log.Warn("message rejected: not an event ingest understands", ("messageId", item.ItemIdentifier), ("reason", item.Error));
                failedItems.Add(item.ItemIdentifier ?? "");
                failures.Add(item.Error);
                continue;
            }
            bool itemFailed = false;
            foreach (var obj in item.Objects)
            {
                var r = results[obj];
                if (!r.Succeeded)
                {
                    itemFailed = true;
                    failures.Add(r.Error!);
                }
            }
            if (itemFailed) failedItems.Add(item.ItemIdentifier ?? "");
        }
        foreach (var r in results.Values)
        {
            objects++;
            findings += r.Findings;
        }
        metrics.MessagesRejected(rejected, invocation.RequestId);
        log.Info("ingest done", ("eventKind", request.Kind.ToString()), ("items", request.Items.Count), ("objects", objects),
            ("findings", findings), ("failedItems", failedItems.Count));

        if (request.Kind == IngestEventKind.SqsBatch) return BatchResponse(failedItems);
        if (failures.Count > 0)
            throw new FunctionException("Auditor.ObjectsFailed", $"{failures.Count} of {Math.Max(objects, 1)} objects failed: " + string.Join("; ", failures.Take(5)));
        return Summary(objects, findings, request.Items.Sum(i => i.Ignored.Count));
    }

    /// <summary>Audits each distinct object once (a batch may name one object twice after a redelivery), at most <c>parallelism</c> at a time.</summary>
    private async Task<Dictionary<S3ObjectRef, ObjectAuditResult>> AuditAllAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        var distinct = request.Items.SelectMany(i => i.Objects).Distinct().ToList();
        var results = new Dictionary<S3ObjectRef, ObjectAuditResult>(distinct.Count);
        using var gate = new SemaphoreSlim(Math.Max(1, parallelism));
        var tasks = distinct.Select(async obj =>
        {
            await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                return await auditor.AuditAsync(obj.Bucket, obj.Key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var done = await Task.WhenAll(tasks).ConfigureAwait(false);
        for (int i = 0; i < distinct.Count; i++)
        {
            var r = done[i];
            results[distinct[i]] = r;
            metrics.ObjectAudited(r, log.RequestId);
            if (r.Succeeded)
                log.Info(r.Skipped is null ? "object audited" : "object skipped", ("object", distinct[i].ToString()), ("eventsRead", r.EventsRead),
                    ("kmsEvents", r.KmsEvents), ("recordErrors", r.RecordErrors), ("findings", r.Findings), ("findingsObject", r.FindingsObject),
                    ("skipped", r.Skipped), ("latencyMs", r.LatencyMs));
            else
                log.Warn("object failed", ("object", distinct[i].ToString()), ("reason", r.Error), ("eventsRead", r.EventsRead), ("latencyMs", r.LatencyMs));
        }
        return results;
    }

    internal static byte[] BatchResponse(IReadOnlyList<string> failedItemIds)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("batchItemFailures");
            foreach (var id in failedItemIds)
            {
                w.WriteStartObject();
                w.WriteString("itemIdentifier", id);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static byte[] Summary(int objects, int findings, int ignored)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("objects", objects);
            w.WriteNumber("findings", findings);
            w.WriteNumber("ignored", ignored);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
