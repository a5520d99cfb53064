using Auditor.Cli.Input;
using Auditor.Core.Reporting;
using Auditor.Core.Trail;

namespace Auditor.Cli.Reporting;

/// <summary>
/// The report's pass over <c>--trail</c>: discovers files as replay does, reads the log files in parallel
/// (keeping the KMS events, de-duplicated by eventID, in one deterministic order), notes the UTC days that
/// have log files, and checks each log file against the CloudTrail digests found among the paths.
/// </summary>
internal sealed class TrailRead(CliConsole console, ReportOptions options)
{
    public long FilesRead { get; private set; }
    public bool NothingFound { get; private set; }
    public LogFileIntegrityReport? Integrity { get; private set; }
    public HashSet<DateOnly> Days { get; } = [];

    public List<KmsEvent> Read(List<FileError> errors)
    {
        var discovery = TrailDiscovery.Discover(options.TrailPaths);
        foreach (var (path, error) in discovery.Errors) Fail(errors, path, error);

        // Digests are skipped by discovery (they are not logs); the integrity check wants them.
        var checker = new LogFileIntegrityChecker();
        var digestPaths = discovery.Skipped.Where(s => IsDigest(s.Path)).Select(s => s.Path)
            .Concat(discovery.Sources.Where(s => s.Path is not null && IsDigest(s.Path)).Select(s => s.Path!)).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var d in digestPaths)
        {
            try
            {
                using var s = File.OpenRead(d);
                checker.AddDigest(s, d);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail(errors, d, $"cannot open digest: {e.Message}");
            }
        }

        var sources = discovery.Sources.Where(s => s.Path is null || !IsDigest(s.Path)).ToList();
        if (sources.Count == 0 && digestPaths.Count == 0 && discovery.Errors.Count == 0) NothingFound = true;
        var perFile = new List<KmsEvent>[sources.Count];
        var results = new TrailReadResult?[sources.Count];
        var checks = new LogFileCheck?[sources.Count];
        var reader = new TrailReader();
        Parallel.For(0, sources.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, i =>
        {
            var list = new List<KmsEvent>();
            var source = sources[i];
            try
            {
                using (var stream = source.Open()) results[i] = reader.Read(stream, source.Name, list.Add);
                if (source.Path is { } p && results[i]!.Kind == TrailFileKind.Log)
                {
                    using var again = File.OpenRead(p);
                    checks[i] = HashOnly(p, again);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                results[i] ??= new TrailReadResult { Source = source.Name, Error = $"cannot open: {e.Message}" };
            }
            perFile[i] = list;
        });

        var all = new List<KmsEvent>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < sources.Count; i++)
        {
            var r = results[i]!;
            if (r.Error is not null) Fail(errors, r.Source, r.Error);
            foreach (var re in r.RecordErrors) Fail(errors, r.Source, $"record {re.RecordIndex}: {re.Reason}");
            if (r.Kind == TrailFileKind.Log && (r.Error is null || r.RecordsRead > 0))
            {
                FilesRead++;
                if (sources[i].Path is { } p && LogFileDates.DayOf(p) is { } day) Days.Add(day);
            }
            if (checks[i] is { } c) checker.Record(c);
            foreach (var e in perFile[i])
            {
                if (!ids.Add(e.EventId)) continue;
                Days.Add(DateOnly.FromDateTime(e.EventTime.UtcDateTime));
                all.Add(e);
            }
        }
        all.Sort(KmsEvent.CompareByTime);
        Integrity = checker.Build();
        return all;
    }

    // Hashing is the expensive part; it runs in the parallel loop and is recorded in file order afterwards.
    private static LogFileCheck HashOnly(string path, Stream content) =>
        new(path, IntegrityStatus.NotCovered, LogFileHasher.Sha256OfContent(content), null, null);

    private static bool IsDigest(string path) => path.Contains("CloudTrail-Digest", StringComparison.Ordinal);

    private void Fail(List<FileError> errors, string file, string error)
    {
        errors.Add(new FileError(file, error));
        console.Error.WriteLine($"error: {file}: {error}");
    }
}
