namespace Auditor.Core.Grants;

/// <summary>A KMS grant, in the shape of a <c>ListGrants</c> entry.</summary>
public sealed record Grant
{
    public required string GrantId { get; init; }
    /// <summary>The key ARN (or id, when no ARN could be derived).</summary>
    public required string KeyId { get; init; }
    public string? GranteePrincipal { get; init; }
    public string? RetiringPrincipal { get; init; }
    public IReadOnlyList<string> Operations { get; init; } = [];
    public GrantConstraints? Constraints { get; init; }
    public string? Name { get; init; }
    public string? IssuingAccount { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
}

/// <summary>Grant constraints; both compare the request's encryption context case-sensitively.</summary>
public sealed record GrantConstraints
{
    public IReadOnlyDictionary<string, string>? EncryptionContextSubset { get; init; }
    public IReadOnlyDictionary<string, string>? EncryptionContextEquals { get; init; }
}
