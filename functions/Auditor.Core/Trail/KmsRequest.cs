namespace Auditor.Core.Trail;

/// <summary>
/// The parts of <c>requestParameters</c>, <c>responseElements</c> and <c>additionalEventData</c> of a
/// KMS record that evaluation and rules read. Kept typed and small on purpose: a replay may hold
/// millions of these, so the raw JSON is not retained.
/// </summary>
public sealed record KmsRequest
{
    public static readonly KmsRequest Empty = new();

    /// <summary><c>requestParameters.keyId</c>: a key id, key ARN, alias name or alias ARN.</summary>
    public string? KeyId { get; init; }
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }
    public string? EncryptionAlgorithm { get; init; }
    /// <summary>ReEncrypt: the source and destination keys and the destination context.</summary>
    public string? SourceKeyId { get; init; }
    public string? DestinationKeyId { get; init; }
    public IReadOnlyDictionary<string, string>? SourceEncryptionContext { get; init; }
    public IReadOnlyDictionary<string, string>? DestinationEncryptionContext { get; init; }

    // Grants (CreateGrant, RetireGrant, RevokeGrant).
    public string? GranteePrincipal { get; init; }
    public string? RetiringPrincipal { get; init; }
    public IReadOnlyList<string>? Operations { get; init; }
    public IReadOnlyDictionary<string, string>? ConstraintEncryptionContextSubset { get; init; }
    public IReadOnlyDictionary<string, string>? ConstraintEncryptionContextEquals { get; init; }
    public string? GrantName { get; init; }
    /// <summary>The grant id from <c>requestParameters</c>, <c>responseElements</c> or <c>additionalEventData</c>.</summary>
    public string? GrantId { get; init; }
    public string? GrantToken { get; init; }

    // Key policy (CreateKey, PutKeyPolicy).
    public string? Policy { get; init; }
    public string? PolicyName { get; init; }
    public bool? BypassPolicyLockoutSafetyCheck { get; init; }

    // Aliases.
    public string? AliasName { get; init; }
    public string? TargetKeyId { get; init; }

    // Key lifecycle.
    public int? PendingWindowInDays { get; init; }
    public DateTimeOffset? DeletionDate { get; init; }
    public string? KeySpec { get; init; }
    public string? KeyUsage { get; init; }
    public string? Origin { get; init; }
    public bool? MultiRegion { get; init; }
    public bool? DryRun { get; init; }

    /// <summary>The key created by CreateKey (<c>responseElements.keyMetadata</c>).</summary>
    public string? CreatedKeyId { get; init; }
    public string? CreatedKeyArn { get; init; }
    /// <summary><c>responseElements.keyId</c> (ARN) where the service writes one.</summary>
    public string? ResponseKeyId { get; init; }
    public string? KeyMaterialId { get; init; }
}
