using BenchmarkDotNet.Attributes;
using Auditor.Core.Trail;

namespace Auditor.Bench.Micro;

/// <summary>
/// The streaming reader on one ~4.5 MB log object (3,000 records, ~15% KMS) held in memory: plain JSON (scan and
/// KMS parse only) and gzip (plus decompression), against decompression alone. Divide 3,000 by the mean for records/s.
/// </summary>
[MemoryDiagnoser]
public class ReaderBenchmarks
{
    private byte[] _plain = [];
    private byte[] _gzip = [];
    private readonly TrailReader _reader = new();

    [Params(3000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plain = SampleTrail.PlainLogObject(Records);
        _gzip = SampleTrail.Gzip(_plain);
    }

    [Benchmark(Description = "gunzip only (floor)")]
    public long GunzipOnly()
    {
        using var gz = new System.IO.Compression.GZipStream(new MemoryStream(_gzip), System.IO.Compression.CompressionMode.Decompress);
        var buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = gz.Read(buf)) > 0) total += n;
        return total;
    }

    [Benchmark(Description = "reader, plain JSON")]
    public long ReadPlain()
    {
        long kms = 0;
        var r = _reader.Read(new MemoryStream(_plain), "bench", _ => kms++);
        return r.RecordsRead + kms;
    }

    [Benchmark(Description = "reader, gzip")]
    public long ReadGzip()
    {
        long kms = 0;
        var r = _reader.Read(new MemoryStream(_gzip), "bench", _ => kms++);
        return r.RecordsRead + kms;
    }
}
