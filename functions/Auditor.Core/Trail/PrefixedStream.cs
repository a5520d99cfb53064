namespace Auditor.Core.Trail;

/// <summary>
/// Replays a few bytes already read (the magic-number peek) before the rest of a non-seekable
/// stream such as stdin or an S3 response body.
/// </summary>
internal sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream inner) : ReadOnlyStream(inner)
{
    private int _pos;

    public override int Read(Span<byte> buffer)
    {
        if (_pos < prefixLength)
        {
            int n = Math.Min(buffer.Length, prefixLength - _pos);
            prefix.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }
        return Inner.Read(buffer);
    }
}
