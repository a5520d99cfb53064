using Auditor.Core.State;

namespace Auditor.Core.Reporting;

/// <summary>Everything <see cref="ReportBuilder"/> assembles a report from; all but the replay output are optional.</summary>
public sealed record ReportInputs
{
    public required ReplayOutput Replay { get; init; }
    public required string FindingsDir { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    /// <summary><c>--from</c>/<c>--to</c>: only events (and findings) whose eventTime falls within are reported.</summary>
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    /// <summary>Usage from re-reading the trail; null when no <c>--trail</c> was given.</summary>
    public UsageCollector? Usage { get; init; }
    /// <summary>Key state (policies, grants, aliases) learned from the trail and inventory; null without them.</summary>
    public AuditState? State { get; init; }
    public LogFileIntegrityReport? Integrity { get; init; }
    /// <summary>UTC days that have at least one log file; null when not assessed.</summary>
    public IReadOnlySet<DateOnly>? DaysWithLogFiles { get; init; }
    /// <summary>Files the report itself failed to read (with <c>--trail</c>).</summary>
    public IReadOnlyList<FileError> TrailErrors { get; init; } = [];
    public IReadOnlyList<string> TrailPaths { get; init; } = [];
    public long TrailFilesRead { get; init; }
    public string? InventoryPath { get; init; }
}
