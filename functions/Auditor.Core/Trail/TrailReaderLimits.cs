namespace Auditor.Core.Trail;

/// <summary>
/// Bounds on untrusted input. Every log object is attacker-reachable (anyone who can write to the
/// trail bucket), so each bound stops a file early with a clear reason instead of exhausting memory.
/// </summary>
public sealed record TrailReaderLimits
{
    /// <summary>Decompressed bytes per object. CloudTrail objects are tens of MB at most; a bomb is stopped here.</summary>
    public long MaxDecompressedBytes { get; init; } = 4L * 1024 * 1024 * 1024;
    /// <summary>One record. CloudTrail caps events at 256 KB; the margin covers escaping and pretty-printing.</summary>
    public int MaxRecordBytes { get; init; } = 1024 * 1024;
    /// <summary>JSON nesting depth.</summary>
    public int MaxDepth { get; init; } = 64;
    /// <summary>Records in one object.</summary>
    public long MaxRecordsPerObject { get; init; } = 10_000_000;

    public static readonly TrailReaderLimits Default = new();
}
