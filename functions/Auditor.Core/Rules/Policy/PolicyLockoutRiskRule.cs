using Auditor.Core.Findings;

namespace Auditor.Core.Rules.Policy;

/// <summary>
/// <c>policy-lockout-risk</c>: CreateKey or PutKeyPolicy whose policy lets no principal call kms:PutKeyPolicy,
/// or that sets <c>bypassPolicyLockoutSafetyCheck</c>.
/// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key
/// </summary>
public sealed class PolicyLockoutRiskRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "policy-lockout-risk", Severity.High,
        "A key whose policy nobody can change again is unmanageable: only AWS Support can recover it. Bypassing the lockout safety check removes KMS's own guard against exactly that.",
        "Put back a statement that lets a key administrator (or the account root) call kms:PutKeyPolicy; never set BypassPolicyLockoutSafetyCheck outside a reviewed change.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.EventName is not ("CreateKey" or "PutKeyPolicy") || !e.Succeeded) return;
        var reasons = new List<string>();
        if (e.Request.BypassPolicyLockoutSafetyCheck == true) reasons.Add("the call set bypassPolicyLockoutSafetyCheck, disabling KMS's lockout check");
        if (PolicyInspector.TryParse(e.Request.Policy) is { } policy)
        {
            if (PolicyInspector.PolicyManagers(policy).Count == 0)
                reasons.Add("no statement allows kms:PutKeyPolicy, so nobody can change the policy again");
            else if (PolicyInspector.BlanketPutPolicyDeny(policy) is { } deny)
                reasons.Add($"statement \"{deny.Label}\" denies kms:PutKeyPolicy to everyone without condition");
        }
        if (reasons.Count == 0) return;
        output.Add(input.Finding(Descriptor,
            $"Key {input.KeyName} may become unmanageable",
            $"{input.Principal} set a policy on key {input.KeyName} ({e.EventName}) where {string.Join("; and ", reasons)}.",
            discriminator: "lockout"));
    }
}
