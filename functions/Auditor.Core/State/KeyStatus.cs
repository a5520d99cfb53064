namespace Auditor.Core.State;

/// <summary>The KMS key states the auditor tracks (DescribeKey's <c>KeyState</c>).</summary>
public enum KeyStatus
{
    Unknown,
    Enabled,
    Disabled,
    PendingDeletion,
    PendingImport,
    Unavailable,
}

/// <summary>A change of key state at a moment, and the event that made it.</summary>
public sealed record KeyStatusChange(DateTimeOffset At, KeyStatus Status, string? EventId);
