using Auditor.Core.Authorization;
using Auditor.Core.Policy;

namespace Auditor.Core.Grants;

/// <summary>The grant that allows a request, and how sure that is.</summary>
/// <param name="Grant">The first grant that surely allows the request, else the first that might.</param>
/// <param name="Allows">True: that grant allows it; Unknown: it might (e.g. a grantee role with a path
/// matched only through a session ARN); False: no active grant allows it.</param>
public readonly record struct GrantMatch(Grant? Grant, Tri Allows);

/// <summary>
/// Grants as KMS applies them (KMS Developer Guide, "Grants in AWS KMS", "Grant constraints",
/// "Retiring and revoking grants"; API reference, GrantConstraints):
/// <list type="bullet">
/// <item>operations are exact names, no wildcards (<c>kms:Decrypt</c> needs <c>Decrypt</c>);</item>
/// <item>the grantee is compared with the caller's ARN, role ARN, principal id and service principal;</item>
/// <item><c>EncryptionContextEquals</c> needs the request's context to be exactly the constraint's pairs;
/// <c>EncryptionContextSubset</c> needs every constraint pair in it (extra pairs allowed); keys and values
/// compare case-sensitively;</item>
/// <item>constraints do not apply to DescribeKey and RetireGrant (nor to operations that take no encryption
/// context); for CreateGrant they bound the constraints of the grant being created.</item>
/// </list>
/// </summary>
public static class GrantMatcher
{
    /// <summary>Operations that take an encryption context, to which constraints apply.</summary>
    private static readonly HashSet<string> ContextOperations = new(StringComparer.Ordinal)
    {
        "Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "CreateGrant",
    };

    /// <summary>The grant operation for an IAM action: <c>kms:Decrypt</c> → <c>Decrypt</c>.</summary>
    public static string OperationOf(string action) =>
        action.StartsWith("kms:", StringComparison.OrdinalIgnoreCase) ? action[4..] : action;

    /// <summary>Finds the active grant that allows the request.</summary>
    public static GrantMatch FindMatching(IReadOnlyList<Grant> grants, RequestContext request)
    {
        string operation = OperationOf(request.Action);
        Grant? maybe = null;
        for (int i = 0; i < grants.Count; i++)
        {
            var g = grants[i];
            var r = Allows(g, operation, request);
            if (r == Tri.True) return new GrantMatch(g, Tri.True);
            if (r == Tri.Unknown) maybe ??= g;
        }
        return maybe is null ? new GrantMatch(null, Tri.False) : new GrantMatch(maybe, Tri.Unknown);
    }

    /// <summary>Does this grant allow <paramref name="operation"/> (an exact grant operation name) for the request?</summary>
    public static Tri Allows(Grant grant, string operation, RequestContext request)
    {
        if (!HasOperation(grant, operation)) return Tri.False;
        if (!ConstraintsSatisfied(grant.Constraints, operation, request)) return Tri.False;
        return PrincipalMatches(grant.GranteePrincipal, request.Caller);
    }

    /// <summary>Exact, case-sensitive operation names, as the CreateGrant API takes them.</summary>
    public static bool HasOperation(Grant grant, string operation)
    {
        for (int i = 0; i < grant.Operations.Count; i++)
            if (string.Equals(grant.Operations[i], operation, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Checks the grant's encryption-context constraints for one operation.</summary>
    public static bool ConstraintsSatisfied(GrantConstraints? constraints, string operation, RequestContext request)
    {
        if (constraints is null || (constraints.EncryptionContextEquals is null && constraints.EncryptionContextSubset is null)) return true;
        if (!ContextOperations.Contains(operation)) return true; // DescribeKey, RetireGrant, ...: constraints do not apply
        if (operation == "CreateGrant") return BoundsCreatedGrant(constraints, request.RequestedGrantConstraints);
        var context = request.EncryptionContext ?? EmptyContext;
        if (constraints.EncryptionContextEquals is { } eq)
        {
            if (eq.Count != context.Count) return false;
            foreach (var (k, v) in eq)
                if (!context.TryGetValue(k, out var cv) || !string.Equals(cv, v, StringComparison.Ordinal)) return false;
        }
        if (constraints.EncryptionContextSubset is { } sub)
            foreach (var (k, v) in sub)
                if (!context.TryGetValue(k, out var cv) || !string.Equals(cv, v, StringComparison.Ordinal)) return false;
        return true;
    }

    // A grantee may create grants only as constrained as its own: an Equals constraint must be repeated exactly;
    // a Subset constraint's pairs must all appear in the new grant's constraint (Subset or Equals).
    private static bool BoundsCreatedGrant(GrantConstraints own, GrantConstraints? requested)
    {
        if (requested is null) return false;
        if (own.EncryptionContextEquals is { } eq)
            return requested.EncryptionContextEquals is { } req && SameMap(eq, req);
        if (own.EncryptionContextSubset is { } sub)
        {
            var newer = requested.EncryptionContextSubset ?? requested.EncryptionContextEquals;
            if (newer is null) return false;
            foreach (var (k, v) in sub)
                if (!newer.TryGetValue(k, out var nv) || !string.Equals(nv, v, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (k, v) in a)
            if (!b.TryGetValue(k, out var bv) || !string.Equals(bv, v, StringComparison.Ordinal)) return false;
        return true;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyContext = new Dictionary<string, string>();

    /// <summary>
    /// Does a grantee or retiring principal (as the grant names it) designate the caller? Compared with the
    /// caller's ARN, its role ARN (a session acts as its role), its principal id (service-created grants name
    /// principals like <c>111122223333:aws:ec2-infrastructure:i-…</c>) and its service principal. A grant to
    /// an account cannot be resolved to one caller without that account's IAM policies: unknown, except for
    /// the account's root user.
    /// </summary>
    public static Tri PrincipalMatches(string? grantPrincipal, CallerPrincipal caller)
    {
        if (string.IsNullOrEmpty(grantPrincipal)) return Tri.False;
        if (string.Equals(grantPrincipal, caller.Arn, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(grantPrincipal, caller.RoleArn, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(grantPrincipal, caller.PrincipalId, StringComparison.Ordinal) ||
            string.Equals(grantPrincipal, caller.ServicePrincipal, StringComparison.OrdinalIgnoreCase) ||
            SameService(grantPrincipal, caller.ServicePrincipal))
            return Tri.True;
        // Fast path: a full IAM ARN other than an account root can only match by the comparisons above when the
        // caller is fully known (its role ARN recorded, or not a session at all).
        if (grantPrincipal.StartsWith("arn:", StringComparison.Ordinal) && !caller.IdentityUnknown &&
            !grantPrincipal.EndsWith(":root", StringComparison.Ordinal) &&
            (caller.RoleArn is not null || caller.Arn is null || !caller.Arn.Contains(":assumed-role/", StringComparison.Ordinal)))
            return Tri.False;
        var r = PrincipalRef.Parse(grantPrincipal);
        var m = r.Matches(caller, out var kind);
        if (kind == PrincipalMatchKind.Account && m == Tri.True)
            return caller.Arn is not null && caller.Arn.EndsWith(":root", StringComparison.OrdinalIgnoreCase) ? Tri.True : Tri.Unknown;
        return r.Kind == PrincipalRef.RefKind.Everyone ? Tri.False : m;
    }

    /// <summary>
    /// Services are named both globally and per region (<c>ec2.amazonaws.com</c>, <c>ec2.us-east-1.amazonaws.com</c>):
    /// EBS names its regional principal as a grant's retiring principal while CloudTrail records the
    /// global one as the caller. Both designate the same service.
    /// </summary>
    internal static bool SameService(string a, string? b)
    {
        if (b is null) return false;
        static string? ServiceName(string p)
        {
            if (!p.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase) || p.StartsWith("arn:", StringComparison.Ordinal)) return null;
            int dot = p.IndexOf('.');
            return dot > 0 ? p[..dot] : null;
        }
        var sa = ServiceName(a);
        return sa is not null && string.Equals(sa, ServiceName(b), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// May <paramref name="caller"/> retire <paramref name="grant"/>? (KMS Developer Guide, "Retiring and
    /// revoking grants"): its retiring principal; its grantee when the grant includes the RetireGrant
    /// operation; or the AWS account in which the grant was created (its root user or, through IAM
    /// policies, its principals — unknown without them). RetireGrant is not governed by the key policy.
    /// </summary>
    public static Tri MayRetire(Grant grant, CallerPrincipal caller, string keyAccount)
    {
        var r = PrincipalMatches(grant.RetiringPrincipal, caller);
        if (r == Tri.True) return r;
        if (HasOperation(grant, "RetireGrant")) r = TriLogic.Or(r, PrincipalMatches(grant.GranteePrincipal, caller));
        if (r == Tri.True) return r;
        // ListGrants writes IssuingAccount as an account ARN (arn:aws:iam::ACCOUNT:root).
        string issuing = PrincipalArns.AccountOfArn(grant.IssuingAccount) ?? grant.IssuingAccount ?? keyAccount;
        string? callerAccount = PrincipalArns.AccountOf(caller);
        if (callerAccount == issuing)
        {
            bool root = caller.Arn is not null && caller.Arn.EndsWith(":root", StringComparison.OrdinalIgnoreCase);
            r = TriLogic.Or(r, root ? Tri.True : Tri.Unknown);
        }
        return r;
    }
}
