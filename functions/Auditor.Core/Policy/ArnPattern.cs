namespace Auditor.Core.Policy;

/// <summary>
/// An ARN pattern for <c>ArnEquals</c>/<c>ArnLike</c> (and resource matching): IAM checks each of the
/// six colon-delimited components separately, case-sensitively, each with <c>*</c>/<c>?</c> wildcards.
/// The sixth component (resource) keeps any further colons.
/// </summary>
public sealed class ArnPattern
{
    private readonly WildcardPattern[]? _parts;
    private readonly WildcardPattern? _whole;

    public string Text { get; }

    public ArnPattern(string text) : this(text, null) { }

    internal ArnPattern(string text, bool[]? literalMask)
    {
        Text = text;
        if (literalMask is null && text == "*") { _whole = new WildcardPattern("*", false); return; }
        var bounds = Split(text);
        if (bounds is null) { _whole = new WildcardPattern(text, false, literalMask); return; }
        _parts = new WildcardPattern[6];
        for (int i = 0; i < 6; i++)
        {
            var (start, len) = bounds[i];
            bool[]? mask = literalMask is null ? null : literalMask.AsSpan(start, len).ToArray();
            _parts[i] = new WildcardPattern(text.Substring(start, len), false, mask);
        }
    }

    public bool IsMatch(string? value)
    {
        if (value is null) return false;
        if (_whole is not null) return _whole.IsMatch(value);
        var bounds = SplitInline(value, out var b0, out var b1, out var b2, out var b3, out var b4, out var b5);
        if (!bounds) return false;
        ReadOnlySpan<char> v = value;
        return _parts![0].IsMatch(v.Slice(b0.s, b0.l)) && _parts[1].IsMatch(v.Slice(b1.s, b1.l)) &&
               _parts[2].IsMatch(v.Slice(b2.s, b2.l)) && _parts[3].IsMatch(v.Slice(b3.s, b3.l)) &&
               _parts[4].IsMatch(v.Slice(b4.s, b4.l)) && _parts[5].IsMatch(v.Slice(b5.s, b5.l));
    }

    private static (int, int)[]? Split(string s)
    {
        if (!SplitInline(s, out var a, out var b, out var c, out var d, out var e, out var f)) return null;
        return [(a.s, a.l), (b.s, b.l), (c.s, c.l), (d.s, d.l), (e.s, e.l), (f.s, f.l)];
    }

    private static bool SplitInline(string s, out (int s, int l) p0, out (int s, int l) p1, out (int s, int l) p2,
        out (int s, int l) p3, out (int s, int l) p4, out (int s, int l) p5)
    {
        p0 = p1 = p2 = p3 = p4 = p5 = default;
        int start = 0;
        Span<(int s, int l)> parts = stackalloc (int, int)[5];
        for (int i = 0; i < 5; i++)
        {
            int colon = s.IndexOf(':', start);
            if (colon < 0) return false;
            parts[i] = (start, colon - start);
            start = colon + 1;
        }
        p0 = parts[0]; p1 = parts[1]; p2 = parts[2]; p3 = parts[3]; p4 = parts[4];
        p5 = (start, s.Length - start);
        return true;
    }

    public override string ToString() => Text;
}
