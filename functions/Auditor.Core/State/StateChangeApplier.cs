using Auditor.Core.Grants;
using Auditor.Core.Trail;

namespace Auditor.Core.State;

/// <summary>
/// Applies the KMS calls that change a key's state — policies, grants, aliases, enablement, deletion —
/// to the <see cref="AuditState"/> at their event time. Failed calls change nothing. Applying the same
/// event twice is a no-op.
/// </summary>
public static class StateChangeApplier
{
    private static readonly HashSet<string> ChangingEvents = new(StringComparer.Ordinal)
    {
        "CreateKey", "PutKeyPolicy", "CreateGrant", "RetireGrant", "RevokeGrant", "DisableKey", "EnableKey",
        "ScheduleKeyDeletion", "CancelKeyDeletion", "ImportKeyMaterial", "DeleteImportedKeyMaterial",
        "CreateAlias", "UpdateAlias", "DeleteAlias", "ReplicateKey",
    };

    public static bool ChangesState(KmsEvent e) => e.Succeeded && ChangingEvents.Contains(e.EventName);

    /// <summary>Grant and policy changes can change how earlier-judged calls are explained.</summary>
    public static bool AffectsAuthorization(KmsEvent e) =>
        e.Succeeded && e.EventName is "PutKeyPolicy" or "CreateGrant" or "RetireGrant" or "RevokeGrant" or "CreateKey";

    /// <summary>Applies <paramref name="e"/>; returns the key it changed, if any.</summary>
    public static KeyState? Apply(AuditState state, KmsEvent e)
    {
        if (!ChangesState(e)) return null;
        switch (e.EventName)
        {
            case "CreateAlias":
            case "UpdateAlias":
            case "DeleteAlias":
                ApplyAlias(state, e);
                return null;
        }

        var keyArn = KeyResolver.Resolve(e, state.Aliases);
        if (keyArn is null || !Arns.IsKeyArn(keyArn)) return null;
        var key = state.Key(keyArn);
        if (!key.AppliedChanges.Add(e.EventId)) return key;
        var r = e.Request;
        switch (e.EventName)
        {
            case "CreateKey":
            case "ReplicateKey" when r.Policy is not null:
                if (r.Policy is { Length: > 0 } policy)
                    key.AddPolicy(new PolicyVersion(e.EventTime, policy, PolicySource.CreateKey, e.EventId));
                else if (key.AccountId is { } account)
                    key.AddPolicy(new PolicyVersion(e.EventTime, Policy.DefaultKeyPolicy.JsonFor(account), PolicySource.DefaultPolicy, e.EventId));
                if (e.EventName == "CreateKey")
                    key.AddStatus(new KeyStatusChange(e.EventTime, string.Equals(r.Origin, "EXTERNAL", StringComparison.Ordinal) ? KeyStatus.PendingImport : KeyStatus.Enabled, e.EventId));
                break;
            case "PutKeyPolicy" when r.Policy is { Length: > 0 } newPolicy:
                key.AddPolicy(new PolicyVersion(e.EventTime, newPolicy, PolicySource.PutKeyPolicy, e.EventId));
                break;
            case "CreateGrant" when r.GrantId is { } grantId:
                var g = key.Grant(grantId);
                g.Grant = new Grant
                {
                    GrantId = grantId,
                    KeyId = keyArn,
                    GranteePrincipal = r.GranteePrincipal,
                    RetiringPrincipal = r.RetiringPrincipal,
                    Operations = r.Operations ?? [],
                    Constraints = r.ConstraintEncryptionContextSubset is null && r.ConstraintEncryptionContextEquals is null ? null
                        : new GrantConstraints { EncryptionContextSubset = r.ConstraintEncryptionContextSubset, EncryptionContextEquals = r.ConstraintEncryptionContextEquals },
                    Name = r.GrantName,
                    IssuingAccount = e.UserIdentity.AccountId is { } acct ? $"arn:aws:iam::{acct}:root" : null,
                    CreationDate = e.EventTime,
                };
                g.CreatedAt = e.EventTime;
                g.CreatedEventId = e.EventId;
                g.CreatedBy = PrincipalNames.Display(e.UserIdentity);
                break;
            case "RetireGrant" or "RevokeGrant" when r.GrantId is { } endedId:
                var ended = key.Grant(endedId);
                // The earliest end wins: a grant cannot be used again after its first retirement.
                if (ended.EndedAt is null || e.EventTime < ended.EndedAt)
                {
                    ended.EndedAt = e.EventTime;
                    ended.End = e.EventName == "RetireGrant" ? GrantEnd.Retired : GrantEnd.Revoked;
                    ended.EndedEventId = e.EventId;
                    ended.EndedBy = PrincipalNames.Display(e.UserIdentity);
                }
                break;
            case "DisableKey":
                key.AddStatus(new KeyStatusChange(e.EventTime, KeyStatus.Disabled, e.EventId));
                break;
            case "EnableKey":
            case "ImportKeyMaterial":
                key.AddStatus(new KeyStatusChange(e.EventTime, KeyStatus.Enabled, e.EventId));
                break;
            case "ScheduleKeyDeletion":
                key.AddStatus(new KeyStatusChange(e.EventTime, KeyStatus.PendingDeletion, e.EventId));
                break;
            case "CancelKeyDeletion":
                // KMS leaves a key Disabled after its deletion is cancelled.
                key.AddStatus(new KeyStatusChange(e.EventTime, KeyStatus.Disabled, e.EventId));
                break;
            case "DeleteImportedKeyMaterial":
                key.AddStatus(new KeyStatusChange(e.EventTime, KeyStatus.PendingImport, e.EventId));
                break;
        }
        return key;
    }

    private static void ApplyAlias(AuditState state, KmsEvent e)
    {
        var r = e.Request;
        if (r.AliasName is null) return;
        string account = Arns.Account(r.AliasName) ?? e.RecipientAccountId ?? e.UserIdentity.AccountId ?? "";
        string region = Arns.Region(r.AliasName) ?? e.AwsRegion ?? "";
        string? target = e.EventName == "DeleteAlias" ? null
            : r.TargetKeyId is { } t ? KeyResolver.Complete(t, e, state.Aliases)
            : KeyResolver.Resolve(e, state.Aliases);
        state.Aliases.Set(account, region, r.AliasName, e.EventTime, target, e.EventId);
    }
}
