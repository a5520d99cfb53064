namespace Auditor.Core.Reporting;

/// <summary>The outcome of checking one log file against the CloudTrail digests given.</summary>
public enum IntegrityStatus
{
    /// <summary>A digest lists the file and its SHA-256 matches.</summary>
    Matched,
    /// <summary>A digest lists the file and its SHA-256 differs: the file changed after CloudTrail delivered it.</summary>
    Mismatched,
    /// <summary>No digest given lists the file.</summary>
    NotCovered,
}

/// <summary>One log file's integrity result.</summary>
public sealed record LogFileCheck(string File, IntegrityStatus Status, string ActualSha256, string? ExpectedSha256, string? DigestFile);

/// <summary>
/// CloudTrail log-file integrity over the files a report read: each checked against the hash its digest
/// file lists. Only the hashes are checked; the digest files' own RSA signatures are not (see <see cref="SignatureNote"/>).
/// </summary>
public sealed record LogFileIntegrityReport
{
    public const string SignatureNote =
        "Hashes only: each log file was compared with the SHA-256 its digest file lists. The digest files' " +
        "SHA256withRSA signatures and the chain of previous-digest signatures were not verified: that needs the " +
        "public keys from the CloudTrail ListPublicKeys API (or `aws cloudtrail validate-logs`), which an offline run does not have.";

    public required int DigestFiles { get; init; }
    public required IReadOnlyList<LogFileCheck> Files { get; init; }
    /// <summary>Log objects some digest lists that were not among the files read (deleted, or simply not copied).</summary>
    public required IReadOnlyList<string> ListedNotRead { get; init; }
    public required IReadOnlyList<FileError> DigestErrors { get; init; }

    public int Matched => Files.Count(f => f.Status == IntegrityStatus.Matched);
    public int Mismatched => Files.Count(f => f.Status == IntegrityStatus.Mismatched);
    public int NotCovered => Files.Count(f => f.Status == IntegrityStatus.NotCovered);
}
