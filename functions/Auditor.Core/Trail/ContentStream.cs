using System.IO.Compression;

namespace Auditor.Core.Trail;

/// <summary>Opens a log object's content: gzip is recognised by its magic bytes (<c>1f 8b</c>), whatever the object is called.</summary>
public static class ContentStream
{
    /// <summary>The decoded content of <paramref name="input"/>; throws <see cref="TrailFormatException"/> for an empty input.</summary>
    public static Stream Open(Stream input)
    {
        var head = new byte[2];
        int got = 0;
        while (got < 2)
        {
            int n = input.Read(head, got, 2 - got);
            if (n == 0) break;
            got += n;
        }
        if (got == 0) throw new TrailFormatException("empty file (0 bytes)");
        var replay = new PrefixedStream(head, got, input);
        return got == 2 && head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(replay, CompressionMode.Decompress) : replay;
    }
}
