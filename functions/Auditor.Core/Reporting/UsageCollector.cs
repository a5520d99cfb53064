using Auditor.Core.Authorization;
using Auditor.Core.Trail;

namespace Auditor.Core.Reporting;

/// <summary>
/// Tallies KMS calls into the report's usage data: per key × principal × operation (counts, first and last
/// seen, the authorization of each call), calls per key per UTC day, and calls made while the key's policy
/// was unknown. Memory grows with the number of distinct cells and days, not with the number of calls.
/// </summary>
public sealed class UsageCollector
{
    private readonly Dictionary<(string Key, string Principal, string Operation), Cell> _cells = new();
    private readonly Dictionary<string, SortedDictionary<DateOnly, long>> _perDay = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _unknownPolicy = new(StringComparer.Ordinal);
    private readonly HashSet<string> _principals = new(StringComparer.Ordinal);

    /// <summary>Calls that named no key (ListKeys, GenerateRandom...) are kept under this key.</summary>
    public const string NoKey = "";

    public long Calls { get; private set; }
    public long FailedCalls { get; private set; }
    public DateTimeOffset? First { get; private set; }
    public DateTimeOffset? Last { get; private set; }
    public IReadOnlyCollection<string> Principals => _principals;

    /// <summary>Records one call with the authorization the engine gave it.</summary>
    public void Add(KmsEvent e, string? keyArn, AuthorizationResult authorization, bool policyKnown)
    {
        string key = keyArn ?? NoKey;
        string principal = PrincipalNames.Display(e.UserIdentity);
        var id = (key, principal, e.EventName);
        if (!_cells.TryGetValue(id, out var cell)) _cells[id] = cell = new Cell(e.EventTime);
        cell.Count++;
        if (!e.Succeeded) cell.Failed++;
        if (e.EventTime < cell.First) cell.First = e.EventTime;
        if (e.EventTime > cell.Last) cell.Last = e.EventTime;
        var auth = (AuthorizationNames.Of(authorization.Decision), AuthorizationNames.Of(authorization.Path), authorization.StatementSid, authorization.GrantId);
        cell.Authorizations[auth] = cell.Authorizations.GetValueOrDefault(auth) + 1;

        if (!_perDay.TryGetValue(key, out var days)) _perDay[key] = days = new SortedDictionary<DateOnly, long>();
        var day = DateOnly.FromDateTime(e.EventTime.UtcDateTime);
        days[day] = days.GetValueOrDefault(day) + 1;
        if (!policyKnown && key != NoKey) _unknownPolicy[key] = _unknownPolicy.GetValueOrDefault(key) + 1;

        _principals.Add(principal);
        Calls++;
        if (!e.Succeeded) FailedCalls++;
        if (First is null || e.EventTime < First) First = e.EventTime;
        if (Last is null || e.EventTime > Last) Last = e.EventTime;
    }

    /// <summary>Every key that was called (<see cref="NoKey"/> included when some calls named none).</summary>
    public IEnumerable<string> Keys => _perDay.Keys;

    public IReadOnlyList<UsageCell> CellsFor(string key) =>
        [.. _cells.Where(kv => kv.Key.Key == key)
            .OrderBy(kv => kv.Key.Principal, StringComparer.Ordinal).ThenBy(kv => kv.Key.Operation, StringComparer.Ordinal)
            .Select(kv => kv.Value.ToCell(key == NoKey ? null : key, kv.Key.Principal, kv.Key.Operation))];

    public IReadOnlyList<UsageCell> AllCells() =>
        [.. _cells.OrderBy(kv => kv.Key.Key, StringComparer.Ordinal).ThenBy(kv => kv.Key.Principal, StringComparer.Ordinal).ThenBy(kv => kv.Key.Operation, StringComparer.Ordinal)
            .Select(kv => kv.Value.ToCell(kv.Key.Key == NoKey ? null : kv.Key.Key, kv.Key.Principal, kv.Key.Operation))];

    public IReadOnlyList<DayCount> CallsPerDay(string key) =>
        _perDay.TryGetValue(key, out var days) ? [.. days.Select(d => new DayCount(d.Key, d.Value))] : [];

    public long CallsOn(string key) => _perDay.TryGetValue(key, out var days) ? days.Values.Sum() : 0;

    public long CallsWithUnknownPolicy(string key) => _unknownPolicy.GetValueOrDefault(key);

    private sealed class Cell(DateTimeOffset at)
    {
        public long Count, Failed;
        public DateTimeOffset First = at, Last = at;
        public readonly Dictionary<(string Decision, string Path, string? Sid, string? Grant), long> Authorizations = new();

        public UsageCell ToCell(string? key, string principal, string operation) => new()
        {
            KeyArn = key, Principal = principal, Operation = operation, Count = Count, Failed = Failed, FirstSeen = First, LastSeen = Last,
            Authorizations = [.. Authorizations.OrderByDescending(a => a.Value).ThenBy(a => a.Key.Path, StringComparer.Ordinal)
                .ThenBy(a => a.Key.Sid, StringComparer.Ordinal).ThenBy(a => a.Key.Grant, StringComparer.Ordinal)
                .Select(a => new AuthorizationTally(a.Key.Decision, a.Key.Path, a.Key.Sid, a.Key.Grant, a.Value))],
        };
    }
}
