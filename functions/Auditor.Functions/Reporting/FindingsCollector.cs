using System.Globalization;
using Auditor.Aws.S3;
using Auditor.Core.Findings;
using Auditor.Core.Reporting;

namespace Auditor.Functions.Reporting;

/// <summary>
/// Gathers the findings of a period from the findings bucket: lists each <c>{prefix}dt=YYYY-MM-DD/</c> partition of
/// the period (and <c>lateDays</c> partitions after it, where late-delivered log objects are filed), reads every
/// <c>.jsonl</c>/<c>.jsonl.gz</c> object a bounded number at a time, keeps one finding per id and those whose
/// eventTime is in the period. An object or partition that cannot be read is a <see cref="FileError"/> and the
/// rest goes on.
/// </summary>
public sealed class FindingsCollector(IFindingsObjectStore store, string findingsPrefix, int lateDays, int parallelism = FindingsCollector.DefaultParallelism)
{
    /// <summary>Objects read at once: enough to hide S3 latency, few enough for a small function's memory.</summary>
    public const int DefaultParallelism = 8;

    /// <summary>What was gathered.</summary>
    public sealed record Result
    {
        public required List<Finding> Findings { get; init; }
        /// <summary>Days of the period (not the late days) with at least one findings object.</summary>
        public required HashSet<DateOnly> DaysWithObjects { get; init; }
        /// <summary>Objects, partitions and lines that could not be read.</summary>
        public required List<FileError> Errors { get; init; }
        public required int ObjectsRead { get; init; }
        /// <summary>Objects (and partition listings) that failed outright or in part.</summary>
        public required int ObjectsFailed { get; init; }
        public required int PartitionsFailed { get; init; }
        public required int PartitionsListed { get; init; }
        public required int ObjectsSkipped { get; init; }
        public required long FindingsSeen { get; init; }
        public required long Duplicates { get; init; }
    }

    /// <summary>Collects the findings for <paramref name="request"/>.</summary>
    public async Task<Result> CollectAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        var periodDays = request.Days();
        var days = periodDays.Concat(Enumerable.Range(1, lateDays).Select(i => periodDays[^1].AddDays(i))).ToList();
        var errors = new List<FileError>();
        var daysWithObjects = new HashSet<DateOnly>();
        var objects = new List<StoredObjectInfo>();
        int partitionsFailed = 0, skipped = 0;
        foreach (var day in days)
        {
            var prefix = PartitionPrefix(day);
            IReadOnlyList<StoredObjectInfo> listed;
            try
            {
                listed = await store.ListAsync(prefix, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectStoreException e)
            {
                // Not claimed empty nor complete: the day shows among the days without objects, and this says why.
                partitionsFailed++;
                errors.Add(new FileError($"{store.Location}/{prefix}", e.Message));
                continue;
            }
            foreach (var o in listed)
            {
                if (!IsFindingsObject(o.Key)) { skipped++; continue; }
                objects.Add(o);
                if (day <= periodDays[^1]) daysWithObjects.Add(day);
            }
        }

        var results = new (List<Finding> Findings, List<FileError> Errors)[objects.Count];
        using var gate = new SemaphoreSlim(Math.Max(1, parallelism));
        await Task.WhenAll(objects.Select(async (o, i) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                results[i] = await ReadAsync(o, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        var dedup = new FindingsDeduplicator();
        int failed = 0;
        for (int i = 0; i < objects.Count; i++)
        {
            dedup.Add(objects[i].Key, objects[i].LastModified, results[i].Findings);
            if (results[i].Errors.Count > 0) failed++;
            errors.AddRange(results[i].Errors);
        }
        return new Result
        {
            Findings = dedup.Within(request.From, request.To),
            DaysWithObjects = daysWithObjects,
            Errors = errors,
            ObjectsRead = objects.Count,
            ObjectsFailed = failed,
            PartitionsFailed = partitionsFailed,
            PartitionsListed = days.Count,
            ObjectsSkipped = skipped,
            FindingsSeen = dedup.Seen,
            Duplicates = dedup.Duplicates,
        };
    }

    /// <summary>The partition of one day: <c>{prefix}dt=YYYY-MM-DD/</c>, as ingest writes it.</summary>
    public string PartitionPrefix(DateOnly day) => $"{findingsPrefix}dt={day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/";

    private static bool IsFindingsObject(string key) =>
        key.EndsWith(".jsonl", StringComparison.Ordinal) || key.EndsWith(".jsonl.gz", StringComparison.Ordinal);

    private async Task<(List<Finding>, List<FileError>)> ReadAsync(StoredObjectInfo o, CancellationToken cancellationToken)
    {
        var source = $"{store.Location}/{o.Key}";
        try
        {
            using var obj = await store.OpenAsync(o.Key, cancellationToken).ConfigureAwait(false);
            // The parser is synchronous; closing the stream is how the deadline interrupts a slow body.
            using var interrupt = cancellationToken.Register(static s => ((Stream)s!).Dispose(), obj.Content);
            return await Task.Run(() => FindingsObjectParser.Read(obj.Content, source), cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectStoreException e)
        {
            return ([], [new FileError(source, e.Message)]);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            return ([], [new FileError(source, $"reading failed: {e.Message}")]);
        }
    }
}
