namespace Auditor.Core.Inventory;

/// <summary>A <c>ListAliases</c> entry pointing at a key.</summary>
public sealed record InventoryAlias
{
    /// <summary><c>alias/NAME</c>.</summary>
    public required string AliasName { get; init; }
    public string? AliasArn { get; init; }
    /// <summary>The key id (not ARN) the alias points at, as ListAliases gives it.</summary>
    public string? TargetKeyId { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    public DateTimeOffset? LastUpdatedDate { get; init; }
}

/// <summary>A <c>ListResourceTags</c> entry.</summary>
public sealed record InventoryTag(string TagKey, string TagValue);

/// <summary>
/// <c>GetKeyLastUsage</c>'s answer: the last successful cryptographic operation KMS recorded for the key since
/// <see cref="TrackingStartDate"/> — a cross-check for the last use seen in trails. All operation fields are null when
/// the key has not been used since tracking began.
/// </summary>
public sealed record KeyLastUsage
{
    public DateTimeOffset? TrackingStartDate { get; init; }
    public string? Operation { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? CloudTrailEventId { get; init; }
    public string? KmsRequestId { get; init; }
}
