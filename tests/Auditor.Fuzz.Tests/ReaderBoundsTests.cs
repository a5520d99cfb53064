using Auditor.Core.Trail;
using static Auditor.Fuzz.Tests.TrailRecords;

namespace Auditor.Fuzz.Tests;

/// <summary>Issue 10, item 1: each bound stops a hostile object early, with a clear reason, without allocating it.</summary>
public class ReaderBoundsTests
{
    private const long Gigabyte = 1L << 30;

    [Fact]
    public void A_gzip_bomb_of_zeros_is_stopped_at_once_without_inflating_it()
    {
        // 8 GB of zeros, compressed on the fly: never on disk, never in memory.
        using var bomb = new GeneratedStream([], 8 * Gigabyte, 0, [], gzip: true);
        var (r, events) = Read(bomb);
        Assert.NotNull(r.Error);
        Assert.Contains("invalid JSON", r.Error);
        Assert.Empty(events);
        Assert.True(bomb.UncompressedProduced < 16L << 20, $"the reader inflated {bomb.UncompressedProduced:N0} bytes of an obviously invalid object");
    }

    [Fact]
    public void A_gzip_bomb_of_valid_records_is_stopped_at_the_decompressed_byte_limit()
    {
        // {"Records":[{},{},... 8 GB ...]}: every record is valid, only the size is hostile.
        var limits = new TrailReaderLimits { MaxDecompressedBytes = 32L << 20, MaxRecordsPerObject = long.MaxValue };
        using var bomb = new RepeatingRecordsStream(8 * Gigabyte);
        var (r, _) = Read(new GzipPipe(bomb), limits);
        Assert.NotNull(r.Error);
        Assert.Contains("decompressed size exceeds the limit", r.Error);
        Assert.Contains("decompression bomb", r.Error);
        Assert.True(r.RecordsRead > 1_000_000, "records before the bound are still counted");
        Assert.True(bomb.Produced < 64L << 20, $"read {bomb.Produced:N0} bytes past a 32 MB bound");
    }

    [Fact]
    public void A_whitespace_bomb_inside_Records_is_read_in_flat_memory()
    {
        // {"Records":[ + 256 MB of spaces. Valid JSON so far; the reader must not buffer the spaces.
        var limits = new TrailReaderLimits { MaxDecompressedBytes = 256L << 20 };
        using var bomb = new GeneratedStream(Utf8("{\"Records\":["), 1 * Gigabyte, (byte)' ', Utf8("]}"), gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (r, _) = Read(bomb, limits);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("limit", r.Error);
        Assert.True(allocated < 64L << 20, $"allocated {allocated:N0} bytes to read white space");
    }

    [Fact]
    public void A_huge_string_record_is_stopped_at_the_record_size_limit()
    {
        // {"Records":["aaaa… 1 GB: a record that is a string, not an object.
        var limits = new TrailReaderLimits { MaxDecompressedBytes = 300L << 20 };
        using var bomb = new GeneratedStream(Utf8("{\"Records\":[\""), 1 * Gigabyte, (byte)'a', Utf8("\"]}"), gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (r, _) = Read(bomb, limits);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.NotNull(r.Error);
        Assert.Contains("limit", r.Error);
        Assert.True(allocated < 64L << 20, $"allocated {allocated:N0} bytes for one string record");
    }

    [Fact]
    public void A_huge_top_level_property_is_stopped_at_the_record_size_limit()
    {
        var limits = new TrailReaderLimits { MaxDecompressedBytes = 300L << 20 };
        using var bomb = new GeneratedStream(Utf8("{\"padding\":[0"), 1 * Gigabyte, (byte)' ', Utf8("],\"Records\":[]}"), gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (r, _) = Read(bomb, limits);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("limit", r.Error);
        Assert.True(allocated < 64L << 20, $"allocated {allocated:N0} bytes for one top-level value");
    }

    [Fact]
    public void An_oversized_record_is_named_with_its_index_and_the_limit()
    {
        var limits = new TrailReaderLimits { MaxRecordBytes = 64 * 1024 };
        var big = "{\"eventSource\":\"kms.amazonaws.com\",\"pad\":\"" + new string('x', 200_000) + "\"}";
        var (r, events) = Read(Gzip(Utf8(Log(Kms("e0"), S3, big, Kms("e3")))), limits);
        Assert.NotNull(r.Error);
        Assert.Contains("record 2 is larger than the limit of 65,536 bytes", r.Error);
        Assert.Equal(["e0"], events.Select(e => e.EventId)); // records before the fault are kept
    }

    [Fact]
    public void A_record_at_CloudTrails_256_KB_cap_is_within_the_default_limit()
    {
        var pad = new string('x', 256 * 1024);
        var record = Kms("e0").Replace("\"requestID\":\"r1\"", $"\"requestID\":\"r1\",\"pad\":\"{pad}\"", StringComparison.Ordinal);
        var (r, events) = Read(Utf8(Log(record)));
        Assert.Null(r.Error);
        Assert.Single(events);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void Deep_nesting_is_refused_with_the_depth_and_record_index(int depth)
    {
        var nested = new string('[', depth) + new string(']', depth);
        var record = "{\"eventSource\":\"kms.amazonaws.com\",\"x\":" + nested + "}";
        var (r, events) = Read(Utf8(Log(Kms("e0"), record, Kms("e2"))));
        Assert.NotNull(r.Error);
        Assert.Contains("depth", r.Error);
        Assert.Contains("record 1", r.Error);
        Assert.Equal(["e0"], events.Select(e => e.EventId));
    }

    [Fact]
    public void Too_many_records_in_one_object_stop_at_the_configured_limit()
    {
        var limits = new TrailReaderLimits { MaxRecordsPerObject = 3 };
        var (r, events) = Read(Utf8(Log(Kms("e0"), Kms("e1"), Kms("e2"), Kms("e3"), Kms("e4"))), limits);
        Assert.NotNull(r.Error);
        Assert.Contains("more than 3 records in one object", r.Error);
        Assert.Equal(["e0", "e1", "e2"], events.Select(e => e.EventId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void Empty_and_blank_files_are_errors_that_say_so(string content)
    {
        var (r, events) = Read(Utf8(content));
        Assert.NotNull(r.Error);
        Assert.Matches("empty|truncated", r.Error);
        Assert.Empty(events);
    }

    [Fact]
    public void An_empty_gzip_member_is_an_error_not_a_crash()
    {
        var (r, _) = Read(Gzip([]));
        Assert.NotNull(r.Error);
    }

    [Theory]
    [InlineData("{\"Records\":{}}")]
    [InlineData("{\"Records\":\"[]\"}")]
    [InlineData("{\"Records\":42}")]
    [InlineData("{\"Records\":null}")]
    public void Records_that_is_not_an_array_is_named(string json)
    {
        var (r, _) = Read(Utf8(json));
        Assert.Equal("\"Records\" is not an array", r.Error);
    }

    [Theory]
    [InlineData("[1,2,3]", TrailFileKind.NotCloudTrail)]
    [InlineData("{}", TrailFileKind.NotCloudTrail)]
    [InlineData("\"Records\"", TrailFileKind.NotCloudTrail)]
    [InlineData("{\"digestStartTime\":\"x\"}", TrailFileKind.Digest)]
    public void Json_that_is_not_a_trail_is_classified_not_failed(string json, TrailFileKind kind)
    {
        var (r, _) = Read(Utf8(json));
        Assert.Null(r.Error);
        Assert.Equal(kind, r.Kind);
    }

    [Fact]
    public void Non_object_records_are_reported_each_with_its_index_and_the_rest_are_read()
    {
        var (r, events) = Read(Utf8(Log(Kms("e0"), "42", "\"x\"", "null", "[]", Kms("e5"))));
        Assert.Null(r.Error);
        Assert.Equal(6, r.RecordsRead);
        Assert.Equal([1L, 2, 3, 4], r.RecordErrors.Select(e => e.RecordIndex));
        Assert.Equal(["e0", "e5"], events.Select(e => e.EventId));
    }

    /// <summary>Endless <c>{},</c> records after <c>{"Records":[</c>, generated as pulled.</summary>
    private sealed class RepeatingRecordsStream(long total) : Stream
    {
        private static readonly byte[] Head = "{\"Records\":["u8.ToArray();
        public long Produced { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (Produced >= total) return 0;
            int n = 0;
            while (n < buffer.Length && Produced < total)
            {
                buffer[n++] = Produced < Head.Length ? Head[Produced] : ((Produced - Head.Length) % 3) switch { 0 => (byte)'{', 1 => (byte)'}', _ => (byte)',' };
                Produced++;
            }
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
