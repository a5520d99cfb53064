namespace Auditor.Core.Trail;

/// <summary>What a file turned out to be.</summary>
public enum TrailFileKind
{
    /// <summary>A CloudTrail log object (<c>{"Records":[...]}</c>) or a single documented record.</summary>
    Log,
    /// <summary>A CloudTrail digest file: skipped, counted.</summary>
    Digest,
    /// <summary>Valid JSON that is not a CloudTrail log: skipped, counted.</summary>
    NotCloudTrail,
}

/// <summary>A record that could not be used, with where it was and why.</summary>
public sealed record RecordError(long RecordIndex, string Reason);

/// <summary>The outcome of reading one file or object.</summary>
public sealed record TrailReadResult
{
    public required string Source { get; init; }
    public TrailFileKind Kind { get; init; }
    /// <summary>Every record read, KMS or not.</summary>
    public long RecordsRead { get; init; }
    public long KmsRecords { get; init; }
    /// <summary>Uncompressed bytes read.</summary>
    public long BytesRead { get; init; }
    public IReadOnlyList<RecordError> RecordErrors { get; init; } = [];
    /// <summary>Why the file could not be read to its end (records before the fault were still delivered).</summary>
    public string? Error { get; init; }
    public bool Failed => Error is not null || RecordErrors.Count > 0;
}
