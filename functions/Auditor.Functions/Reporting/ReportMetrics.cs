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
    private readonly EmbeddedMetrics _emf = new(log, metricsNamespace, functionName, clock);

    /// <summary>Writes the document for one report.</summary>
    public void ReportWritten(int findings, int objectsRead, int objectsFailed, string? requestId, string reportUri) =>
        _emf.Emit(["FunctionName"], requestId, w =>
        {
            w.WriteString("report", reportUri);
            w.WriteNumber("ReportFindings", findings);
            w.WriteNumber("ReportObjectsRead", objectsRead);
            w.WriteNumber("ReportObjectsFailed", objectsFailed);
        }, [("ReportFindings", "Count"), ("ReportObjectsRead", "Count"), ("ReportObjectsFailed", "Count")]);
}
