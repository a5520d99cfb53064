using System.Text.Json;
using Auditor.Functions.Ingest;

namespace Auditor.Functions.Observability;

/// <summary>
/// CloudWatch Embedded Metric Format: log lines CloudWatch turns into metrics without any API call (which would
/// cost latency on every object). One document per audited object with <c>EventsRead</c>, <c>KmsEvents</c>,
/// <c>Findings</c>, <c>ObjectsFailed</c> and <c>ObjectLatencyMs</c> by function; one per severity with findings,
/// with <c>Severity</c> as a dimension.
/// </summary>
public sealed class EmbeddedMetrics(FunctionLog log, string metricsNamespace, string functionName, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Records one object's figures.</summary>
    public void ObjectAudited(ObjectAuditResult r, string? requestId)
    {
        var uri = $"s3://{r.Bucket}/{r.Key}";
        Emit(["FunctionName"], requestId, w =>
        {
            w.WriteString("object", uri);
            w.WriteNumber("EventsRead", r.EventsRead);
            w.WriteNumber("KmsEvents", r.KmsEvents);
            w.WriteNumber("Findings", r.Findings);
            w.WriteNumber("ObjectsFailed", r.Succeeded ? 0 : 1);
            w.WriteNumber("ObjectLatencyMs", r.LatencyMs);
        }, [("EventsRead", "Count"), ("KmsEvents", "Count"), ("Findings", "Count"), ("ObjectsFailed", "Count"), ("ObjectLatencyMs", "Milliseconds")]);

        foreach (var (severity, count) in r.FindingsBySeverity)
        {
            Emit(["FunctionName", "Severity"], requestId, w =>
            {
                w.WriteString("object", uri);
                w.WriteString("Severity", severity);
                w.WriteNumber("Findings", count);
            }, [("Findings", "Count")]);
        }
    }

    /// <summary>Records SQS messages that were not events ingest understands.</summary>
    public void MessagesRejected(int count, string? requestId)
    {
        if (count == 0) return;
        Emit(["FunctionName"], requestId, w => w.WriteNumber("MessagesRejected", count), [("MessagesRejected", "Count")]);
    }

    /// <summary>One EMF document: the metric declarations, the function name and request id, then <paramref name="values"/>' properties.</summary>
    public void Emit(string[] dimensions, string? requestId, Action<Utf8JsonWriter> values, (string Name, string Unit)[] metrics)
    {
        using var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("_aws");
            w.WriteNumber("Timestamp", _clock.GetUtcNow().ToUnixTimeMilliseconds());
            w.WriteStartArray("CloudWatchMetrics");
            w.WriteStartObject();
            w.WriteString("Namespace", metricsNamespace);
            w.WriteStartArray("Dimensions");
            w.WriteStartArray();
            foreach (var d in dimensions) w.WriteStringValue(d);
            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteStartArray("Metrics");
            foreach (var (name, unit) in metrics)
            {
                w.WriteStartObject();
                w.WriteString("Name", name);
                w.WriteString("Unit", unit);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("FunctionName", functionName);
            w.WriteString("requestId", requestId);
            values(w);
            w.WriteEndObject();
        }
        log.WriteRaw(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
