using Auditor.Core.Policy;

namespace Auditor.Core.Rules.Policy;

/// <summary>
/// Questions a reviewer asks of a key policy document as a whole (not of one request): who can reach the
/// key from outside, and whether anyone can still change the policy.
/// </summary>
public static class PolicyInspector
{
    /// <summary>
    /// Condition keys that pin the caller to an account, organization or identity. A statement for
    /// <c>"*"</c> restricted by one of them (with a positive, non-IfExists operator) is not public.
    /// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
    /// </summary>
    private static readonly HashSet<string> CallerRestrictingKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "kms:CallerAccount", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalArn",
        "aws:userid", "aws:SourceAccount", "aws:SourceOwner",
    };

    /// <summary>Allow statements open to everyone (<c>"*"</c> or NotPrincipal) that no condition restricts to an account or organization.</summary>
    public static IReadOnlyList<PolicyStatement> PublicStatements(PolicyDocument policy) =>
        policy.Statements.Where(s => s.Effect == PolicyEffect.Allow && OpenToEveryone(s) && !RestrictsCaller(s)).ToList();

    private static bool OpenToEveryone(PolicyStatement s) =>
        (s.Principal is not null && s.Principal.NamesEveryone) || s.NotPrincipal is not null;

    private static bool RestrictsCaller(PolicyStatement s) =>
        s.Conditions.Any(c => CallerRestrictingKeys.Contains(c.Key) && !c.Operator.Negated && !c.Operator.IfExists
            && c.Operator.Comparison is ConditionComparison.StringEquals or ConditionComparison.StringEqualsIgnoreCase or ConditionComparison.StringLike or ConditionComparison.ArnLike
            && c.Values.Count > 0 && c.Values.All(v => PinsCaller(c.Key, v.Text)));

    /// <summary>
    /// A condition value restricts the caller only when no wildcard reaches the part that names the account or
    /// organization: <c>arn:aws:iam::*:root</c> or <c>1111*</c> match principals of any (or many) accounts.
    /// </summary>
    private static bool PinsCaller(string key, string value)
    {
        static bool Literal(ReadOnlySpan<char> s) => s.Length > 0 && s.IndexOfAny('*', '?') < 0;
        if (key.Equals("aws:PrincipalArn", StringComparison.OrdinalIgnoreCase) || key.Equals("aws:SourceOwner", StringComparison.OrdinalIgnoreCase) && value.StartsWith("arn:", StringComparison.Ordinal))
            return State.Arns.Account(value) is { } account && State.Arns.IsAccountId(account);
        if (key.Equals("aws:PrincipalOrgPaths", StringComparison.OrdinalIgnoreCase))
        {
            int slash = value.IndexOf('/');
            return slash > 0 && Literal(value.AsSpan(0, slash));
        }
        if (key.Equals("aws:userid", StringComparison.OrdinalIgnoreCase))
        {
            int colon = value.IndexOf(':');
            return Literal(colon < 0 ? value : value.AsSpan(0, colon));
        }
        return Literal(value);
    }

    /// <summary>Statements that may allow kms:PutKeyPolicy to someone; none means nobody can change the policy again.</summary>
    public static IReadOnlyList<PolicyStatement> PolicyManagers(PolicyDocument policy) =>
        policy.Statements.Where(s => s.Effect == PolicyEffect.Allow && s.CoversAction("kms:PutKeyPolicy")).ToList();

    /// <summary>An unconditional Deny of kms:PutKeyPolicy to everyone also locks the key.</summary>
    public static PolicyStatement? BlanketPutPolicyDeny(PolicyDocument policy) =>
        policy.Statements.FirstOrDefault(s => s.Effect == PolicyEffect.Deny && s.Conditions.Count == 0 && s.CoversAction("kms:PutKeyPolicy")
            && s.Principal is not null && s.Principal.NamesEveryone);

    /// <summary>Accounts other than the key's that Allow statements name (account, role, user or session principals).</summary>
    public static IReadOnlySet<string> ExternalAccounts(PolicyDocument policy, string keyAccount)
    {
        var accounts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in policy.Statements)
        {
            if (s.Effect != PolicyEffect.Allow || s.Principal is null) continue;
            foreach (var p in s.Principal.Aws)
                if (p.AccountId is { Length: > 0 } a && a != keyAccount) accounts.Add(a);
        }
        return accounts;
    }

    /// <summary>Parses a policy from the trail, or null when it cannot be parsed (the rules then say nothing about it).</summary>
    public static PolicyDocument? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try { return PolicyDocument.Parse(json); }
        catch (PolicyFormatException) { return null; }
    }
}
