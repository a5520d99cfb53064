using Auditor.Core.Policy;
using Auditor.Core.State;

namespace Auditor.Core.Baselines;

/// <summary>
/// Expected principals per key (CONTRACT section 5). A listed principal (wildcards <c>*</c> and <c>?</c>)
/// never raises <c>unexpected-principal</c> on that key.
/// </summary>
public sealed class Baseline
{
    private readonly Dictionary<string, WildcardPattern[]> _byKey;
    private readonly WildcardPattern[] _default;

    public Baseline(IReadOnlyDictionary<string, IReadOnlyList<string>> keys, IReadOnlyList<string> defaults)
    {
        // ARNs compare case-sensitively, so the patterns do too.
        _byKey = keys.ToDictionary(kv => kv.Key, kv => Compile(kv.Value), StringComparer.Ordinal);
        _default = Compile(defaults);
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

    private static WildcardPattern[] Compile(IEnumerable<string> patterns) => [.. patterns.Select(p => new WildcardPattern(p, ignoreCase: false))];

    private static bool Matches(WildcardPattern[] patterns, string principal, string? session)
    {
        foreach (var pattern in patterns)
            if (pattern.IsMatch(principal) || (session is not null && pattern.IsMatch(session))) return true;
        return false;
    }
}
