namespace Auditor.Core.Reporting;

/// <summary>A grant as the report shows it: who it is for, what it allows, and when it lived.</summary>
public sealed record GrantLifetime
{
    public required string GrantId { get; init; }
    public string? Name { get; init; }
    public string? Grantee { get; init; }
    public string? RetiringPrincipal { get; init; }
    public IReadOnlyList<string> Operations { get; init; } = [];
    /// <summary>Constraints in words (<c>EncryptionContextSubset {k=v}</c>), or null when unconstrained.</summary>
    public string? Constraints { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndedBy { get; init; }
    /// <summary><c>active</c>, <c>retired</c> or <c>revoked</c> at the end of the period.</summary>
    public required string Status { get; init; }
    /// <summary>From creation to retirement (or to the end of the period when still active); null when a bound is unknown.</summary>
    public TimeSpan? Lifetime { get; init; }
}
