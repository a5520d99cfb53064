using Auditor.Core.Inventory;

namespace Auditor.Core.State;

/// <summary>
/// Seeds the key state from an inventory snapshot (CONTRACT section 4): each key's policy, state, grants
/// and aliases as they were at <c>capturedAt</c>. Trail events after that moment update the state as usual;
/// a snapshot that is the earliest knowledge of a policy or alias also stands for the time before it
/// (see <see cref="KeyState.PolicyAt"/>). Applying the same snapshot twice changes nothing.
/// </summary>
public static class InventoryApplier
{
    public static void Apply(AuditState state, InventorySnapshot snapshot)
    {
        var at = snapshot.CapturedAt;
        foreach (var k in snapshot.Keys)
        {
            if (string.IsNullOrEmpty(k.KeyArn)) continue;
            var key = state.Key(k.KeyArn);
            key.AwsManaged |= k.IsAwsManaged;
            if (k.Policy is { Length: > 0 } policy && !key.Policies.Exists(p => p.Source == PolicySource.Inventory && p.EffectiveAt == at && p.PolicyJson == policy))
                key.AddPolicy(new PolicyVersion(at, policy, PolicySource.Inventory, null));
            if (Status(k.Metadata.KeyState) is { } status && !key.Statuses.Exists(s => s.At == at && s.EventId is null))
                key.AddStatus(new KeyStatusChange(at, status, null));
            foreach (var g in k.Grants)
            {
                var record = key.Grant(g.GrantId);
                if (record.Grant is not null) continue; // the trail's CreateGrant knows more (who, which event)
                record.Grant = g with { KeyId = k.KeyArn };
                // ListGrants gives the creation date; without it the grant is taken as existing all along.
                record.CreatedAt = g.CreationDate;
                record.CreatedBy = g.IssuingAccount;
            }
            foreach (var a in k.Aliases)
            {
                var since = a.LastUpdatedDate ?? a.CreationDate;
                state.Aliases.Set(k.AccountId, k.Region, a.AliasName, since ?? at, k.KeyArn, null, fromInventory: since is null);
            }
        }
    }

    private static KeyStatus? Status(string? keyState) => keyState switch
    {
        "Enabled" => KeyStatus.Enabled,
        "Disabled" => KeyStatus.Disabled,
        "PendingDeletion" or "PendingReplicaDeletion" => KeyStatus.PendingDeletion,
        "PendingImport" => KeyStatus.PendingImport,
        "Unavailable" => KeyStatus.Unavailable,
        _ => null,
    };
}
