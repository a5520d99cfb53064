using Auditor.Core.Inventory;
using Auditor.Cli.Input;
using Auditor.Core.Pipeline;
using Auditor.Core.Reporting;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Cli.Reporting;

/// <summary>
/// <c>auditor report</c>: reads a replay's output directory, optionally re-reads the trail to count usage
/// and re-judge every call (through the same <see cref="AuditEngine"/> and <see cref="CallJudge"/> as
/// replay), checks the log files against any CloudTrail digests among the trail paths, and writes the
/// report in the format the extension of <c>--out</c> names.
/// </summary>
public sealed class ReportRunner(CliConsole console)
{
    public sealed record Result(int ExitCode, ComplianceReport? Report);

    public Result Run(ReportOptions options)
    {
        if (!ReportFormats.TryFromPath(options.OutPath, out var format))
            return Usage($"--out must end in .html, .md, .csv or .json (got \"{options.OutPath}\")");
        if (options.From is { } f && options.To is { } t && f > t) return Usage("--from is after --to");

        // --- the replay's output ---------------------------------------------------------------------
        var findingsPath = Path.Combine(options.FindingsDir, "findings.jsonl");
        if (!File.Exists(findingsPath))
            return Usage($"{findingsPath}: not found — --findings must be the output directory of `auditor replay` (findings.jsonl and summary.json)");
        ReplayOutput replay;
        using (var s = File.OpenRead(findingsPath))
        {
            var (findings, errors) = ReplayOutputReader.ReadFindings(s, findingsPath);
            replay = new ReplayOutput { Findings = findings, FindingErrors = errors };
            foreach (var e in errors) console.Error.WriteLine($"error: {e.File}: {e.Error}");
        }
        var summaryPath = Path.Combine(options.FindingsDir, "summary.json");
        if (File.Exists(summaryPath))
        {
            try
            {
                using var s = File.OpenRead(summaryPath);
                replay = ReplayOutputReader.ReadSummary(s, replay);
            }
            catch (FormatException e)
            {
                console.Error.WriteLine($"error: {summaryPath}: {e.Message}");
                replay = replay with { FindingErrors = [.. replay.FindingErrors, new FileError(summaryPath, e.Message)] };
            }
        }
        else console.Error.WriteLine($"warning: {summaryPath} not found: files that failed during the replay cannot be listed");

        // --- key state and usage from the trail ---------------------------------------------------------
        AuditState? state = null;
        UsageCollector? usage = null;
        LogFileIntegrityReport? integrity = null;
        HashSet<DateOnly>? days = null;
        var trailErrors = new List<FileError>();
        long filesRead = 0;
        if (options.InventoryPath is not null || options.TrailPaths.Count > 0) state = new AuditState();
        if (options.InventoryPath is { } inventoryPath)
        {
            var inventory = InventoryReader.ReadPath(inventoryPath);
            if (inventory.Errors.Count > 0)
                return Usage($"--inventory {inventory.Errors[0].File}: {inventory.Errors[0].Error}");
            foreach (var snapshot in inventory.Snapshots.OrderBy(s => s.CapturedAt)) InventoryApplier.Apply(state!, snapshot);
        }
        if (options.TrailPaths.Count > 0)
        {
            var trail = new TrailRead(console, options);
            var events = trail.Read(trailErrors);
            if (trail.NothingFound) return Usage("no CloudTrail log files found in " + string.Join(", ", options.TrailPaths));
            filesRead = trail.FilesRead;
            integrity = trail.Integrity;
            days = trail.Days;

            var judge = new RecordingCallJudge(new CallJudge());
            // No rules: the findings are the replay's; the engine runs only to build state and judge each call.
            new AuditEngine(state!, [], judge).Process(events);
            usage = new UsageCollector();
            var period = new ReportPeriod(options.From, options.To, options.From is not null, options.To is not null);
            foreach (var e in events)
            {
                if (!period.Contains(e.EventTime) || !judge.ByEventId.TryGetValue(e.EventId, out var j)) continue;
                usage.Add(e, j.KeyArn, j.Judgement.Authorization, j.Judgement.PolicyKnown || e.EventName == "CreateKey"); // CreateKey precedes any policy
            }
        }

        var report = ReportBuilder.Build(new ReportInputs
        {
            Replay = replay,
            FindingsDir = options.FindingsDir,
            GeneratedAt = options.Now ?? DateTimeOffset.UtcNow,
            From = options.From,
            To = options.To,
            Usage = usage,
            State = state,
            Integrity = integrity,
            DaysWithLogFiles = days,
            TrailErrors = trailErrors,
            TrailPaths = options.TrailPaths,
            TrailFilesRead = filesRead,
            InventoryPath = options.InventoryPath,
        });

        Write(options.OutPath, s => ReportFormats.Render(report, format, s));
        if (options.UsageCsvPath is { } usageCsv) Write(usageCsv, s => CsvReportRenderer.RenderUsage(report, s));

        if (!options.Quiet)
        {
            console.Out.WriteLine($"KMS Trail Auditor — report for {ReportText.Period(report.Period)}");
            console.Out.WriteLine($"  keys {report.Totals.Keys:N0}   principals {report.Totals.Principals:N0}   calls {(usage is null ? "not assessed" : report.Totals.Calls.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))}   findings {report.Totals.Findings:N0}");
            if (integrity is not null)
                console.Out.WriteLine($"  log-file integrity: {integrity.DigestFiles} digests; {integrity.Matched} matched, {integrity.Mismatched} mismatched, {integrity.NotCovered} not covered");
            if (!report.Coverage.IsEmpty)
                console.Out.WriteLine($"  coverage gaps: {report.Coverage.KeysWithUnknownPolicy.Count} key(s) with unknown policy, {report.Coverage.DaysWithoutLogFiles?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} day(s) without log files, {report.Coverage.FailedFiles.Count} failed input(s)");
            console.Out.WriteLine($"Wrote {options.OutPath}" + (options.UsageCsvPath is null ? "" : $" and {options.UsageCsvPath}"));
        }
        int exit = trailErrors.Count > 0 || replay.FindingErrors.Count > 0 ? CliConsole.PartialInput : CliConsole.Ok;
        return new Result(exit, report);
    }

    /// <summary>Writes through a temporary file, so a failed run never leaves half a report behind.</summary>
    private static void Write(string path, Action<Stream> render)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp-" + Environment.ProcessId;
        using (var s = File.Create(tmp)) render(s);
        File.Move(tmp, full, overwrite: true);
    }

    private Result Usage(string message)
    {
        console.Error.WriteLine("error: " + message);
        return new Result(CliConsole.Usage, null);
    }
}
