namespace Auditor.Core.Trail;

/// <summary>
/// A read-only view of a stream that refuses to yield more than a fixed number of bytes. It sits after
/// decompression so a gzip bomb is stopped as soon as it crosses the bound, never allocated.
/// </summary>
internal sealed class BoundedStream(Stream inner, long limit) : Stream
{
    public long Position64 { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        Position64 += n;
        if (Position64 > limit)
            throw new TrailFormatException($"decompressed size exceeds the limit of {limit:N0} bytes (possible decompression bomb)");
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Position64; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
