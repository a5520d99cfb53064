using System.Text.Json;
using Auditor.Functions.Observability;

namespace Auditor.Functions.Reporting;

/// <summary>
/// The <c>report</c> function's CloudWatch Embedded Metric Format document, one per report written:
/// <c>ReportFindings</c> (findings in the report), <c>ReportObjectsRead</c> (findings objects listed and read) and
/// <c>ReportObjectsFailed</c> (objects unreadable in whole or in part, plus partitions that could not be listed),
/// dimension <c>FunctionName</c>. An alarm on <c>ReportObjectsFailed</c> &gt; 0 says a report has gaps.
/// </summary>
public sealed class ReportMetrics(FunctionLog log, string metricsNamespace, string functionName, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Writes the document for one report.</summary>
    public void ReportWritten(int findings, int objectsRead, int objectsFailed, string? requestId, string reportUri)
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
            w.WriteStringValue("FunctionName");
            w.WriteEndArray();
            w.WriteEndArray();
            w.WriteStartArray("Metrics");
            foreach (var name in (ReadOnlySpan<string>)["ReportFindings", "ReportObjectsRead", "ReportObjectsFailed"])
            {
                w.WriteStartObject();
                w.WriteString("Name", name);
                w.WriteString("Unit", "Count");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("FunctionName", functionName);
            w.WriteString("requestId", requestId);
            w.WriteString("report", reportUri);
            w.WriteNumber("ReportFindings", findings);
            w.WriteNumber("ReportObjectsRead", objectsRead);
            w.WriteNumber("ReportObjectsFailed", objectsFailed);
            w.WriteEndObject();
        }
        log.WriteRaw(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
