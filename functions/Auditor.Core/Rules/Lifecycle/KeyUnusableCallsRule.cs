using Auditor.Core.Findings;
using Auditor.Core.State;

namespace Auditor.Core.Rules.Lifecycle;

/// <summary>
/// <c>key-unusable-calls</c> (project rule): calls failing with DisabledException or KMSInvalidStateException
/// after the key was disabled, scheduled for deletion or lost its material — the blast radius of that
/// change. One finding per state change, on its first failing call; the evidence names the change.
/// </summary>
public sealed class KeyUnusableCallsRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "key-unusable-calls", Severity.High,
        "Failing calls show which workloads depend on a key that was just made unusable: either the change was a mistake, or those workloads are now down.",
        "Find the callers in the evidence; if the change was not intended, re-enable the key (EnableKey / CancelKeyDeletion / re-import material).");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.ErrorCode is not ("DisabledException" or "KMSInvalidStateException") || input.Key is not { } key) return;
        var change = key.Statuses.LastOrDefault(s => s.At <= e.EventTime);
        if (change is null || change.Status is KeyStatus.Enabled or KeyStatus.Unknown) return;
        if (!input.State.ReportedOutages.Add($"{key.KeyArn}|{change.EventId}")) return;
        output.Add(input.Finding(Descriptor,
            $"Calls failing on {input.KeyName} after it became {change.Status}",
            $"{input.Principal} called {e.EventName} on key {input.KeyName} and got {e.ErrorCode}: the key has been {change.Status} since {FindingJson.FormatTime(change.At)} (event {change.EventId}). Workloads depending on it are failing.",
            evidence: change.EventId is null ? null : [change.EventId],
            discriminator: change.EventId));
    }
}
