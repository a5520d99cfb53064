using Auditor.Core.State;

namespace Auditor.Core.Baselines;

/// <summary>
/// Expected principals per key (CONTRACT section 5). A listed principal (wildcards <c>*</c> and <c>?</c>)
/// never raises <c>unexpected-principal</c> on that key.
/// </summary>
public sealed class Baseline
{
    private readonly Dictionary<string, string[]> _byKey;
    private readonly string[] _default;

    public Baseline(IReadOnlyDictionary<string, IReadOnlyList<string>> keys, IReadOnlyList<string> defaults)
    {
        _byKey = keys.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        _default = [.. defaults];
    }

    public static readonly Baseline Empty = new(new Dictionary<string, IReadOnlyList<string>>(), []);

    public int KeyCount => _byKey.Count;

    /// <summary>
    /// True when <paramref name="principal"/> (or the session ARN) is expected on the key, which the baseline
    /// may name by ARN, bare key id, or any alias that pointed at it.
    /// </summary>
    public bool Expects(string keyArn, IEnumerable<string> aliases, string principal, string? sessionArn)
    {
        if (Matches(_default, principal, sessionArn)) return true;
        if (_byKey.TryGetValue(keyArn, out var p) && Matches(p, principal, sessionArn)) return true;
        if (_byKey.TryGetValue(Arns.KeyIdOf(keyArn), out p) && Matches(p, principal, sessionArn)) return true;
        foreach (var a in aliases)
            if (_byKey.TryGetValue(a, out p) && Matches(p, principal, sessionArn)) return true;
        return false;
    }

    private static bool Matches(string[] patterns, string principal, string? session)
    {
        foreach (var pattern in patterns)
            if (Wildcard.IsMatch(pattern, principal) || (session is not null && Wildcard.IsMatch(pattern, session))) return true;
        return false;
    }
}
