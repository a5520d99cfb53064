using Auditor.Core.Trail;

namespace Auditor.Core.State;

/// <summary>
/// Everything known about one key over time: its policy versions, state changes and grants, each indexed
/// by the event time it took effect, so "what was in force at t" is a lookup, not a replay; plus the
/// recent calls on the key that late-arriving changes may need to re-judge.
/// </summary>
public sealed class KeyState(string keyArn)
{
    public string KeyArn { get; } = keyArn;
    public string? AccountId { get; } = Arns.Account(keyArn);
    public string? Region { get; } = Arns.Region(keyArn);
    /// <summary>AWS-managed keys (aws/s3, aws/ebs...) are marked by the inventory; their policies are AWS's.</summary>
    public bool AwsManaged { get; set; }
    public List<PolicyVersion> Policies { get; } = [];
    public List<KeyStatusChange> Statuses { get; } = [];
    public Dictionary<string, GrantRecord> Grants { get; } = new(StringComparer.Ordinal);
    /// <summary>Successful calls kept for re-judging, oldest first; bounded by <see cref="AuditOptions.RecentCallsPerKey"/> and <see cref="AuditOptions.RecentCallWindow"/>.</summary>
    public List<KmsEvent> RecentCalls { get; } = [];
    /// <summary>Event ids already applied as state changes, so a redelivered change is a no-op.</summary>
    public HashSet<string> AppliedChanges { get; } = new(StringComparer.Ordinal);
    /// <summary>The latest successful cryptographic call seen (kept even when no recent calls are).</summary>
    public KmsEvent? LastUse { get; set; }

    /// <summary>
    /// The latest successful cryptographic call strictly before <paramref name="t"/>, among the calls kept.
    /// Computed from the calls rather than a running maximum, so it does not depend on arrival order.
    /// </summary>
    public KmsEvent? LastUseBefore(DateTimeOffset t)
    {
        for (int i = RecentCalls.Count - 1; i >= 0; i--)
        {
            var c = RecentCalls[i];
            if (c.EventTime < t && KmsOperations.Cryptographic.Contains(c.EventName)) return c;
        }
        // A host that feeds events in time order keeps no recent calls; then the latest use seen is the answer.
        return LastUse is { } last && last.EventTime < t ? last : null;
    }

    /// <summary>
    /// The policy in force at <paramref name="t"/>: the latest version that took effect at or before it.
    /// An inventory snapshot that is the earliest version known is also taken to hold before its capture
    /// time — the trail shows no change before it — which is the usual case of a snapshot taken after the
    /// trail being audited.
    /// </summary>
    public PolicyVersion? PolicyAt(DateTimeOffset t)
    {
        PolicyVersion? found = null;
        foreach (var p in Policies)
        {
            if (p.EffectiveAt <= t) found = p;
            else break;
        }
        if (found is null && Policies.Count > 0 && Policies[0].Source == PolicySource.Inventory) return Policies[0];
        return found;
    }

    public KeyStatus StatusAt(DateTimeOffset t)
    {
        var status = KeyStatus.Unknown;
        foreach (var s in Statuses)
        {
            if (s.At <= t) status = s.Status;
            else break;
        }
        return status;
    }

    /// <summary>The grants active at <paramref name="t"/>.</summary>
    public IEnumerable<GrantRecord> GrantsActiveAt(DateTimeOffset t) => Grants.Values.Where(g => g.IsActiveAt(t));

    public void AddPolicy(PolicyVersion version)
    {
        int i = Policies.FindIndex(p => p.EffectiveAt > version.EffectiveAt ||
            (p.EffectiveAt == version.EffectiveAt && string.CompareOrdinal(p.EventId, version.EventId) > 0));
        if (i < 0) Policies.Add(version); else Policies.Insert(i, version);
    }

    public void AddStatus(KeyStatusChange change)
    {
        int i = Statuses.FindIndex(s => s.At > change.At || (s.At == change.At && string.CompareOrdinal(s.EventId, change.EventId) > 0));
        if (i < 0) Statuses.Add(change); else Statuses.Insert(i, change);
    }

    public GrantRecord Grant(string grantId)
    {
        if (!Grants.TryGetValue(grantId, out var g)) Grants[grantId] = g = new GrantRecord { GrantId = grantId };
        return g;
    }
}
