namespace Auditor.Core.Trail;

/// <summary>
/// A read-only view of a stream that refuses to yield more than a fixed number of bytes. It sits after
/// decompression so a gzip bomb is stopped as soon as it crosses the bound, never allocated.
/// </summary>
internal sealed class BoundedStream(Stream inner, long limit) : ReadOnlyStream(inner)
{
    public long Position64 { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        int n = Inner.Read(buffer);
        Position64 += n;
        if (Position64 > limit)
            throw new TrailFormatException($"decompressed size exceeds the limit of {limit:N0} bytes (possible decompression bomb)");
        return n;
    }
}
