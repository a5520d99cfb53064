using Auditor.Core.Findings;

namespace Auditor.Core.Rules.Lifecycle;

/// <summary><c>key-deletion-scheduled</c>: ScheduleKeyDeletion. Deleting a key destroys every ciphertext made under it.</summary>
public sealed class KeyDeletionScheduledRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "key-deletion-scheduled", Severity.High,
        "Once the waiting period ends, every ciphertext encrypted under the key becomes unrecoverable. Scheduling deletion is also a known ransomware and sabotage step.",
        "Confirm the change was intended and approved; if not, call CancelKeyDeletion before the waiting period ends and review who may call kms:ScheduleKeyDeletion.");

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (e.EventName != "ScheduleKeyDeletion" || !e.Succeeded) return;
        var window = e.Request.PendingWindowInDays is { } d ? $"{d} days" : "the default 30 days";
        var when = e.Request.DeletionDate is { } dd ? $", deletion on {dd:yyyy-MM-dd}" : "";
        var recent = input.Key?.LastUseBefore(e.EventTime) is { } last
            ? $" The key was last used successfully at {FindingJson.FormatTime(last.EventTime)} ({last.EventName})."
            : "";
        output.Add(input.Finding(Descriptor,
            $"Deletion scheduled for key {input.KeyName}",
            $"{input.Principal} scheduled key {input.KeyName} for deletion with a waiting period of {window}{when}.{recent} Cancel with CancelKeyDeletion if this was not intended."));
    }
}
