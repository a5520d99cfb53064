namespace Auditor.Core.Reporting;

/// <summary>
/// Checks log files against CloudTrail digests. A digest names each log object by its S3 key
/// (<c>AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/…json.gz</c>); a local copy matches when its path ends
/// with that key (a tree copied from S3 keeps it), or with the key without <c>.gz</c> (a gunzipped copy).
/// Feed every digest first, then every log file.
/// </summary>
public sealed class LogFileIntegrityChecker
{
    private readonly Dictionary<string, List<DigestLogEntry>> _byObject = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenObjects = new(StringComparer.Ordinal);
    private readonly List<LogFileCheck> _checks = [];
    private readonly List<FileError> _digestErrors = [];
    private int _digests;

    public void AddDigest(Stream digest, string source)
    {
        try
        {
            foreach (var e in CloudTrailDigest.Read(digest, source))
            {
                if (!_byObject.TryGetValue(e.S3Object, out var list)) _byObject[e.S3Object] = list = [];
                list.Add(e);
            }
            _digests++;
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            _digestErrors.Add(new FileError(source, e.Message));
        }
    }

    /// <summary>Hashes <paramref name="content"/> and records the result for <paramref name="path"/>.</summary>
    public LogFileCheck Check(string path, Stream content) => Record(path, LogFileHasher.Sha256OfContent(content));

    /// <summary>Records a file already hashed (by <see cref="LogFileHasher"/>, perhaps on another thread).</summary>
    public LogFileCheck Record(LogFileCheck hashed) => Record(hashed.File, hashed.ActualSha256);

    private LogFileCheck Record(string path, string actual)
    {
        var entries = Lookup(path, out string? key);
        LogFileCheck check;
        if (entries is null) check = new LogFileCheck(path, IntegrityStatus.NotCovered, actual, null, null);
        else
        {
            _seenObjects.Add(key!);
            // A backfill digest may list the same object again: any listing with this hash vouches for it.
            var match = entries.Find(e => e.HashValue == actual);
            check = match is not null
                ? new LogFileCheck(path, IntegrityStatus.Matched, actual, match.HashValue, match.DigestFile)
                : new LogFileCheck(path, IntegrityStatus.Mismatched, actual, entries[0].HashValue, entries[0].DigestFile);
        }
        _checks.Add(check);
        return check;
    }

    public LogFileIntegrityReport Build() => new()
    {
        DigestFiles = _digests,
        Files = [.. _checks.OrderBy(c => c.File, StringComparer.Ordinal)],
        ListedNotRead = [.. _byObject.Keys.Where(k => !_seenObjects.Contains(k)).Order(StringComparer.Ordinal)],
        DigestErrors = [.. _digestErrors],
    };

    private List<DigestLogEntry>? Lookup(string path, out string? key)
    {
        var p = path.Replace('\\', '/');
        // Walk the path's suffixes from the shortest that could be an S3 key (AWSLogs/...) outwards.
        int at = p.IndexOf("AWSLogs/", StringComparison.Ordinal);
        while (at >= 0)
        {
            var suffix = p[at..];
            if (_byObject.TryGetValue(suffix, out var list)) { key = suffix; return list; }
            if (!suffix.EndsWith(".gz", StringComparison.Ordinal) && _byObject.TryGetValue(suffix + ".gz", out list)) { key = suffix + ".gz"; return list; }
            at = p.IndexOf("AWSLogs/", at + 1, StringComparison.Ordinal);
        }
        // Keys under a trail prefix, or files copied flat: fall back to a whole-key suffix match on the name.
        foreach (var (k, list) in _byObject)
        {
            if (p.EndsWith("/" + k, StringComparison.Ordinal) || p == k) { key = k; return list; }
            var name = k[(k.LastIndexOf('/') + 1)..];
            var fileName = p[(p.LastIndexOf('/') + 1)..];
            if (fileName == name || fileName + ".gz" == name) { key = k; return list; }
        }
        key = null;
        return null;
    }
}
