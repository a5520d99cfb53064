using System.IO.Compression;

namespace Auditor.Fuzz;

/// <summary>
/// The inputs mutation starts from: every real CloudTrail capture in <c>../shared/real-trails</c> and every
/// sample log object in <c>sample-events</c>, decompressed, so mutations hit JSON rather than deflate blocks.
/// Starting from real records matters: random bytes almost never reach the record parser, real ones do.
/// </summary>
public static class SeedCorpus
{
    /// <summary>Seed files in ordinal path order (so a seeded run is reproducible), as (name, decompressed bytes).</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Load(int maxBytesPerSeed = 2 * 1024 * 1024)
    {
        var roots = new[] { Path.Combine(RepoLocator.Shared, "real-trails"), Path.Combine(RepoLocator.Root, "sample-events") };
        var seeds = new List<(string, byte[])>();
        foreach (var root in roots.Where(Directory.Exists))
        {
            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".json.gz", StringComparison.Ordinal) || f.EndsWith(".json.invalid", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var bytes = Decompress(File.ReadAllBytes(file));
                if (bytes.Length <= maxBytesPerSeed) seeds.Add((Path.GetRelativePath(RepoLocator.Root, file), bytes));
            }
        }
        if (seeds.Count == 0) throw new InvalidOperationException($"no seed trails found under {string.Join(", ", roots)}");
        return seeds;
    }

    /// <summary>Gunzips when the bytes carry the gzip magic; a corrupt gzip seed is used as it is.</summary>
    public static byte[] Decompress(byte[] bytes)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
        try
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            var output = new MemoryStream();
            gz.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return bytes;
        }
    }
}
