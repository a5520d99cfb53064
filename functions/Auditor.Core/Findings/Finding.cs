using Auditor.Core.Authorization;

namespace Auditor.Core.Findings;

/// <summary>
/// One finding (CONTRACT section 3): what was seen, on which key, by whom, what authorized it, and why it
/// matters — enough for a security engineer to act without re-reading the trail.
/// </summary>
public sealed record Finding
{
    /// <summary>Deterministic: a hash of the rule, the event and what distinguishes this finding (<see cref="FindingIds"/>).</summary>
    public required string Id { get; init; }
    public required string Rule { get; init; }
    public required Severity Severity { get; init; }
    public required string EventId { get; init; }
    public required DateTimeOffset EventTime { get; init; }
    public required string EventName { get; init; }
    public string? AwsRegion { get; init; }
    public string? KeyArn { get; init; }
    public string? Principal { get; init; }
    public string? SessionArn { get; init; }
    public required AuthorizationResult Authorization { get; init; }
    public required string Title { get; init; }
    public required string Explanation { get; init; }
    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>
    /// The order of <c>findings.jsonl</c>: time, event, rule, id — stable whatever the input order. Time compares at
    /// the whole second findings are written with, so a finding read back from JSON sorts exactly where it was.
    /// </summary>
    public static int Compare(Finding a, Finding b)
    {
        int c = (a.EventTime.UtcTicks / TimeSpan.TicksPerSecond).CompareTo(b.EventTime.UtcTicks / TimeSpan.TicksPerSecond);
        if (c == 0) c = string.CompareOrdinal(a.EventId, b.EventId);
        if (c == 0) c = string.CompareOrdinal(a.Rule, b.Rule);
        if (c == 0) c = string.CompareOrdinal(a.Id, b.Id);
        return c;
    }
}
