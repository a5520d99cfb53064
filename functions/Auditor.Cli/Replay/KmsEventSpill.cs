using System.Buffers;
using System.Text.Json;
using Auditor.Core.Trail;
using Microsoft.Win32.SafeHandles;

namespace Auditor.Cli.Replay;

/// <summary>
/// Keeps the KMS records of a replay on disk, not in memory: each record's JSON bytes go to a temporary file
/// (deleted on close) and only a 48-byte index entry — event time, event id, where the bytes are — stays in
/// memory. Replay then walks the index in the engine's total order (eventTime, eventID) and re-materialises
/// events a chunk at a time, so memory stays flat however large the trail is, and the order — hence the
/// findings — is exactly the one an all-in-memory sort would give.
/// </summary>
internal sealed class KmsEventSpill : IDisposable
{
    /// <summary>
    /// One spilled record. Canonical lower-case GUID event ids (what CloudTrail writes) are packed into 128 bits
    /// whose numeric order is the ids' ordinal order; any other id is kept as a string.
    /// </summary>
    internal readonly record struct Entry(long Ticks, ulong IdHigh, ulong IdLow, string? OddId, long Offset, int Length, int Source);

    private readonly FileStream _file;
    private readonly SafeFileHandle _handle;
    private readonly List<Entry> _entries = [];
    private readonly Lock _gate = new();
    private long _end;

    public KmsEventSpill()
    {
        var path = Path.Combine(Path.GetTempPath(), $"auditor-replay-{Environment.ProcessId}-{Guid.NewGuid():N}.spill");
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        _handle = _file.SafeFileHandle;
    }

    public int Count => _entries.Count;

    /// <summary>What one file's reader collects before it is committed, so the shared file is locked once per log file.</summary>
    public sealed class FileBatch
    {
        internal readonly ArrayBufferWriter<byte> Bytes = new(64 * 1024);
        internal readonly List<Entry> Entries = [];

        /// <summary>Empties the batch but keeps its buffer: one batch per worker, reused file after file, allocates nothing large.</summary>
        public void Reset()
        {
            Bytes.ResetWrittenCount();
            Entries.Clear();
        }

        public void Add(KmsEvent e, ReadOnlySpan<byte> json) => AddKey(e.EventId, e.EventTime, json);

        /// <summary>Keeps one record given only its id and time (<see cref="TrailReader"/>'s key overload: no event materialised).</summary>
        public void AddKey(string eventId, DateTimeOffset eventTime, ReadOnlySpan<byte> json)
        {
            long at = Bytes.WrittenCount;
            json.CopyTo(Bytes.GetSpan(json.Length));
            Bytes.Advance(json.Length);
            var (hi, lo, odd) = PackId(eventId);
            Entries.Add(new Entry(eventTime.UtcTicks, hi, lo, odd, at, json.Length, 0));
        }
    }

    public void Commit(FileBatch batch, int source)
    {
        if (batch.Entries.Count == 0) return;
        lock (_gate)
        {
            RandomAccess.Write(_handle, batch.Bytes.WrittenSpan, _end);
            foreach (var e in batch.Entries) _entries.Add(e with { Offset = e.Offset + _end, Source = source });
            _end += batch.Bytes.WrittenCount;
        }
    }

    /// <summary>
    /// The spilled events in (eventTime, eventID) order, duplicates of an event id dropped (the first in file order
    /// is kept, as CloudTrail's at-least-once copies are identical), in chunks of about <paramref name="chunkSize"/>
    /// that never split one clock tick — so no call of an earlier chunk can be at or after a state change of a later one.
    /// </summary>
    public IEnumerable<List<KmsEvent>> SortedChunks(IReadOnlyList<string> sourceNames, int chunkSize, Action<KmsEvent> onDuplicate)
    {
        _entries.Sort(static (a, b) =>
        {
            int c = a.Ticks.CompareTo(b.Ticks);
            if (c != 0) return c;
            c = CompareIds(a, b);
            if (c != 0) return c;
            c = a.Source.CompareTo(b.Source);
            return c != 0 ? c : a.Offset.CompareTo(b.Offset);
        });
        var seenHigh = new HashSet<(ulong, ulong)>();
        var seenOdd = new HashSet<string>(StringComparer.Ordinal);
        var chunk = new List<KmsEvent>(Math.Min(chunkSize, _entries.Count) + 16);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                var entry = _entries[i];
                if (chunk.Count >= chunkSize && entry.Ticks != _entries[i - 1].Ticks)
                {
                    yield return chunk;
                    chunk = new List<KmsEvent>(chunkSize + 16);
                }
                if (buffer.Length < entry.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(entry.Length);
                }
                int got = RandomAccess.Read(_handle, buffer.AsSpan(0, entry.Length), entry.Offset);
                if (got != entry.Length) throw new IOException("the replay spill file was truncated while in use");
                using var doc = JsonDocument.Parse(buffer.AsMemory(0, entry.Length));
                var e = TrailRecordParser.Parse(doc.RootElement, sourceNames[entry.Source]);
                bool first = entry.OddId is null ? seenHigh.Add((entry.IdHigh, entry.IdLow)) : seenOdd.Add(entry.OddId);
                if (first) chunk.Add(e); else onDuplicate(e);
            }
            if (chunk.Count > 0) yield return chunk;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int CompareIds(in Entry a, in Entry b)
    {
        if (a.OddId is null && b.OddId is null)
        {
            int c = a.IdHigh.CompareTo(b.IdHigh);
            return c != 0 ? c : a.IdLow.CompareTo(b.IdLow);
        }
        return string.CompareOrdinal(a.OddId ?? Unpack(a.IdHigh, a.IdLow), b.OddId ?? Unpack(b.IdHigh, b.IdLow));
    }

    /// <summary>Packs "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lower-case hex) into two ulongs that order like the string.</summary>
    internal static (ulong High, ulong Low, string? Odd) PackId(string id)
    {
        if (id.Length != 36 || id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-') return (0, 0, id);
        ulong hi = 0, lo = 0;
        int digits = 0;
        foreach (char ch in id)
        {
            if (ch == '-') continue;
            int v = ch is >= '0' and <= '9' ? ch - '0' : ch is >= 'a' and <= 'f' ? ch - 'a' + 10 : -1;
            if (v < 0) return (0, 0, id);
            if (digits < 16) hi = (hi << 4) | (uint)v; else lo = (lo << 4) | (uint)v;
            digits++;
        }
        return (hi, lo, null);
    }

    internal static string Unpack(ulong hi, ulong lo)
    {
        var hex = $"{hi:x16}{lo:x16}";
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    public void Dispose() => _file.Dispose();
}
