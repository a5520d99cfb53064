using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Aws.DynamoDb;

/// <summary>
/// The <see cref="AuditState"/> hydrated for one log object, and what <see cref="DynamoStateStore.SaveAsync"/> needs
/// to persist only that object's changes: its event ids, the versions of the denial histories it read (the
/// optimistic-concurrency tokens), and the markers that were already stored.
/// </summary>
public sealed class LoadedState
{
    public required AuditState State { get; init; }
    /// <summary>The object's event ids: everything stored by these events was left out of <see cref="State"/>.</summary>
    public required IReadOnlySet<string> BatchEventIds { get; init; }
    /// <summary>Principals with a denial in the object → the version of their stored history (0: none stored).</summary>
    public Dictionary<string, long> DenialVersions { get; } = new(StringComparer.Ordinal);
    /// <summary>The <see cref="AuditState.ReportedOutages"/> entries read from the store.</summary>
    public HashSet<string> StoredOutages { get; } = new(StringComparer.Ordinal);
    /// <summary>The alias uses hydrated (what this invocation read; stored as "previous" when it writes a newer one).</summary>
    public Dictionary<string, (DateTimeOffset At, string EventId)> StoredAliasUses { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Items read, for the log.</summary>
    public int ItemsRead { get; set; }
    /// <summary>Keys whose recent calls were loaded (an authorization change in the object).</summary>
    public int KeysWithCallsLoaded { get; set; }
}

/// <summary>Another invocation changed a denial history this one read: the whole object must be processed again.</summary>
public sealed class StateConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The state table could not be read or written (after the SDK's retries).</summary>
public sealed class StateStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a persisted object wrote, for logs and tests.</summary>
public sealed record SaveResult(int ItemsWritten, int BenignConditionFailures);

/// <summary>A key event id set helper (events of one object).</summary>
internal static class BatchIds
{
    public static HashSet<string> Of(IEnumerable<KmsEvent> events) => new(events.Select(e => e.EventId), StringComparer.Ordinal);
}
