using Auditor.Cli.Input;
using Auditor.Core.Baselines;
using Auditor.Core.Findings;
using Auditor.Core.Inventory;
using Auditor.Core.Pipeline;
using Auditor.Core.Rules;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Cli.Replay;

/// <summary>
/// <c>auditor replay</c>: discover the files, read them in parallel across cores (each file's KMS events
/// kept apart, so merging is deterministic), hand every event to the <see cref="AuditEngine"/> in one
/// total order, and write <c>findings.jsonl</c> and <c>summary.json</c>. A file that cannot be read is named
/// with its reason; everything else still runs.
/// </summary>
public sealed class ReplayRunner(CliConsole console)
{
    public ReplayResult Run(ReplayOptions options)
    {
        var summary = new RunSummary();
        var discovery = TrailDiscovery.Discover(options.Paths);
        foreach (var (path, error) in discovery.Errors) Fail(summary, path, error);
        summary.FilesSkipped += discovery.Skipped.Count;
        summary.DigestFiles += discovery.Digests;
        if (options.Verbose)
            foreach (var (path, reason) in discovery.Skipped) console.Error.WriteLine($"skipped {path}: {reason}");

        Baseline? baseline = null;
        if (options.BaselinePath is { } bp)
        {
            try
            {
                using var s = File.OpenRead(bp);
                baseline = BaselineReader.Read(s, bp);
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                console.Error.WriteLine($"error: baseline {bp}: {e.Message}");
                return new ReplayResult(summary, [], CliConsole.Usage);
            }
        }

        var state = new AuditState();
        var stored = options.StateDir is { } sd ? new ReplayStateStore(sd) : null;
        List<KmsEvent> prior = [];
        if (stored is not null)
        {
            try
            {
                prior = stored.LoadEvents();
                foreach (var snapshot in stored.LoadInventories()) InventoryApplier.Apply(state, snapshot);
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException or InventoryFormatException)
            {
                console.Error.WriteLine($"error: state {options.StateDir}: {e.Message}");
                return new ReplayResult(summary, [], CliConsole.Usage);
            }
        }
        if (options.InventoryPath is { } ip)
        {
            var inventory = InventoryReader.ReadPath(ip);
            foreach (var error in inventory.Errors) Fail(summary, error.File, "inventory: " + error.Error);
            if (inventory.Snapshots.Count == 0)
            {
                console.Error.WriteLine($"error: no readable key inventory in {ip}");
                return new ReplayResult(summary, [], CliConsole.Usage);
            }
            foreach (var snapshot in inventory.Snapshots.OrderBy(s => s.CapturedAt)) InventoryApplier.Apply(state, snapshot);
            stored?.KeepInventories(inventory.Snapshots);
        }
        var events = ReadAll(discovery.Sources, summary, options);

        int readable = (int)summary.FilesRead;
        if (readable == 0 && discovery.Sources.Count == 0 && summary.Errors.Count == 0)
        {
            console.Error.WriteLine("error: no CloudTrail log files found in " + string.Join(", ", options.Paths));
            return new ReplayResult(summary, [], CliConsole.Usage);
        }

        var unique = new List<KmsEvent>(events.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (!ids.Add(e.EventId)) { summary.DuplicateEvents++; continue; }
            unique.Add(e);
            summary.ByEventName[e.EventName] = summary.ByEventName.GetValueOrDefault(e.EventName) + 1;
        }

        var engine = new AuditEngine(state, RuleCatalog.All(), new CallJudge(), options.Audit, baseline);
        // With --state, the KMS events of earlier runs are judged again together with this run's, so a
        // split replay gives exactly the findings of one replay over everything (late retirements, grants
        // and policies included). Only this run's own input is counted in the summary's read counters.
        var all = unique;
        if (prior.Count > 0)
        {
            all = [.. unique];
            foreach (var e in prior)
                if (ids.Add(e.EventId)) all.Add(e);
        }
        var findings = engine.Process(all);
        summary.AddFindings(findings);
        stored?.SaveEvents(all);

        Directory.CreateDirectory(options.OutDir);
        using (var f = File.Create(Path.Combine(options.OutDir, "findings.jsonl"))) FindingJson.WriteLines(findings, f);
        using (var s = File.Create(Path.Combine(options.OutDir, "summary.json"))) summary.Write(s);

        int exit = CliConsole.Ok;
        if (summary.Errors.Count > 0) exit = summary.FilesRead == 0 ? CliConsole.Usage : CliConsole.PartialInput;
        if (exit == CliConsole.Ok && options.FailOn is { } threshold && findings.Any(x => x.Severity >= threshold)) exit = CliConsole.Threshold;
        return new ReplayResult(summary, findings, exit);
    }

    private List<KmsEvent> ReadAll(List<TrailSource> sources, RunSummary summary, ReplayOptions options)
    {
        var perFile = new List<KmsEvent>[sources.Count];
        var results = new TrailReadResult?[sources.Count];
        var reader = new TrailReader();
        var progress = new ReplayProgress(console, sources.Count, enabled: !options.Quiet && !Console.IsErrorRedirected && sources.Count > 50);
        Parallel.For(0, sources.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, i =>
        {
            var list = new List<KmsEvent>();
            var source = sources[i];
            try
            {
                using var stream = source.Open();
                results[i] = reader.Read(stream, source.Name, list.Add);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                results[i] = new TrailReadResult { Source = source.Name, Error = $"cannot open: {e.Message}" };
            }
            perFile[i] = list;
            progress.FileDone();
        });
        progress.Finish();

        var all = new List<KmsEvent>();
        for (int i = 0; i < sources.Count; i++)
        {
            var r = results[i]!;
            summary.BytesRead += r.BytesRead;
            summary.EventsRead += r.RecordsRead;
            summary.KmsRecordsRead += r.KmsRecords;
            if (r.Error is not null)
                Fail(summary, r.Source, r.Error);
            foreach (var re in r.RecordErrors)
                Fail(summary, r.Source, $"record {re.RecordIndex}: {re.Reason}");
            if (r.Error is null || r.RecordsRead > 0)
            {
                if (r.Kind == TrailFileKind.Log) summary.FilesRead++;
                else if (r.Error is null)
                {
                    summary.FilesSkipped++;
                    if (r.Kind == TrailFileKind.Digest) summary.DigestFiles++;
                    if (options.Verbose) console.Error.WriteLine($"skipped {r.Source}: {(r.Kind == TrailFileKind.Digest ? "CloudTrail digest file" : "not a CloudTrail log")}");
                }
            }
            all.AddRange(perFile[i]);
        }
        return all;
    }

    private void Fail(RunSummary summary, string file, string error)
    {
        summary.Errors.Add((file, error));
        console.Error.WriteLine($"error: {file}: {error}");
    }
}
