using Auditor.Core.Trail;

namespace Auditor.Core.State;

/// <summary>
/// The correlation state one replay (or one Lambda invocation, hydrated from its store) works on: keys,
/// aliases, per-principal denial history, and the event ids already judged.
/// </summary>
public sealed class AuditState
{
    public Dictionary<string, KeyState> Keys { get; } = new(StringComparer.Ordinal);
    public AliasBook Aliases { get; } = new();
    /// <summary>Recent denied calls per principal, for <c>access-denied-burst</c>.</summary>
    public Dictionary<string, DenialHistory> Denials { get; } = new(StringComparer.Ordinal);
    /// <summary>Event ids already judged: CloudTrail delivers at least once and copies overlap.</summary>
    public HashSet<string> SeenEvents { get; } = new(StringComparer.Ordinal);
    /// <summary>The latest successful call that named its key by each alias (account|region|alias/NAME).</summary>
    public Dictionary<string, (DateTimeOffset At, string EventId)> AliasUses { get; } = new(StringComparer.Ordinal);
    /// <summary>Key state changes whose failing calls were already reported (one blast-radius finding each).</summary>
    public HashSet<string> ReportedOutages { get; } = new(StringComparer.Ordinal);

    public KeyState Key(string keyArn)
    {
        if (!Keys.TryGetValue(keyArn, out var k)) Keys[keyArn] = k = new KeyState(keyArn);
        return k;
    }

    public KeyState? FindKey(string? keyArn) => keyArn is not null && Keys.TryGetValue(keyArn, out var k) ? k : null;
}

/// <summary>A principal's recent denials, sorted by time, bounded by the recent-call window.</summary>
public sealed class DenialHistory
{
    public List<KmsEvent> Recent { get; } = [];
}
