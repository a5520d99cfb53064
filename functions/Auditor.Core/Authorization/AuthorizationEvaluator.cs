using Auditor.Core.Grants;
using Auditor.Core.Policy;

namespace Auditor.Core.Authorization;

/// <summary>
/// Combines the key policy, the active grants and (when known) the caller's IAM identity policies into
/// the decision KMS makes (KMS Developer Guide, "Troubleshooting key access" / "Determining access";
/// IAM User Guide, "Policy evaluation logic" and "Cross-account policy evaluation logic"):
/// <list type="number">
/// <item>a Deny in the key policy, or in an identity policy, decides (ExplicitDeny);</item>
/// <item>an Allow statement naming the caller allows (path key-policy) — for a caller in another account
/// its own account's IAM policies must allow too;</item>
/// <item>an active grant allows (path grant) — grants need no IAM policy, in any account;</item>
/// <item>an Allow to the caller's account delegates to IAM: with identity policies unknown the answer is
/// DelegatedToIam; known, they allow (Allow, iam-delegation) or not (ImplicitDeny); the root user needs
/// no IAM policy;</item>
/// <item>otherwise ImplicitDeny.</item>
/// </list>
/// Three-valued: a Deny that might apply (it depends on an unknown key) makes the result Undetermined
/// unless a determined Deny decides (an allow could be overridden; a denial could be explicit or implicit),
/// and an allow that might apply makes an otherwise implicit deny Undetermined; nothing that depends on an unknown is reported as
/// Allow or Deny. A determined Deny decides regardless.
/// An unknown key policy (null) is Undetermined/unknown even when a grant matches, because the unknown
/// policy could hold a Deny that overrides the grant.
/// Unknown identity policies (null) are assumed to hold no Deny: an auditor never sees them, and CloudTrail
/// records the outcome of the whole evaluation anyway (a call that succeeded was not denied).
/// </summary>
public static class AuthorizationEvaluator
{
    /// <summary>
    /// The only operations a principal of another account can perform on a key (KMS Developer Guide, "Allowing
    /// users in other accounts to use a KMS key": permissions for any other operation "have no effect").
    /// </summary>
    private static readonly HashSet<string> CrossAccountActions = new(StringComparer.OrdinalIgnoreCase)
    {
        "kms:CreateGrant", "kms:Decrypt", "kms:DeriveSharedSecret", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
        "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext",
        "kms:GenerateMac", "kms:GetKeyRotationStatus", "kms:GetPublicKey", "kms:ListGrants", "kms:ReEncryptFrom",
        "kms:ReEncryptTo", "kms:RetireGrant", "kms:RevokeGrant", "kms:Sign", "kms:Verify", "kms:VerifyMac",
    };

    public static AuthorizationResult Evaluate(PolicyDocument? keyPolicy, IReadOnlyList<Grant> activeGrants,
        IReadOnlyList<PolicyDocument>? identityPolicies, RequestContext request)
    {
        if (keyPolicy is null) return AuthorizationResult.PolicyUnknown;
        var kp = KeyPolicyEvaluator.Evaluate(keyPolicy, request);
        if (kp.Deny == Tri.True) return new(Decision.ExplicitDeny, AuthorizationPath.KeyPolicy, kp.DenyStatement?.Sid);

        // Identity policies: combined allow/deny across all of them.
        Tri iamAllow = Tri.False, iamDeny = Tri.False;
        if (identityPolicies is not null)
        {
            foreach (var ip in identityPolicies)
            {
                var r = KeyPolicyEvaluator.Evaluate(ip, request);
                iamDeny = TriLogic.Or(iamDeny, TriLogic.Or(r.Deny, Tri.False));
                iamAllow = TriLogic.Or(iamAllow, TriLogic.Or(r.DirectAllow, r.AccountAllow));
            }
            if (iamDeny == Tri.True) return new(Decision.ExplicitDeny, AuthorizationPath.IamDelegation);
        }
        Tri possibleDeny = TriLogic.Or(kp.Deny, iamDeny);

        var allow = DecideAllow(kp, activeGrants, identityPolicies, iamAllow, request);
        if (allow is { } a)
        {
            if (a.Decision is Decision.Allow or Decision.DelegatedToIam && possibleDeny != Tri.False)
                return new(Decision.Undetermined, AuthorizationPath.Unknown, a.StatementSid ?? kp.DenyStatement?.Sid, a.GrantId);
            return a;
        }
        // Denied either way, but whether explicitly or implicitly depends on the unknown: say so.
        if (possibleDeny != Tri.False) return new(Decision.Undetermined, AuthorizationPath.Unknown, kp.DenyStatement?.Sid);
        return new(Decision.ImplicitDeny, AuthorizationPath.None);
    }

    // Null when nothing allows; an Undetermined result when an allow depends on an unknown.
    private static AuthorizationResult? DecideAllow(KeyPolicyResult kp, IReadOnlyList<Grant> grants,
        IReadOnlyList<PolicyDocument>? identityPolicies, Tri iamAllow, RequestContext request)
    {
        var keyAccount = PrincipalArns.AccountSpanOfArn(request.Resource);
        string? callerAccount = PrincipalArns.AccountOf(request.Caller);
        bool isService = request.Caller.ServicePrincipal is not null && callerAccount is null;
        bool isRootUser = request.Caller.Arn is not null && request.Caller.Arn.EndsWith(":root", StringComparison.OrdinalIgnoreCase);
        // Cross-account: the caller's own IAM policies must allow as well (IAM cross-account evaluation).
        Tri crossAccount = isService ? Tri.False
            : keyAccount.IsEmpty || callerAccount is null ? Tri.Unknown
            : TriLogic.Of(!keyAccount.SequenceEqual(callerAccount));

        if (crossAccount == Tri.True && !CrossAccountActions.Contains(request.Action)) return null;

        // RetireGrant is authorized by the grant alone; kms:RetireGrant in a key policy is not effective
        // (KMS Developer Guide, "Retiring and revoking grants").
        if (request.Action.Equals("kms:RetireGrant", StringComparison.OrdinalIgnoreCase))
        {
            var retire = DecideRetire(grants, request, keyAccount.IsEmpty ? null : keyAccount.ToString(), identityPolicies);
            return retire.Decision == Decision.ImplicitDeny ? null : retire;
        }

        bool sawUnknown = false;
        string? unknownSid = null, unknownGrant = null;

        // 1. A statement naming the caller.
        if (kp.DirectAllow != Tri.False)
        {
            string? sid = kp.DirectAllowStatement?.Sid;
            if (kp.DirectAllow == Tri.True)
            {
                if (crossAccount == Tri.False || isRootUser)
                    return new(Decision.Allow, AuthorizationPath.KeyPolicy, sid);
                var viaIam = CrossAccountIam(identityPolicies, iamAllow);
                if (crossAccount == Tri.True)
                {
                    if (viaIam == Tri.True) return new(Decision.Allow, AuthorizationPath.KeyPolicy, sid);
                    if (viaIam == Tri.Unknown && identityPolicies is null) return new(Decision.DelegatedToIam, AuthorizationPath.IamDelegation, sid);
                    if (viaIam == Tri.Unknown) { sawUnknown = true; unknownSid ??= sid; }
                }
                else { sawUnknown = true; unknownSid ??= sid; }
            }
            else { sawUnknown = true; unknownSid ??= sid; }
        }

        // 2. An active grant.
        var gm = GrantMatcher.FindMatching(grants, request);
        if (gm.Allows == Tri.True) return new(Decision.Allow, AuthorizationPath.Grant, null, gm.Grant!.GrantId);
        if (gm.Allows == Tri.Unknown) { sawUnknown = true; unknownGrant ??= gm.Grant!.GrantId; }

        // 3. Delegation to the caller's account IAM.
        if (kp.AccountAllow != Tri.False)
        {
            string? sid = kp.AccountAllowStatement?.Sid;
            if (kp.AccountAllow == Tri.Unknown) { sawUnknown = true; unknownSid ??= sid; }
            else if (isRootUser) { if (!sawUnknown) return new(Decision.Allow, AuthorizationPath.IamDelegation, sid); }
            else if (identityPolicies is null)
            {
                if (!sawUnknown) return new(Decision.DelegatedToIam, AuthorizationPath.IamDelegation, sid);
            }
            else if (iamAllow == Tri.True) { if (!sawUnknown) return new(Decision.Allow, AuthorizationPath.IamDelegation, sid); }
            else if (iamAllow == Tri.Unknown) { sawUnknown = true; unknownSid ??= sid; }
        }

        return sawUnknown ? new(Decision.Undetermined, AuthorizationPath.Unknown, unknownSid, unknownGrant) : null;
    }

    private static Tri CrossAccountIam(IReadOnlyList<PolicyDocument>? identityPolicies, Tri iamAllow) =>
        identityPolicies is null ? Tri.Unknown : iamAllow;

    // RetireGrant is authorized by the grant, not by the key policy (KMS Developer Guide, "Retiring and revoking grants").
    private static AuthorizationResult DecideRetire(IReadOnlyList<Grant> grants, RequestContext request, string? keyAccount,
        IReadOnlyList<PolicyDocument>? identityPolicies)
    {
        IEnumerable<Grant> targets = request.TargetGrantId is null ? grants : grants.Where(g => g.GrantId == request.TargetGrantId);
        Tri best = Tri.False;
        string? id = null;
        foreach (var g in targets)
        {
            var m = GrantMatcher.MayRetire(g, request.Caller, keyAccount ?? "");
            if (m == Tri.Unknown && identityPolicies is not null)
            {
                // The only unknown left is "a principal of the issuing account, through IAM": the identity policies decide.
                var iam = Tri.False;
                foreach (var ip in identityPolicies)
                {
                    var r = KeyPolicyEvaluator.Evaluate(ip, request);
                    iam = TriLogic.Or(iam, r.DirectAllow);
                }
                m = iam;
            }
            if (m > best) { best = m; id = g.GrantId; }
            if (best == Tri.True) break;
        }
        if (request.TargetGrantId is null && best == Tri.True && grants.Count > 1) best = Tri.Unknown; // which grant was retired is not known
        return best switch
        {
            Tri.True => new(Decision.Allow, AuthorizationPath.Grant, null, id),
            Tri.Unknown => new(Decision.Undetermined, AuthorizationPath.Unknown, null, id),
            _ => new(Decision.ImplicitDeny, AuthorizationPath.None),
        };
    }
}
