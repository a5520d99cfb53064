using Auditor.Core.Findings;

namespace Auditor.Core.Rules.Policy;

/// <summary>
/// <c>policy-public-access</c>: CreateKey or PutKeyPolicy with an Allow statement for principal <c>*</c> whose
/// conditions do not restrict the caller to an account or organization.
/// </summary>
public sealed class PolicyPublicAccessRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "policy-public-access", Severity.Critical,
        "A key policy statement for everyone lets any AWS account use the key as far as the statement's actions go — for Decrypt, anyone holding a ciphertext can read it.",
        "Replace the \"*\" principal with the accounts or roles that need the key, or add a kms:CallerAccount / aws:PrincipalOrgID condition; check the calls made while the policy was in force.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.EventName is not ("CreateKey" or "PutKeyPolicy") || !e.Succeeded) return;
        if (PolicyInspector.TryParse(e.Request.Policy) is not { } policy) return;
        var open = PolicyInspector.PublicStatements(policy);
        if (open.Count == 0) return;
        var labels = string.Join(", ", open.Select(s => $"\"{s.Label}\""));
        var actions = string.Join(", ", open.SelectMany(s => s.Actions.Count > 0 ? s.Actions.Select(a => a.Text) : ["NotAction " + string.Join("/", s.NotActions.Select(a => a.Text))]).Distinct());
        output.Add(input.Finding(Descriptor,
            $"Key policy of {input.KeyName} allows everyone",
            $"{input.Principal} set a policy on key {input.KeyName} ({e.EventName}) whose statement(s) {labels} allow principal \"*\" ({actions}) with no condition restricting the caller to an account or organization.",
            discriminator: "public"));
    }
}
