using Auditor.Core.Findings;

namespace Auditor.Core.Rules.Lifecycle;

/// <summary>
/// <c>recently-used-key-deletion</c> (project rule): ScheduleKeyDeletion of a key that made a successful
/// cryptographic call within the previous seven days. Data encrypted under a key in use is almost
/// certainly still needed; this is the deletion that destroys it.
/// </summary>
public sealed class RecentlyUsedKeyDeletionRule : IRule
{
    private static readonly TimeSpan Recent = TimeSpan.FromDays(7);

    public RuleDescriptor Descriptor { get; } = new(
        "recently-used-key-deletion", Severity.Critical,
        "A key still encrypting or decrypting data protects data that is still needed; once deleted, that data is unrecoverable.",
        "Cancel the deletion (CancelKeyDeletion) unless every ciphertext under the key is known to be obsolete; disable the key first to find remaining users safely.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.EventName != "ScheduleKeyDeletion" || !e.Succeeded || input.Key?.LastUseBefore(e.EventTime) is not { } lastUse || e.EventTime - lastUse.EventTime > Recent) return;
        var last = lastUse.EventTime;
        output.Add(input.Finding(Descriptor,
            $"Key {input.KeyName} scheduled for deletion while in use",
            $"{input.Principal} scheduled key {input.KeyName} for deletion {(e.EventTime - last).TotalHours:F1} hours after its last successful use ({lastUse.EventName} at {FindingJson.FormatTime(last)} by {Trail.PrincipalNames.Display(lastUse.UserIdentity)}).",
            evidence: [lastUse.EventId]));
    }
}
