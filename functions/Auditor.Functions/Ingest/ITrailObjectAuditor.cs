namespace Auditor.Functions.Ingest;

/// <summary>The work <c>ingest</c> does for one CloudTrail log object: read it, judge its KMS events, write its findings.</summary>
public interface ITrailObjectAuditor
{
    /// <summary>Audits one object. Failures are returned in the result, not thrown (cancellation excepted).</summary>
    Task<ObjectAuditResult> AuditAsync(string bucket, string key, CancellationToken cancellationToken);
}

/// <summary>What happened to one object.</summary>
public sealed record ObjectAuditResult
{
    public required string Bucket { get; init; }
    public required string Key { get; init; }
    /// <summary>Why the object could not be audited (missing, forbidden, corrupt, deadline); null on success.</summary>
    public string? Error { get; init; }
    /// <summary>Why the object was skipped without error (a digest file, not a CloudTrail log).</summary>
    public string? Skipped { get; init; }
    /// <summary>Every CloudTrail record read.</summary>
    public long EventsRead { get; init; }
    public long KmsEvents { get; init; }
    /// <summary>Records that could not be used (the rest of the object was).</summary>
    public int RecordErrors { get; init; }
    public int Findings { get; init; }
    /// <summary>Findings per severity (<c>info</c> … <c>critical</c>).</summary>
    public IReadOnlyDictionary<string, int> FindingsBySeverity { get; init; } = new Dictionary<string, int>();
    /// <summary>Where the findings were written, <c>s3://bucket/key</c>.</summary>
    public string? FindingsObject { get; init; }
    public double LatencyMs { get; init; }

    public bool Succeeded => Error is null;
}
