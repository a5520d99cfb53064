using Auditor.Core.Findings;

namespace Auditor.Core.Reporting;

/// <summary>
/// Everything a compliance report says, computed once and handed to every renderer (HTML, Markdown, CSV,
/// JSON), so the formats can never disagree. Built by <see cref="ReportBuilder"/>; all text in it comes
/// from untrusted input and is escaped by each renderer for its own syntax.
/// </summary>
public sealed record ComplianceReport
{
    /// <summary>Version of the JSON form (docs/report-schema.md); bumped on any incompatible change.</summary>
    public const int SchemaVersion = 1;

    public required DateTimeOffset GeneratedAt { get; init; }
    public required ReportPeriod Period { get; init; }
    public required ReportTotals Totals { get; init; }
    public required CoverageGaps Coverage { get; init; }
    /// <summary>One section per key, most-used first; the calls not tied to any key come last (<see cref="KeyReport.KeyArn"/> null).</summary>
    public required IReadOnlyList<KeyReport> Keys { get; init; }
    /// <summary>Every finding in the period, in <c>findings.jsonl</c> order.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }
    /// <summary>Findings per rule, most frequent first.</summary>
    public required IReadOnlyList<NamedCount> FindingsByRule { get; init; }
    /// <summary>Null when no trail was given (the integrity check needs the log files themselves).</summary>
    public LogFileIntegrityReport? Integrity { get; init; }
    /// <summary>Where the report's data came from, for the auditor's record.</summary>
    public required ReportSources Sources { get; init; }
}

/// <summary>The time span the report covers (inclusive start, inclusive end); null bounds when nothing was seen.</summary>
public sealed record ReportPeriod(DateTimeOffset? From, DateTimeOffset? To, bool FromGiven, bool ToGiven)
{
    /// <summary>Whether <paramref name="t"/> falls in the period as given by <c>--from</c>/<c>--to</c>.</summary>
    public bool Contains(DateTimeOffset t) => (!FromGiven || t >= From) && (!ToGiven || t <= To);

    /// <summary>The calendar days (UTC) of the period, or none when a bound is unknown.</summary>
    public IEnumerable<DateOnly> Days()
    {
        if (From is not { } f || To is not { } t) yield break;
        var day = DateOnly.FromDateTime(f.UtcDateTime);
        var last = DateOnly.FromDateTime(t.UtcDateTime);
        for (; day <= last; day = day.AddDays(1)) yield return day;
    }
}

/// <summary>The headline figures an auditor reads first.</summary>
public sealed record ReportTotals
{
    public required int Keys { get; init; }
    public required int Principals { get; init; }
    public required long Calls { get; init; }
    public required long FailedCalls { get; init; }
    public required int Findings { get; init; }
    /// <summary>Every severity, highest first, zeros included, so an empty row still says "none".</summary>
    public required IReadOnlyList<NamedCount> FindingsBySeverity { get; init; }
}

/// <summary>A name and how many times it occurred.</summary>
public sealed record NamedCount(string Name, long Count);

/// <summary>What the report was made from.</summary>
public sealed record ReportSources
{
    public required string FindingsDir { get; init; }
    public IReadOnlyList<string> TrailPaths { get; init; } = [];
    public string? InventoryPath { get; init; }
    /// <summary>From the replay's <c>summary.json</c>, when present.</summary>
    public long? ReplayFilesRead { get; init; }
    public long? ReplayEventsRead { get; init; }
    public long? ReplayKmsEvents { get; init; }
    /// <summary>Log files the report itself read (with <c>--trail</c>).</summary>
    public long TrailFilesRead { get; init; }
}
