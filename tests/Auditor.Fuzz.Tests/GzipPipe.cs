using System.IO.Compression;

namespace Auditor.Fuzz.Tests;

/// <summary>Compresses another stream as it is read: a gzip view of generated data, built one chunk at a time.</summary>
public sealed class GzipPipe(Stream source) : Stream
{
    private readonly MemoryStream _out = new();
    private GZipStream? _gzip;
    private readonly byte[] _chunk = new byte[1 << 20];
    private int _pos;
    private bool _done;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        _gzip ??= new GZipStream(_out, CompressionLevel.Fastest, leaveOpen: true);
        while (_pos >= _out.Length)
        {
            if (_done) return 0;
            _out.SetLength(0);
            _pos = 0;
            int n = source.Read(_chunk);
            if (n == 0) { _gzip.Dispose(); _done = true; continue; }
            _gzip.Write(_chunk, 0, n);
            _gzip.Flush();
        }
        int k = (int)Math.Min(buffer.Length, _out.Length - _pos);
        _out.GetBuffer().AsSpan(_pos, k).CopyTo(buffer);
        _pos += k;
        return k;
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
