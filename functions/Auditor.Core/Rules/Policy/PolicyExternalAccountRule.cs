using Auditor.Core.Findings;

namespace Auditor.Core.Rules.Policy;

/// <summary>
/// <c>policy-external-account</c> (project rule): CreateKey or PutKeyPolicy that gives an account other than
/// the key's a place in the policy it did not have in the policy in force just before.
/// </summary>
public sealed class PolicyExternalAccountRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "policy-external-account", Severity.High,
        "Naming another account in a key policy shares the key across the account boundary; with the account principal, every IAM identity that account allows can use it.",
        "Confirm the account belongs to your organization and needs the key; scope the statement to specific roles and actions, with kms:ViaService or encryption-context conditions where possible.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.EventName is not ("CreateKey" or "PutKeyPolicy") || !e.Succeeded || input.Key?.AccountId is not { } keyAccount) return;
        if (PolicyInspector.TryParse(e.Request.Policy) is not { } policy) return;
        var now = PolicyInspector.ExternalAccounts(policy, keyAccount);
        if (now.Count == 0) return;
        var previousVersion = input.Key.Policies.LastOrDefault(p => p.EffectiveAt < e.EventTime || (p.EffectiveAt == e.EventTime && string.CompareOrdinal(p.EventId, e.EventId) < 0));
        var before = previousVersion is null ? null : PolicyInspector.TryParse(previousVersion.PolicyJson);
        var added = now.Where(a => before is null || !PolicyInspector.ExternalAccounts(before, keyAccount).Contains(a)).ToList();
        if (added.Count == 0) return;
        output.Add(input.Finding(Descriptor,
            $"Key policy of {input.KeyName} adds account(s) {string.Join(", ", added)}",
            $"{input.Principal} set a policy on key {input.KeyName} (account {keyAccount}) that names account(s) {string.Join(", ", added)}" +
            (previousVersion is null ? "." : $", which {previousVersion.Describe()} did not."),
            evidence: previousVersion?.EventId is { } prev ? [prev] : null,
            discriminator: string.Join(",", added)));
    }
}
