namespace Auditor.Core.Policy;

/// <summary>
/// An IAM wildcard pattern (<c>*</c> any run of characters, <c>?</c> exactly one), compiled once at
/// parse time into the cheapest matcher that fits: everything, an exact string, a prefix, a suffix,
/// or a general backtracking matcher. Matching never allocates.
/// </summary>
public sealed class WildcardPattern
{
    private enum Shape : byte { Any, Exact, Prefix, Suffix, General }

    private readonly Shape _shape;
    private readonly string _core;
    private readonly StringComparison _comparison;
    private readonly bool[]? _literal;

    /// <summary>The text as written in the policy.</summary>
    public string Text { get; }
    public bool IgnoreCase { get; }
    /// <summary>True when the pattern holds no wildcard at all.</summary>
    public bool IsLiteral => _shape == Shape.Exact;
    /// <summary>True for <c>*</c>.</summary>
    public bool MatchesEverything => _shape == Shape.Any;

    public WildcardPattern(string text, bool ignoreCase) : this(text, ignoreCase, null) { }

    /// <summary>
    /// <paramref name="literalMask"/>, when given, marks characters that must be taken literally even
    /// if they are <c>*</c> or <c>?</c> (policy variables <c>${*}</c> and <c>${?}</c>).
    /// </summary>
    internal WildcardPattern(string text, bool ignoreCase, bool[]? literalMask)
    {
        Text = text;
        IgnoreCase = ignoreCase;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        int stars = 0, questions = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (literalMask is not null && literalMask[i]) continue;
            if (text[i] == '*') stars++;
            else if (text[i] == '?') questions++;
        }
        if (stars == 0 && questions == 0) { _shape = Shape.Exact; _core = text; return; }
        if (questions == 0 && stars == 1 && literalMask is null)
        {
            if (text.Length == 1) { _shape = Shape.Any; _core = ""; return; }
            if (text[^1] == '*') { _shape = Shape.Prefix; _core = text[..^1]; return; }
            if (text[0] == '*') { _shape = Shape.Suffix; _core = text[1..]; return; }
        }
        if (questions == 0 && literalMask is null && text.AsSpan().Trim('*').Length == 0) { _shape = Shape.Any; _core = ""; return; }
        _shape = Shape.General;
        _core = text;
        _literal = literalMask;
    }

    public bool IsMatch(string? value) => value is not null && IsMatch(value.AsSpan());

    public bool IsMatch(ReadOnlySpan<char> value) => _shape switch
    {
        Shape.Any => true,
        Shape.Exact => value.Equals(_core, _comparison),
        Shape.Prefix => value.StartsWith(_core, _comparison),
        Shape.Suffix => value.EndsWith(_core, _comparison),
        _ => MatchGeneral(value),
    };

    // Iterative glob matching with single-star backtracking: linear in practice, no recursion, no allocation.
    private bool MatchGeneral(ReadOnlySpan<char> s)
    {
        ReadOnlySpan<char> p = _core;
        int pi = 0, si = 0, starP = -1, starS = 0;
        while (si < s.Length)
        {
            if (pi < p.Length && IsStar(pi)) { starP = pi++; starS = si; continue; }
            if (pi < p.Length && (IsQuestion(pi) || CharEquals(p[pi], s[si]))) { pi++; si++; continue; }
            if (starP < 0) return false;
            pi = starP + 1;
            si = ++starS;
        }
        while (pi < p.Length && IsStar(pi)) pi++;
        return pi == p.Length;
    }

    private bool IsStar(int i) => _core[i] == '*' && (_literal is null || !_literal[i]);
    private bool IsQuestion(int i) => _core[i] == '?' && (_literal is null || !_literal[i]);

    private bool CharEquals(char a, char b) =>
        a == b || (IgnoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));

    public override string ToString() => Text;
}
