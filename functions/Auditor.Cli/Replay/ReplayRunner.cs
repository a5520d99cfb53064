using Auditor.Cli.Input;
using Auditor.Core.Baselines;
using Auditor.Core.Findings;
using Auditor.Core.Findings.Formats;
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
        using var spill = new KmsEventSpill();
        ReadAll(discovery.Sources, summary, options, spill);
        if (prior.Count > 0)
        {
            // Earlier runs' events join this run's as one more "file", after every real one, so a copy of an
            // event in this run's input is the one kept.
            var batch = new KmsEventSpill.FileBatch();
            foreach (var e in prior) batch.Add(e, KmsEventWriter.ToUtf8(e));
            spill.Commit(batch, discovery.Sources.Count);
        }

        int readable = (int)summary.FilesRead;
        if (readable == 0 && discovery.Sources.Count == 0 && summary.Errors.Count == 0)
        {
            console.Error.WriteLine("error: no CloudTrail log files found in " + string.Join(", ", options.Paths));
            return new ReplayResult(summary, [], CliConsole.Usage);
        }

        // The spill hands the events over in the engine's total order, in chunks that never split a clock tick, so
        // feeding them chunk by chunk judges every call exactly as one all-in-memory batch would: each change is
        // applied before any call at or after its time. Re-judging therefore never reaches back into an earlier
        // chunk, and the engine need not keep past calls for it (this run's state is not kept after it).
        // Sorted, tick-aligned chunks judge every call exactly as one all-in-memory batch would: each change is
        // applied before any call at or after its time, so re-judging never reaches back into an earlier chunk
        // and the engine keeps no past calls for it. With --state, the KMS events of earlier runs go through
        // the same sort with this run's, so a replay split across runs gives exactly the findings of one run.
        var audit = options.Audit with { RecentCallsPerKey = 0, DeduplicateAcrossBatches = false };
        var engine = new AuditEngine(state, RuleCatalog.All(), new CallJudge(), audit, baseline);
        using var runs = new FindingRuns();
        var names = discovery.Sources.Select(x => x.Name).Append(StateSource).ToList();
        using var saving = stored?.BeginSave();
        // The spill reads and parses the next chunks on another core while the engine judges this one (the engine
        // is serial; the order of chunks and of events in them is unchanged).
        foreach (var chunk in ReadAhead(spill.SortedChunks(names, ChunkSize, _ => summary.DuplicateEvents++), ChunksAhead))
        {
            foreach (var e in chunk)
                if (e.Source != StateSource) summary.ByEventName[e.EventName] = summary.ByEventName.GetValueOrDefault(e.EventName) + 1;
            runs.Add(engine.Process(chunk));
            saving?.Append(chunk);
        }
        saving?.Commit();
        // One streaming pass writes findings.jsonl, tallies the summary and keeps the few most severe for the terminal.
        Directory.CreateDirectory(options.OutDir);
        var mostSevere = new List<Finding>();
        bool thresholdMet = false;
        using (var f = File.Create(Path.Combine(options.OutDir, "findings.jsonl")))
        {
            FindingJson.WriteLines(Tally(runs.Merged()), f, sorted: true);
        }
        // findings.jsonl always keeps the contract's shape (reports and pipelines read it); other formats go beside it.
        if (options.Format == "ocsf")
            using (var f = File.Create(Path.Combine(options.OutDir, "findings.ocsf.jsonl"))) OcsfWriter.Write(runs.Merged(), f, sorted: true);
        else if (options.Format == "asff")
            using (var f = File.Create(Path.Combine(options.OutDir, "findings.asff.jsonl"))) AsffWriter.Write(runs.Merged(), f, sorted: true);
        using (var s = File.Create(Path.Combine(options.OutDir, "summary.json"))) summary.Write(s);

        int exit = CliConsole.Ok;
        if (summary.Errors.Count > 0) exit = summary.FilesRead == 0 ? CliConsole.Usage : CliConsole.PartialInput;
        if (exit == CliConsole.Ok && thresholdMet) exit = CliConsole.Threshold;
        return new ReplayResult(summary, mostSevere, exit);

        IEnumerable<Finding> Tally(IEnumerable<Finding> findings)
        {
            var bySeverityThenOrder = Comparer<Finding>.Create((a, b) => a.Severity != b.Severity ? b.Severity.CompareTo(a.Severity) : Finding.Compare(a, b));
            foreach (var finding in findings)
            {
                summary.AddFindings([finding]);
                if (options.FailOn is { } threshold && finding.Severity >= threshold) thresholdMet = true;
                int at = mostSevere.BinarySearch(finding, bySeverityThenOrder);
                if (at < 0) at = ~at;
                if (at < MostSevereShown) mostSevere.Insert(at, finding);
                if (mostSevere.Count > MostSevereShown) mostSevere.RemoveAt(MostSevereShown);
                yield return finding;
            }
        }
    }

    /// <summary>Findings printed on the terminal; all are in findings.jsonl.</summary>
    private const int MostSevereShown = 10;

    /// <summary>The name events carried over from earlier runs (<c>--state</c>) are read under.</summary>
    private const string StateSource = "<state>";

    /// <summary>KMS events handed to the engine at a time: large enough to amortise a batch, small enough to stay flat.</summary>
    internal const int ChunkSize = 1_024;

    /// <summary>Chunks the spill may parse ahead of the engine: enough to keep both busy, few enough to stay flat.</summary>
    internal const int ChunksAhead = 2;

    /// <summary>
    /// Enumerates <paramref name="source"/> on a background thread, at most <paramref name="depth"/> items ahead of
    /// the consumer, yielding them in the same order. A fault of the producer is rethrown to the consumer; a consumer
    /// that stops early stops the producer before this returns (so what the source reads from can be disposed).
    /// </summary>
    internal static IEnumerable<T> ReadAhead<T>(IEnumerable<T> source, int depth)
    {
        using var queue = new System.Collections.Concurrent.BlockingCollection<T>(depth);
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(() =>
        {
            try { foreach (var item in source) queue.Add(item, stop.Token); }
            finally { queue.CompleteAdding(); }
        });
        try
        {
            foreach (var item in queue.GetConsumingEnumerable()) yield return item;
            producer.GetAwaiter().GetResult(); // the producer's own exception, if it failed
        }
        finally
        {
            stop.Cancel();
            try { producer.Wait(); }
            catch (AggregateException) when (!producer.IsCompletedSuccessfully) { } // stopped because the consumer stopped or failed first
        }
    }

    private void ReadAll(List<TrailSource> sources, RunSummary summary, ReplayOptions options, KmsEventSpill spill)
    {
        var results = new TrailReadResult?[sources.Count];
        var reader = new TrailReader();
        var progress = new ReplayProgress(console, sources.Count, enabled: !options.Quiet && !Console.IsErrorRedirected && sources.Count > 50);
        Parallel.For(0, sources.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, () => new KmsEventSpill.FileBatch(), (i, _, batch) =>
        {
            batch.Reset();
            var source = sources[i];
            try
            {
                using var stream = source.Open();
                results[i] = reader.Read(stream, source.Name, batch.AddKey);
                spill.Commit(batch, i);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                results[i] = new TrailReadResult { Source = source.Name, Error = $"cannot open: {e.Message}" };
            }
            progress.FileDone();
            return batch;
        }, _ => { });
        progress.Finish();

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
        }
    }

    private void Fail(RunSummary summary, string file, string error)
    {
        summary.Errors.Add((file, error));
        console.Error.WriteLine($"error: {file}: {error}");
    }
}
