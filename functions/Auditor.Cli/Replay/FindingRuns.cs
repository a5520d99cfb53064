using System.Text;
using Auditor.Core.Findings;

namespace Auditor.Cli.Replay;

/// <summary>
/// Keeps a replay's findings on disk instead of in memory: findings collect in memory up to a bound, then go to a
/// temporary file (deleted on close) as one sorted run of JSON lines; at the end the runs are merged in
/// <see cref="Finding.Compare"/> order. A finding re-issued with the same id (a burst that grew) may sit in several
/// runs: the copies are adjacent in the merge, and the one from the latest run wins — exactly what replacing it in one
/// dictionary would give. Memory stays flat however many findings a trail raises.
/// </summary>
internal sealed class FindingRuns : IDisposable
{
    private readonly int _runSize;
    private readonly Dictionary<string, Finding> _pending = new(StringComparer.Ordinal);
    private readonly List<(long Offset, long Length)> _runs = [];
    private readonly FileStream _file;

    public FindingRuns(int runSize = 4_096)
    {
        _runSize = runSize;
        _file = new FileStream(Path.Combine(Path.GetTempPath(), $"auditor-findings-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose);
    }

    public void Add(IEnumerable<Finding> findings)
    {
        foreach (var f in findings) _pending[f.Id] = f;
        if (_pending.Count >= _runSize) Flush();
    }

    private void Flush()
    {
        if (_pending.Count == 0) return;
        var sorted = _pending.Values.ToList();
        sorted.Sort(Finding.Compare);
        long start = _file.Seek(0, SeekOrigin.End);
        FindingJson.WriteLines(sorted, _file, sorted: true); // streamed: no run-sized buffer on the large-object heap
        _runs.Add((start, _file.Position - start));
        _pending.Clear();
    }

    /// <summary>Every finding once, in order. May be enumerated more than once (each output format is one pass).</summary>
    public IEnumerable<Finding> Merged()
    {
        Flush();
        _file.Flush();
        var readers = _runs.Select(r => new RunReader(_file.Name, r.Offset, r.Length)).ToList();
        try
        {
            var queue = new PriorityQueue<int, (Finding F, int Run)>(Comparer<(Finding F, int Run)>.Create((a, b) =>
            {
                int c = Finding.Compare(a.F, b.F);
                return c != 0 ? c : a.Run.CompareTo(b.Run);
            }));
            for (int i = 0; i < readers.Count; i++)
                if (readers[i].Next() is { } f) queue.Enqueue(i, (f, i));
            Finding? held = null;
            while (queue.TryDequeue(out int run, out var item))
            {
                // Equal ids come out together, earliest run first: the last one seen is the latest version.
                if (held is not null && held.Id != item.F.Id) yield return held;
                held = item.F;
                if (readers[run].Next() is { } next) queue.Enqueue(run, (next, run));
            }
            if (held is not null) yield return held;
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Reads one run back, line by line, from its own handle on the shared temporary file.</summary>
    private sealed class RunReader : IDisposable
    {
        private readonly StreamReader _reader;
        private long _left;

        public RunReader(string path, long offset, long length)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 14);
            stream.Seek(offset, SeekOrigin.Begin);
            _reader = new StreamReader(stream, Encoding.UTF8);
            _left = length;
        }

        public Finding? Next()
        {
            if (_left <= 0 || _reader.ReadLine() is not { } line) return null;
            _left -= Encoding.UTF8.GetByteCount(line) + 1;
            return FindingJson.Parse(line);
        }

        public void Dispose() => _reader.Dispose();
    }
}
