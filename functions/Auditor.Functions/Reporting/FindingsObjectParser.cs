using System.IO.Compression;
using Auditor.Core.Findings;
using Auditor.Core.Reporting;

namespace Auditor.Functions.Reporting;

/// <summary>
/// Reads one findings object: JSON lines (CONTRACT section 3), plain or gzip (told by the magic bytes, not the
/// name; one gzip member, as ingest writes). A malformed line is an error naming <c>s3://bucket/key:LINE</c> and is skipped; a corrupt or truncated
/// gzip keeps the findings of the lines before the fault and is an error naming the object. Content is held in
/// memory (up to <see cref="MaxBytes"/> uncompressed) so that a fault mid-way still leaves what was read.
/// </summary>
public static class FindingsObjectParser
{
    /// <summary>Above this, an object is not read: ingest writes one object per log object, far smaller than this.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>The findings read and the problems met; never throws for bad content.</summary>
    public static (List<Finding> Findings, List<FileError> Errors) Read(Stream content, string source)
    {
        var errors = new List<FileError>();
        var raw = new MemoryStream();
        if (!CopyBounded(content, raw, source, errors, "")) return ([], errors);
        raw.Position = 0;

        MemoryStream text = raw;
        if (raw.Length >= 2 && raw.GetBuffer()[0] == 0x1f && raw.GetBuffer()[1] == 0x8b)
        {
            text = new MemoryStream();
            try
            {
                using var gzip = new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true);
                if (!CopyBounded(gzip, text, source, errors, " uncompressed")) return ([], errors);
            }
            catch (InvalidDataException e)
            {
                errors.Add(new FileError(source, $"gzip data is corrupt after {text.Length:N0} bytes ({e.Message}); the complete lines before the fault were read"));
            }
            // GZipStream ends quietly on a truncated body, so the trailer is checked: its last four bytes are the
            // uncompressed size mod 2^32 (ingest writes one gzip member; a cut object's tail is compressed data).
            if (errors.Count == 0 && TrailerSize(raw) is { } expected && expected != (uint)text.Length)
                errors.Add(new FileError(source, $"gzip data is truncated: the trailer says {expected:N0} bytes uncompressed, {text.Length:N0} were read; the complete lines before the cut were read"));
            text.Position = 0;
        }

        var (findings, lineErrors) = ReplayOutputReader.ReadFindings(text, source);
        errors.AddRange(lineErrors);
        return (findings, errors);
    }

    private static uint? TrailerSize(MemoryStream raw) =>
        raw.Length < 18 ? null : System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(raw.GetBuffer().AsSpan((int)raw.Length - 4, 4));

    private static bool CopyBounded(Stream from, MemoryStream to, string source, List<FileError> errors, string what)
    {
        var buffer = new byte[81920];
        int n;
        while ((n = from.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (to.Length + n > MaxBytes)
            {
                errors.Add(new FileError(source, $"larger than {MaxBytes / (1024 * 1024)} MiB{what}; not read (a findings object is never this large: is it one?)"));
                return false;
            }
            to.Write(buffer, 0, n);
        }
        return true;
    }
}
