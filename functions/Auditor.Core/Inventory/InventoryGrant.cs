using Auditor.Core.Grants;

namespace Auditor.Core.Inventory;

/// <summary>
/// A <c>ListGrants</c> entry: the core's <see cref="Grants.Grant"/> plus the newer fields it does not model yet, kept
/// so a snapshot round-trips and so no constraint is silently lost (a <c>SourceArn</c> constraint narrows a grant).
/// </summary>
public sealed record InventoryGrant
{
    public required Grant Grant { get; init; }

    /// <summary>Set when the grant was created with <c>GranteeServicePrincipal</c> (the grantee is an AWS service).</summary>
    public string? GranteeServicePrincipal { get; init; }

    /// <summary>Set when the grant was created with <c>RetiringServicePrincipal</c>.</summary>
    public string? RetiringServicePrincipal { get; init; }

    /// <summary>The grant's <c>Constraints.SourceArn</c>: the grant only applies to requests from that resource.</summary>
    public string? SourceArnConstraint { get; init; }
}
