namespace Auditor.Core.State;

/// <summary>
/// Alias names over time, per account and region: CreateAlias, UpdateAlias and DeleteAlias (and the
/// inventory) each set what <c>alias/NAME</c> pointed to from a moment on, so a call that named its key
/// by alias resolves to the key the alias meant at that call's time.
/// </summary>
public sealed class AliasBook
{
    private readonly Dictionary<string, List<(DateTimeOffset At, string? KeyArn, string? EventId, bool FromInventory)>> _history = new(StringComparer.Ordinal);

    private static string Slot(string account, string region, string aliasName) => $"{account}|{region}|{aliasName}";

    public void Set(string account, string region, string aliasName, DateTimeOffset at, string? keyArn, string? eventId, bool fromInventory = false)
    {
        var slot = Slot(account, region, NormalizeName(aliasName));
        if (!_history.TryGetValue(slot, out var list)) _history[slot] = list = [];
        if (list.Exists(e => e.At == at && e.EventId == eventId)) return;
        int i = list.FindIndex(e => e.At > at);
        var entry = (at, keyArn, eventId, fromInventory);
        if (i < 0) list.Add(entry); else list.Insert(i, entry);
    }

    /// <summary>The key <paramref name="aliasName"/> named at <paramref name="t"/>, or null when unknown or deleted.</summary>
    public string? Resolve(string account, string region, string aliasName, DateTimeOffset t)
    {
        if (!_history.TryGetValue(Slot(account, region, NormalizeName(aliasName)), out var list) || list.Count == 0) return null;
        string? found = null;
        bool any = false;
        foreach (var e in list)
        {
            if (e.At > t) break;
            found = e.KeyArn;
            any = true;
        }
        // As with policies: an inventory snapshot that is the earliest knowledge also holds before it.
        if (!any && list[0].FromInventory) return list[0].KeyArn;
        return found;
    }

    /// <summary>Every entry, for state stores: (account|region|alias, at, key, event, from inventory).</summary>
    public IEnumerable<(string Slot, DateTimeOffset At, string? KeyArn, string? EventId, bool FromInventory)> Entries() =>
        _history.OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value.Select(e => (kv.Key, e.At, e.KeyArn, e.EventId, e.FromInventory)));

    /// <summary>Restores an entry written by <see cref="Entries"/>.</summary>
    public void Restore(string slot, DateTimeOffset at, string? keyArn, string? eventId, bool fromInventory)
    {
        var parts = slot.Split('|', 3);
        if (parts.Length == 3) Set(parts[0], parts[1], parts[2], at, keyArn, eventId, fromInventory);
    }

    /// <summary>Every alias name that pointed at <paramref name="keyArn"/> at any time.</summary>
    public IEnumerable<string> NamesFor(string keyArn) =>
        _history.Where(kv => kv.Value.Exists(e => e.KeyArn == keyArn)).Select(kv => kv.Key[(kv.Key.LastIndexOf('|') + 1)..]).Distinct().Order(StringComparer.Ordinal);

    /// <summary>alias/NAME from either the name or an alias ARN.</summary>
    public static string NormalizeName(string aliasOrArn)
    {
        int i = aliasOrArn.IndexOf(":alias/", StringComparison.Ordinal);
        return i >= 0 ? aliasOrArn[(i + 1)..] : aliasOrArn;
    }
}
