using System.IO.Compression;

namespace Auditor.Fuzz.Tests;

/// <summary>
/// A read-only stream that generates its bytes on the fly — a prefix, then <c>fillBytes</c> copies of one byte, then a
/// suffix — optionally gzip-compressed as it goes. Gigabytes of hostile input can be fed to a reader without
/// ever existing in memory or on disk; <see cref="UncompressedProduced"/> tells how far the reader pulled.
/// </summary>
public sealed class GeneratedStream : Stream
{
    private readonly byte[] _prefix, _suffix;
    private readonly long _fill;
    private readonly byte _fillByte;
    private readonly bool _gzip;
    private readonly MemoryStream _out = new();
    private readonly GZipStream? _compressor;
    private long _produced;
    private int _outPos;
    private bool _finished;
    private readonly byte[] _chunk = new byte[1 << 20];

    public GeneratedStream(byte[] prefix, long fillBytes, byte fillByte, byte[] suffix, bool gzip)
    {
        _prefix = prefix; _fill = fillBytes; _fillByte = fillByte; _suffix = suffix; _gzip = gzip;
        if (gzip) _compressor = new GZipStream(_out, CompressionLevel.Fastest, leaveOpen: true);
        Array.Fill(_chunk, fillByte);
    }

    /// <summary>Uncompressed bytes generated so far (what the reader has pulled, give or take one chunk).</summary>
    public long UncompressedProduced => _produced;

    public long TotalUncompressed => _prefix.Length + _fill + _suffix.Length;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_outPos >= _out.Length)
        {
            if (_finished) return 0;
            _out.SetLength(0);
            _outPos = 0;
            Produce();
        }
        int n = (int)Math.Min(buffer.Length, _out.Length - _outPos);
        _out.GetBuffer().AsSpan(_outPos, n).CopyTo(buffer);
        _outPos += n;
        return n;
    }

    /// <summary>Generates the next piece of uncompressed data into <see cref="_out"/> (through the compressor when gzipping).</summary>
    private void Produce()
    {
        long total = TotalUncompressed;
        if (_produced >= total)
        {
            _compressor?.Dispose();
            _finished = true;
            _out.Position = 0;
            return;
        }
        ReadOnlySpan<byte> piece;
        if (_produced < _prefix.Length) piece = _prefix.AsSpan((int)_produced);
        else if (_produced < _prefix.Length + _fill) piece = _chunk.AsSpan(0, (int)Math.Min(_chunk.Length, _prefix.Length + _fill - _produced));
        else piece = _suffix.AsSpan((int)(_produced - _prefix.Length - _fill));
        _produced += piece.Length;
        if (_compressor is null) _out.Write(piece);
        else
        {
            _compressor.Write(piece);
            _compressor.Flush();
        }
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
