using Auditor.Core.Grants;

namespace Auditor.Core.Inventory;

/// <summary>
/// One KMS key as the API describes it: <c>DescribeKey</c>'s KeyMetadata, the <c>default</c> key policy as
/// <c>GetKeyPolicy</c> returns it, <c>ListGrants</c> entries and <c>ListAliases</c> entries, plus what else the
/// collector could read (rotation, tags, last usage) and why anything could not be read.
/// </summary>
public sealed record InventoryKey
{
    public required KmsKeyMetadata Metadata { get; init; }

    /// <summary>The key policy document, exactly the string <c>GetKeyPolicy</c> returns; null when it could not be
    /// read (then the policy is unknown, which is not the same as empty).</summary>
    public string? Policy { get; init; }

    /// <summary>The <c>ListGrants</c> entries, with the fields the core's <see cref="Grant"/> does not carry.</summary>
    public IReadOnlyList<InventoryGrant> GrantEntries { get; init; } = [];

    public IReadOnlyList<InventoryAlias> Aliases { get; init; } = [];

    /// <summary>Why part of this key could not be read (for example <c>GetKeyPolicy: AccessDeniedException: ...</c>);
    /// null when everything asked for was read.</summary>
    public string? Error { get; init; }

    /// <summary><c>GetKeyRotationStatus</c>'s KeyRotationEnabled; null when not asked (AWS-managed or asymmetric
    /// keys) or not readable.</summary>
    public bool? RotationEnabled { get; init; }

    /// <summary><c>ListResourceTags</c> entries; null when not read.</summary>
    public IReadOnlyList<InventoryTag>? Tags { get; init; }

    /// <summary><c>GetKeyLastUsage</c>'s answer; null where the service does not offer it.</summary>
    public KeyLastUsage? LastUsage { get; init; }

    /// <summary>The grants as the core models them.</summary>
    public IReadOnlyList<Grant> Grants => GrantEntries.Select(entry => entry.Grant).ToArray();

    /// <summary>The key ARN (<c>arn:PARTITION:kms:REGION:ACCOUNT:key/ID</c>).</summary>
    public string KeyArn => Metadata.Arn;

    /// <summary>The owning account: <c>AWSAccountId</c>, else the ARN's account field.</summary>
    public string AccountId => Metadata.AWSAccountId ?? ArnField(Metadata.Arn, 4) ?? "";

    /// <summary>The key's region, from its ARN.</summary>
    public string Region => ArnField(Metadata.Arn, 3) ?? "";

    /// <summary>True for keys AWS services create and manage (<c>KeyManager</c> <c>AWS</c>).</summary>
    public bool IsAwsManaged => string.Equals(Metadata.KeyManager, "AWS", StringComparison.Ordinal);

    private static string? ArnField(string arn, int index)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[index].Length > 0 ? parts[index] : null;
    }
}
