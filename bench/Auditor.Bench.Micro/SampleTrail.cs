using System.IO.Compression;
using Auditor.Core.Trail;
using Auditor.TrailGen;

namespace Auditor.Bench.Micro;

/// <summary>Generated log objects held in memory, so a benchmark measures the code and not the disk.</summary>
public static class SampleTrail
{
    /// <summary>One plain JSON log object of about <paramref name="events"/> records, from the generator's default mix.</summary>
    public static byte[] PlainLogObject(int events, int seed = 7)
    {
        var dir = Directory.CreateTempSubdirectory("kta-bench-");
        try
        {
            var options = new GeneratorOptions { Events = events, EventsPerFile = events, OutDir = dir.FullName, Seed = seed, Accounts = 1, Regions = 1, Parallelism = 1 };
            var gen = new TrailGenerator(options);
            var plan = gen.Plan();
            gen.Generate(TextWriter.Null);
            var file = Directory.EnumerateFiles(dir.FullName, "*.json.gz", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
            using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            _ = plan;
            return ms.ToArray();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    public static byte[] Gzip(byte[] plain, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, level, leaveOpen: true)) gz.Write(plain);
        return ms.ToArray();
    }

    /// <summary>The KMS events of a generated trail of <paramref name="events"/> records, as the reader materialises them.</summary>
    public static List<KmsEvent> KmsEvents(int events, int seed = 7)
    {
        var list = new List<KmsEvent>();
        var plain = PlainLogObject(events, seed);
        new TrailReader().Read(new MemoryStream(plain), "bench", list.Add);
        return list;
    }
}
