using Auditor.Core.Findings;

namespace Auditor.Core.Rules.Lifecycle;

/// <summary><c>key-disabled</c>: DisableKey. Every workload that depends on the key fails until it is re-enabled.</summary>
public sealed class KeyDisabledRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "key-disabled", Severity.Medium,
        "A disabled key refuses every cryptographic operation: services and applications that depend on it fail, which makes DisableKey a denial-of-service lever.",
        "Confirm the change was intended; re-enable with EnableKey if not, and restrict kms:DisableKey to key administrators.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.EventName != "DisableKey" || !e.Succeeded) return;
        output.Add(input.Finding(Descriptor,
            $"Key {input.KeyName} disabled",
            $"{input.Principal} disabled key {input.KeyName}; every cryptographic operation with it fails until EnableKey."));
    }
}
