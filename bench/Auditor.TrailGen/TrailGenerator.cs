using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace Auditor.TrailGen;

/// <summary>
/// Plans the log files (which delivery stream, which five-minute slot, how many records, which seed) in one
/// sequential pass, then writes them in parallel. Each file draws only from its own seeded generator, so the
/// bytes do not depend on the number of threads or their timing. Files are streamed through gzip: nothing
/// bigger than one JSON writer buffer is held in memory.
/// </summary>
public sealed class TrailGenerator(GeneratorOptions options)
{
    public sealed record FilePlan(int Index, World.Stream Stream, DateTimeOffset DeliveredAt, int Records, int Seed, bool WithKeySetup);

    public sealed record Totals(long Files, long Records, long KmsRecords, long UncompressedBytes, long CompressedBytes);

    public List<FilePlan> Plan()
    {
        var world = new World(options);
        var rng = new Random(options.Seed * 7919 + 17);
        var plans = new List<FilePlan>();
        var interval = TimeSpan.FromMinutes(60.0 / options.FilesPerHour);
        long remaining = options.Events;
        var setupDone = new HashSet<int>();
        for (int slot = 1; remaining > 0; slot++)
        {
            var at = options.Start + interval * slot;
            foreach (var stream in world.Streams)
            {
                if (remaining <= 0) break;
                int n = (int)Math.Min(remaining, rng.Next(options.EventsPerFile / 4, options.EventsPerFile * 7 / 4 + 1));
                remaining -= n;
                plans.Add(new FilePlan(plans.Count, stream, at.AddSeconds(rng.Next(0, 60)), n, rng.Next(), setupDone.Add(stream.Index)));
            }
        }
        return plans;
    }

    public Totals Generate(TextWriter progress)
    {
        var world = new World(options);
        var plans = Plan();
        long records = 0, kms = 0, raw = 0, packed = 0, done = 0;
        Parallel.ForEach(plans, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, plan =>
        {
            var (r, k, u, c) = WriteFile(plan, world);
            Interlocked.Add(ref records, r);
            Interlocked.Add(ref kms, k);
            Interlocked.Add(ref raw, u);
            Interlocked.Add(ref packed, c);
            long d = Interlocked.Increment(ref done);
            if (d % 100 == 0) progress.WriteLine($"  {d:N0}/{plans.Count:N0} files, {Interlocked.Read(ref raw) / 1e6:N0} MB");
        });
        return new Totals(plans.Count, records, kms, raw, packed);
    }

    private (long Records, long Kms, long Uncompressed, long Compressed) WriteFile(FilePlan plan, World world)
    {
        var s = plan.Stream;
        var t = plan.DeliveredAt.UtcDateTime;
        string unique = Ids.Upper(new Random(plan.Seed ^ 0x5bd1e995), 16);
        string dir = Path.Combine(options.OutDir, "AWSLogs", s.Account, "CloudTrail", s.Region, t.ToString("yyyy", CultureInfo.InvariantCulture), t.ToString("MM", CultureInfo.InvariantCulture), t.ToString("dd", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, $"{s.Account}_CloudTrail_{s.Region}_{t.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}_{unique}.json.gz");

        var rng = new Random(plan.Seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var packed = new CountingStream(file);
        var gz = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true);
        var raw = new CountingStream(gz);
        var w = new Utf8JsonWriter(raw, new JsonWriterOptions { SkipValidation = true, Indented = false });
        var writer = new RecordWriter(w, rng, world, s, options);
        w.WriteStartObject();
        w.WriteStartArray("Records");
        var span = TimeSpan.FromMinutes(60.0 / options.FilesPerHour);
        var windowStart = plan.DeliveredAt - span - TimeSpan.FromMinutes(1);
        int written = 0;
        if (plan.WithKeySetup)
        {
            writer.WriteKeySetup(options.Start - TimeSpan.FromHours(2));
            written = (int)writer.KmsRecords;
        }
        for (int i = written; i < plan.Records; i++)
        {
            // Mostly in delivery order over the slot; about 1% arrive late (up to an hour old), as CloudTrail allows.
            var at = windowStart + span * ((i + rng.NextDouble()) / plan.Records);
            if (rng.Next(100) == 0) at -= TimeSpan.FromMinutes(rng.Next(5, 60));
            writer.WriteOne(at);
            if ((i & 63) == 63) w.Flush();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        w.Dispose();
        gz.Dispose(); // writes the gzip trailer into the counted file stream
        return (Math.Max(plan.Records, written), writer.KmsRecords, raw.Count, packed.Count);
    }

    /// <summary>A write-through stream that counts what passes.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) { inner.Write(buffer); Count += buffer.Length; }
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
