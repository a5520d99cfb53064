using System.Text.Json;
using Auditor.Aws.S3;
using Auditor.Core.Reporting;
using Auditor.Functions.Observability;
using Auditor.Functions.Runtime;

namespace Auditor.Functions.Reporting;

/// <summary>
/// The <c>report</c> function: works out the period (<see cref="ReportRequestParser"/>), gathers its findings from
/// the findings bucket (<see cref="FindingsCollector"/>), builds the report with the same core as
/// <c>auditor report</c> (<see cref="ReportBuilder"/> and its renderers) and writes it to
/// <c>{reportsPrefix}{from}_{to}.{ext}</c>, answering <c>{"reportKey": "...", "findings": N, "days": N, …}</c>.
/// Unreadable objects and lines are coverage gaps in the report and warnings in the log, never a failed report;
/// only a bad request, a period whose partitions could none be listed, the deadline or the write fail the invocation.
/// </summary>
public sealed class ReportHandler(
    FindingsCollector collector,
    IFindingsSink reportSink,
    ReportSettings settings,
    FunctionLog log,
    ReportMetrics metrics,
    TimeProvider? clock = null) : ILambdaHandler
{
    /// <summary>Log lines per invocation naming individual bad objects/lines; all of them are in the report.</summary>
    internal const int MaxErrorLogLines = 100;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task<byte[]> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var request = ReportRequestParser.Parse(invocation.Payload, now, settings.DefaultFormat);
        var days = request.Days();
        log.Info("report requested", ("trigger", request.Trigger), ("from", Iso(request.From)), ("to", Iso(request.To)),
            ("format", ReportObjectKey.Extension(request.Format)), ("days", days.Count));

        FindingsCollector.Result collected;
        try
        {
            collected = await collector.CollectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not FunctionException)
        {
            // Cancellation surfaces as OperationCanceledException, or as the error of a stream closed under a reader.
            throw new FunctionException("Auditor.DeadlineExceeded", $"the invocation's deadline came before the findings of {Iso(request.From)} – {Iso(request.To)} were read; give the function more time or ask for a shorter period");
        }
        if (collected.PartitionsFailed == collected.PartitionsListed)
            throw new FunctionException("Auditor.FindingsUnreadable", $"no findings partition of the period could be listed: {collected.Errors[0].Error}");

        for (int i = 0; i < collected.Errors.Count && i < MaxErrorLogLines; i++)
            log.Warn("findings input not read", ("input", collected.Errors[i].File), ("reason", collected.Errors[i].Error));
        if (collected.Errors.Count > MaxErrorLogLines)
            log.Warn("more findings inputs not read", ("notLogged", collected.Errors.Count - MaxErrorLogLines));

        var report = ReportBuilder.Build(new ReportInputs
        {
            Replay = new ReplayOutput { Findings = collected.Findings, FindingErrors = collected.Errors },
            FindingsDir = $"s3://{settings.FindingsBucket}/{settings.FindingsPrefix}",
            GeneratedAt = now,
            From = request.From,
            // The core's period is inclusive at both ends; one tick before the exclusive end is the same set of
            // instants, and keeps the following midnight's day out of the days assessed.
            To = request.To.AddTicks(-1),
            DaysWithLogFiles = collected.DaysWithObjects,
        });

        byte[] content;
        using (var buffer = new MemoryStream())
        {
            ReportFormats.Render(report, request.Format, buffer);
            content = buffer.ToArray();
        }
        var key = ReportObjectKey.For(settings.ReportsPrefix, request);
        try
        {
            await reportSink.PutAsync(key, content, ReportObjectKey.ContentType(request.Format), cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectStoreException e)
        {
            throw new FunctionException("Auditor.ReportNotWritten", e.Message, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new FunctionException("Auditor.DeadlineExceeded", $"the invocation's deadline came while {reportSink.Location}/{key} was being written");
        }

        var uri = $"{reportSink.Location}/{key}";
        int objectsFailed = collected.ObjectsFailed + collected.PartitionsFailed;
        metrics.ReportWritten(report.Totals.Findings, collected.ObjectsRead, objectsFailed, invocation.RequestId, uri);
        var missing = report.Coverage.DaysWithoutLogFiles ?? [];
        log.Info("report written", ("report", uri), ("bytes", content.Length), ("findings", report.Totals.Findings),
            ("findingsSeen", collected.FindingsSeen), ("duplicates", collected.Duplicates), ("objectsRead", collected.ObjectsRead),
            ("objectsFailed", objectsFailed), ("objectsSkipped", collected.ObjectsSkipped),
            ("daysWithoutFindingsObjects", missing.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList()));

        using var answer = new MemoryStream();
        using (var w = new Utf8JsonWriter(answer))
        {
            w.WriteStartObject();
            w.WriteString("reportKey", key);
            w.WriteNumber("findings", report.Totals.Findings);
            w.WriteNumber("days", days.Count);
            w.WriteString("bucket", settings.FindingsBucket);
            w.WriteString("from", Iso(request.From));
            w.WriteString("to", Iso(request.To));
            w.WriteNumber("objectsRead", collected.ObjectsRead);
            w.WriteNumber("objectsFailed", objectsFailed);
            w.WriteNumber("daysWithoutFindingsObjects", missing.Count);
            w.WriteEndObject();
        }
        return answer.ToArray();
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
