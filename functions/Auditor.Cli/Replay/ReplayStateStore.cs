using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Auditor.Core.Inventory;
using Auditor.Core.Trail;

namespace Auditor.Cli.Replay;

/// <summary>
/// <c>replay --state DIR</c>: keeps every KMS event replayed so far (as CloudTrail records, gzipped JSON
/// lines) and the inventories applied, so the next run judges old and new events together. That is what
/// makes a replay split across runs give exactly the findings of one run — a RetireGrant, CreateGrant or
/// PutKeyPolicy arriving tomorrow re-judges yesterday's calls — at the cost of state growing with the
/// KMS events audited (about 300 bytes each, compressed; non-KMS records are never kept).
/// </summary>
public sealed class ReplayStateStore(string dir)
{
    private string EventsFile => Path.Combine(dir, "events.jsonl.gz");
    private string InventoryDir => Path.Combine(dir, "inventory");

    public List<KmsEvent> LoadEvents()
    {
        var events = new List<KmsEvent>();
        if (!File.Exists(EventsFile)) return events;
        using var gz = new GZipStream(File.OpenRead(EventsFile), CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.UTF8);
        int line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            try { events.Add(KmsEventWriter.FromUtf8(Encoding.UTF8.GetBytes(text))); }
            catch (Exception e) when (e is TrailFormatException or System.Text.Json.JsonException)
            {
                throw new FormatException($"{EventsFile} line {line}: {e.Message}");
            }
        }
        return events;
    }

    public IEnumerable<InventorySnapshot> LoadInventories()
    {
        if (!Directory.Exists(InventoryDir)) return [];
        var read = InventoryReader.ReadPath(InventoryDir);
        if (read.Errors.Count > 0) throw new FormatException($"{read.Errors[0].File}: {read.Errors[0].Error}");
        return read.Snapshots.OrderBy(s => s.CapturedAt);
    }

    /// <summary>Keeps a copy of each inventory applied, named by content, so later runs apply it too.</summary>
    public void KeepInventories(IEnumerable<InventorySnapshot> snapshots)
    {
        Directory.CreateDirectory(InventoryDir);
        foreach (var snapshot in snapshots)
        {
            using var buffer = new MemoryStream();
            InventoryWriter.Write(snapshot, buffer);
            var name = Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()))[..16] + ".json";
            var path = Path.Combine(InventoryDir, name);
            if (!File.Exists(path)) AtomicWrite(path, s => buffer.WriteTo(s));
        }
    }

    /// <summary>Starts writing the events of this run and all earlier ones; <see cref="EventSaver.Commit"/> replaces the old file.</summary>
    public EventSaver BeginSave()
    {
        Directory.CreateDirectory(dir);
        return new EventSaver(EventsFile);
    }

    /// <summary>Streams events (already sorted) to a temporary file, renamed into place only once complete.</summary>
    public sealed class EventSaver(string path) : IDisposable
    {
        private readonly string _temp = $"{path}.{Environment.ProcessId}.tmp";
        private GZipStream? _gz;
        private bool _committed;

        public void Append(IEnumerable<KmsEvent> events)
        {
            _gz ??= new GZipStream(File.Create(_temp), CompressionLevel.Optimal);
            foreach (var e in events)
            {
                _gz.Write(KmsEventWriter.ToUtf8(e));
                _gz.WriteByte((byte)'\n');
            }
        }

        public void Commit()
        {
            _gz ??= new GZipStream(File.Create(_temp), CompressionLevel.Optimal);
            _gz.Dispose();
            File.Move(_temp, path, overwrite: true);
            _committed = true;
        }

        public void Dispose()
        {
            _gz?.Dispose();
            if (!_committed && File.Exists(_temp)) File.Delete(_temp);
        }
    }

    private static void AtomicWrite(string path, Action<Stream> write)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        using (var s = File.Create(temp)) write(s);
        File.Move(temp, path, overwrite: true);
    }
}
