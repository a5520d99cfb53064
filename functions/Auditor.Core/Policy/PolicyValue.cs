using System.Text;

namespace Auditor.Core.Policy;

/// <summary>
/// One value of a Condition or Resource element. JSON numbers and booleans are kept as their text, the
/// way IAM compares them. A value holding policy variables (<c>${aws:username}</c>,
/// <c>${aws:PrincipalTag/team, 'none'}</c>, <c>${*}</c>, <c>${?}</c>, <c>${$}</c>) is split into parts
/// at parse time so evaluation only substitutes.
/// </summary>
public sealed class PolicyValue
{
    /// <summary>The value as written.</summary>
    public string Text { get; }
    /// <summary>Null when the value holds no variable; else literal and variable parts in order.</summary>
    internal readonly Part[]? Parts;

    internal readonly record struct Part(string Literal, string? VariableKey, string? Default, bool LiteralWildcard);

    public bool HasVariables => Parts is not null;

    public PolicyValue(string text)
    {
        Text = text;
        Parts = text.Contains("${", StringComparison.Ordinal) ? ParseParts(text) : null;
    }

    private static Part[]? ParseParts(string text)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        int i = 0;
        bool any = false;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                int end = text.IndexOf('}', i + 2);
                if (end < 0) { literal.Append(text, i, text.Length - i); break; }
                string inner = text.Substring(i + 2, end - i - 2).Trim();
                if (literal.Length > 0) { parts.Add(new Part(literal.ToString(), null, null, false)); literal.Clear(); }
                if (inner is "*" or "?" or "$")
                    parts.Add(new Part(inner, null, null, inner != "$"));
                else
                {
                    string key = inner;
                    string? dflt = null;
                    int comma = inner.IndexOf(',');
                    if (comma >= 0)
                    {
                        key = inner[..comma].Trim();
                        string d = inner[(comma + 1)..].Trim();
                        if (d.Length >= 2 && d[0] == '\'' && d[^1] == '\'') d = d[1..^1];
                        dflt = d;
                    }
                    parts.Add(new Part("", key, dflt, false));
                }
                any = true;
                i = end + 1;
                continue;
            }
            literal.Append(text[i]);
            i++;
        }
        if (!any) return null;
        if (literal.Length > 0) parts.Add(new Part(literal.ToString(), null, null, false));
        return [.. parts];
    }

    /// <summary>
    /// Substitutes the variables from the request. <see cref="Tri.False"/>: a variable's key is absent
    /// (IAM: the value then matches nothing); <see cref="Tri.Unknown"/>: its key is unknown.
    /// <paramref name="literalMask"/> marks characters that came from <c>${*}</c>/<c>${?}</c> and so
    /// are not wildcards.
    /// </summary>
    internal Tri Resolve(IConditionValueSource ctx, out string resolved, out bool[]? literalMask)
    {
        resolved = Text;
        literalMask = null;
        if (Parts is null) return Tri.True;
        var sb = new StringBuilder();
        List<bool>? mask = null;
        foreach (var p in Parts)
        {
            if (p.VariableKey is null)
            {
                if (p.LiteralWildcard) { mask ??= Enumerable.Repeat(false, sb.Length).ToList(); mask.Add(true); sb.Append(p.Literal); continue; }
                sb.Append(p.Literal);
                mask?.AddRange(Enumerable.Repeat(false, p.Literal.Length));
                continue;
            }
            string? v;
            if (ctx.IsUnknown(p.VariableKey)) return Tri.Unknown;
            if (ctx.TryGet(p.VariableKey, out var values) && values.Count == 1) v = values[0];
            else v = p.Default;
            if (v is null) return Tri.False;
            sb.Append(v);
            mask?.AddRange(Enumerable.Repeat(false, v.Length));
        }
        resolved = sb.ToString();
        literalMask = mask?.ToArray();
        return Tri.True;
    }

    public override string ToString() => Text;
}

/// <summary>What condition and variable evaluation reads from a request.</summary>
public interface IConditionValueSource
{
    bool IsUnknown(string key);
    bool TryGet(string key, out IReadOnlyList<string> values);
}
