using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Auditor.Core.Findings;
using Auditor.Core.Pipeline;
using Auditor.Core.Rules;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Bench.Micro;

/// <summary>
/// Where replay's time goes, stage by stage, on one core: gunzip alone; a bare JSON tokenizer pass (the least any
/// streaming JSON reader must do); the <see cref="TrailReader"/> on the decompressed bytes (scan, KMS pre-filter
/// and KMS parse); then the engine on every KMS event and the findings output. The first three run on a sample of
/// the trail's files held in memory, so no stage pays for the disk or for another.
/// </summary>
public static class StageProfile
{
    public static int Run(string dir, int sampleFiles = 40)
    {
        var files = Directory.EnumerateFiles(dir, "*.json.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) { Console.Error.WriteLine($"no .json.gz files under {dir}"); return 2; }
        var sample = files.Where((_, i) => i % Math.Max(1, files.Count / sampleFiles) == 0).Take(sampleFiles).ToList();
        var gz = sample.Select(File.ReadAllBytes).ToList();
        var plain = gz.Select(Gunzip).ToList();
        long mb = plain.Sum(p => (long)p.Length);
        double sampleMb = mb / 1e6;
        long records = 0, kms = 0;

        // Warm up every path once so the JIT (tiered, PGO) is not what gets measured.
        foreach (var p in plain.Take(2))
        {
            Tokenize(p);
            new TrailReader().Read(new MemoryStream(p), "warm", _ => { });
            new TrailReader().Read(new MemoryStream(p), "warm", (string _, DateTimeOffset _, ReadOnlySpan<byte> _) => { });
        }

        var rows = new List<(string Stage, double Seconds, string Note)>();
        // Each stage: best of three passes, so JIT tiering and a busy neighbour on the machine weigh least.
        static double Best(Action pass)
        {
            double best = double.MaxValue;
            for (int i = 0; i < 3; i++)
            {
                var sw = Stopwatch.StartNew();
                pass();
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            return best;
        }
        rows.Add(("gunzip (GZipStream, zlib-ng)", Best(() => { foreach (var g in gz) Gunzip(g); }), ""));
        rows.Add(("Utf8JsonReader token pass, no work", Best(() => { records = 0; foreach (var p in plain) records += Tokenize(p); }), "records counted"));
        rows.Add(("TrailReader on plain JSON (scan + KMS parse)", Best(() => { kms = 0; foreach (var p in plain) new TrailReader().Read(new MemoryStream(p), "sample", _ => kms++); }), "KMS records parsed"));
        rows.Add(("TrailReader key pass on plain JSON (replay's read phase)", Best(() => { kms = 0; foreach (var p in plain) new TrailReader().Read(new MemoryStream(p), "sample", (string _, DateTimeOffset _, ReadOnlySpan<byte> _) => kms++); }), "KMS records checked, not materialised"));
        var events = new List<KmsEvent>();
        rows.Add(("TrailReader on gzip (all of the above)", Best(() => { events.Clear(); foreach (var g in gz) new TrailReader().Read(new MemoryStream(g), "sample", events.Add); }), ""));
        var sw = Stopwatch.StartNew();

        Console.WriteLine($"## Replay stage profile, one core, {sample.Count} of {files.Count} files ({sampleMb:N0} MB uncompressed, {records:N0} records)");
        Console.WriteLine();
        Console.WriteLine("| stage | seconds | MB/s uncompressed | records/s | note |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        foreach (var (stage, s, note) in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stage} | {s:F3} | {sampleMb / s:N0} | {records / s:N0} | {note} |"));

        // The engine, on the KMS events of the sample (its cost scales with KMS events, not bytes).
        var unique = events.DistinctBy(e => e.EventId).ToList();
        sw.Restart();
        var engine = new AuditEngine(new AuditState(), RuleCatalog.All(), new CallJudge());
        var findings = engine.Process(unique);
        double engineS = sw.Elapsed.TotalSeconds;
        sw.Restart();
        using (var sink = Stream.Null) FindingJson.WriteLines(findings, sink);
        double outS = sw.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| AuditEngine.Process ({unique.Count:N0} KMS events, {findings.Count:N0} findings) | {engineS:F3} | {sampleMb / engineS:N0} | {unique.Count / engineS:N0} KMS ev/s | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| findings output | {outS:F3} | | | |"));
        Console.WriteLine();
        return 0;
    }

    private static byte[] Gunzip(byte[] g)
    {
        using var z = new GZipStream(new MemoryStream(g), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        z.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>Counts the elements of <c>Records</c> with the bare tokenizer: the cost floor of a streaming JSON scan.</summary>
    private static long Tokenize(byte[] json)
    {
        var r = new Utf8JsonReader(json);
        long n = 0;
        while (r.Read())
            if (r.TokenType == JsonTokenType.StartObject && r.CurrentDepth == 2) n++;
        return n;
    }
}
