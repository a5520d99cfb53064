using System.IO.Compression;
using System.Security.Cryptography;

namespace Auditor.Core.Reporting;

/// <summary>
/// The hash CloudTrail puts in a digest for a log file: SHA-256 over the log file's content, that is
/// over the uncompressed JSON (CloudTrail stores objects gzipped; `aws cloudtrail validate-logs`
/// inflates each object before hashing). Hashing the decoded content also lets a copy someone gunzipped
/// still be checked.
/// </summary>
public static class LogFileHasher
{
    public static string Sha256OfContent(Stream input)
    {
        using var content = Decoded(input);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = content.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, n);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The stream's content, inflated when it starts with the gzip magic bytes.</summary>
    public static Stream Decoded(Stream input)
    {
        var buffered = new BufferedStream(input, 1 << 16);
        int got = 0;
        // BufferedStream cannot seek back on a non-seekable stream, so peek by filling the buffer first.
        var peek = new byte[2];
        while (got < 2)
        {
            int n = buffered.Read(peek, got, 2 - got);
            if (n == 0) break;
            got += n;
        }
        var replay = new ConcatStream(peek.AsMemory(0, got), buffered);
        return got == 2 && peek[0] == 0x1f && peek[1] == 0x8b ? new GZipStream(replay, CompressionMode.Decompress) : replay;
    }

    /// <summary>A few already-read bytes, then the rest of the stream.</summary>
    private sealed class ConcatStream(ReadOnlyMemory<byte> head, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _head = head;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (_head.Length > 0)
            {
                int n = Math.Min(buffer.Length, _head.Length);
                _head.Span[..n].CopyTo(buffer);
                _head = _head[n..];
                return n;
            }
            return rest.Read(buffer);
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
