using Auditor.Core.Findings;

namespace Auditor.Core.Reporting;

/// <summary>One key's section: who may administer and use it, its grants, who did use it and how each use was authorized, and its findings.</summary>
public sealed record KeyReport
{
    /// <summary>The key ARN (or the key id as seen when no ARN could be derived); null for calls not tied to a key.</summary>
    public required string? KeyArn { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>The key state at the end of the period (Enabled, Disabled, PendingDeletion, ...), or Unknown.</summary>
    public string Status { get; init; } = "Unknown";
    /// <summary>The policy in force at the end of the period; null when the auditor never learned it.</summary>
    public PolicySummary? Policy { get; init; }
    /// <summary>Policy versions that took effect within the period (CreateKey, PutKeyPolicy, inventory).</summary>
    public IReadOnlyList<PolicyChange> PolicyChanges { get; init; } = [];
    public IReadOnlyList<GrantLifetime> Grants { get; init; } = [];
    /// <summary>The principal × operation matrix, by principal then operation.</summary>
    public IReadOnlyList<UsageCell> Usage { get; init; } = [];
    /// <summary>Calls per UTC day within the period (days without calls are absent).</summary>
    public IReadOnlyList<DayCount> CallsPerDay { get; init; } = [];
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    public long Calls { get; init; }
    /// <summary>Calls made while the key's policy was unknown to the auditor.</summary>
    public long CallsWithUnknownPolicy { get; init; }
    /// <summary>A short label: the first alias, else the key id.</summary>
    public string Label => KeyArn is null ? "Calls not tied to a key" : Aliases.Count > 0 ? $"{Aliases[0]} ({KeyId})" : KeyId;
    public string KeyId => KeyArn is null ? "" : State.Arns.KeyIdOf(KeyArn);
}

/// <summary>A count on one UTC day.</summary>
public sealed record DayCount(DateOnly Day, long Count);

/// <summary>A key policy that took effect at a moment, and how the auditor learned it.</summary>
public sealed record PolicyChange(DateTimeOffset At, string Source, string? EventId);
