namespace Auditor.Core.State;

/// <summary>Knobs of correlation, with the defaults the documentation justifies.</summary>
public sealed record AuditOptions
{
    /// <summary>
    /// Grace after a retirement or revocation during which a use is at most informational: AWS documents
    /// grant changes as eventually consistent, typically within five minutes.
    /// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-eventual-consistency
    /// </summary>
    public TimeSpan GrantGrace { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back late changes may re-judge calls. CloudTrail usually delivers within 15 minutes; a week covers outages and backfills.</summary>
    public TimeSpan RecentCallWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Calls kept per key for re-judging; the oldest go first. Bounds state for very hot keys.</summary>
    public int RecentCallsPerKey { get; init; } = 20_000;

    /// <summary><c>access-denied-burst</c>: this many denials by one principal ...</summary>
    public int DeniedBurstCount { get; init; } = 5;

    /// <summary>... within this window.</summary>
    public TimeSpan DeniedBurstWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Remember every event id judged, so a batch never judges an event an earlier batch already did
    /// (CloudTrail delivers at least once). A host that de-duplicates its whole input itself turns this
    /// off to keep memory flat.
    /// </summary>
    public bool DeduplicateAcrossBatches { get; init; } = true;

    public static readonly AuditOptions Default = new();
}
