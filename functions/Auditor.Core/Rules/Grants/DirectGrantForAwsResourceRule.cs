using Auditor.Core.Authorization;
using Auditor.Core.Findings;
using Auditor.Core.Policy;
using Auditor.Core.Rules.Policy;

namespace Auditor.Core.Rules.Grants;

/// <summary>
/// <c>grant-outside-aws-resource-condition</c> (project rule): a CreateGrant made directly (not by an
/// integrated AWS service) by a principal whom the key policy lets create grants only with
/// <c>kms:GrantIsForAWSResource</c> — the statement KMS's default console policy gives key users. The call
/// succeeded anyway, so something else (the caller's IAM policies through the root delegation) let it
/// create a grant by hand: the restriction the key owner meant is not in force.
/// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
/// </summary>
public sealed class DirectGrantForAwsResourceRule : IRule
{
    private const string ConditionKey = "kms:GrantIsForAWSResource";

    public RuleDescriptor Descriptor { get; } = new(
        "grant-outside-aws-resource-condition", Severity.Medium,
        "Key users are usually allowed to create grants only for AWS services acting on their behalf; a grant created by hand bypasses that intent and can hand the key to any principal.",
        "Find the IAM policy that allows kms:CreateGrant on this key and scope it (or add the kms:GrantIsForAWSResource condition); review the grant and revoke it if it is not needed.",
        DependsOnAuthorization: true);

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (!GrantShape.IsDirectCreateGrant(e) || input.Judgement.Context is not { } context) return;
        if (input.Judgement.Authorization.Decision is not (Decision.DelegatedToIam or Decision.ImplicitDeny)) return;
        if (input.Judgement.Policy is not { } version || PolicyInspector.TryParse(version.PolicyJson) is not { } policy) return;
        var restricted = policy.Statements.FirstOrDefault(s => s.Effect == PolicyEffect.Allow && s.CoversAction("kms:CreateGrant")
            && s.Principal is not null && Named(s, context.Caller)
            && s.Conditions.Any(c => c.Key.Equals(ConditionKey, StringComparison.OrdinalIgnoreCase)));
        if (restricted is null) return;
        output.Add(input.Finding(Descriptor,
            $"{input.Principal} created a grant on {input.KeyName} by hand",
            $"{input.Principal} called CreateGrant on key {input.KeyName} directly (no AWS service made the call), creating grant {e.Request.GrantId ?? "(id not recorded)"} for {e.Request.GranteePrincipal}; key-policy statement \"{restricted.Label}\" lets it create grants only when kms:GrantIsForAWSResource is true, so the grant was allowed by something else ({input.Judgement.Authorization.Describe()}).",
            discriminator: e.Request.GrantId));
    }

    private static bool Named(PolicyStatement s, CallerPrincipal caller)
    {
        s.Principal!.Match(caller, out var direct, out _);
        return direct == Tri.True && !s.Principal.NamesEveryone;
    }
}
