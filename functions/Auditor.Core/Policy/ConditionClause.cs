using System.Globalization;
using System.Net;

namespace Auditor.Core.Policy;

/// <summary>
/// One operator/key pair of a Condition block with its values, compiled at parse time (wildcards,
/// numbers, dates, CIDR blocks, ARN components). Evaluation follows the IAM User Guide, "Condition
/// operators" and "Single-valued vs. multivalued context keys":
/// <list type="bullet">
/// <item>values of one key are ORed; a negated operator is true when the request value matches none;</item>
/// <item>a missing key makes a positive operator false and a negated one true; <c>...IfExists</c> makes it true;</item>
/// <item><c>ForAnyValue:</c> is false and <c>ForAllValues:</c> true on a missing or empty key;</item>
/// <item>a key the auditor cannot know makes the clause <see cref="Tri.Unknown"/>.</item>
/// </list>
/// </summary>
public sealed class ConditionClause
{
    public ConditionOperator Operator { get; }
    /// <summary>The condition key as written (compared case-insensitively).</summary>
    public string Key { get; }
    public IReadOnlyList<PolicyValue> Values { get; }
    private readonly CompiledValue?[] _compiled;

    public ConditionClause(ConditionOperator op, string key, IReadOnlyList<PolicyValue> values)
    {
        Operator = op;
        Key = key;
        Values = values;
        _compiled = new CompiledValue?[values.Count];
        for (int i = 0; i < values.Count; i++)
            _compiled[i] = values[i].HasVariables ? null : CompiledValue.Compile(op.Comparison, values[i].Text, null);
    }

    public Tri Evaluate(IConditionValueSource ctx)
    {
        if (ctx.IsUnknown(Key)) return Tri.Unknown;
        bool present = ctx.TryGet(Key, out var request) && request.Count > 0;

        if (Operator.Comparison == ConditionComparison.Null)
        {
            // "Null": {"k": "true"} holds when k is absent; "false" when present.
            var r = Tri.False;
            foreach (var v in Values)
            {
                bool wantAbsent = string.Equals(v.Text, "true", StringComparison.OrdinalIgnoreCase);
                r = TriLogic.Or(r, TriLogic.Of(wantAbsent != present));
            }
            return r;
        }

        if (!present)
        {
            if (Operator.IfExists) return Tri.True;
            return Operator.Set switch
            {
                SetQualifier.ForAnyValue => Tri.False,
                SetQualifier.ForAllValues => Tri.True,
                _ => TriLogic.Of(Operator.Negated),
            };
        }

        switch (Operator.Set)
        {
            case SetQualifier.ForAnyValue:
            {
                var any = Tri.False;
                for (int i = 0; i < request.Count && any != Tri.True; i++)
                    any = TriLogic.Or(any, ValueHolds(request[i], ctx));
                return any;
            }
            case SetQualifier.ForAllValues:
            {
                var all = Tri.True;
                for (int i = 0; i < request.Count && all != Tri.False; i++)
                    all = TriLogic.And(all, ValueHolds(request[i], ctx));
                return all;
            }
            default:
            {
                // Without a set qualifier a multi-valued key behaves as "some request value matches"; a negated
                // operator is the negation of that (true only when no value matches any policy value).
                var any = Tri.False;
                for (int i = 0; i < request.Count && any != Tri.True; i++)
                    any = TriLogic.Or(any, AnyPolicyValueMatches(request[i], ctx));
                return Operator.Negated ? TriLogic.Not(any) : any;
            }
        }
    }

    // For set qualifiers: does this one request value satisfy the operator (negation applied per value)?
    private Tri ValueHolds(string requestValue, IConditionValueSource ctx)
    {
        var m = AnyPolicyValueMatches(requestValue, ctx);
        return Operator.Negated ? TriLogic.Not(m) : m;
    }

    private Tri AnyPolicyValueMatches(string requestValue, IConditionValueSource ctx)
    {
        var r = Tri.False;
        for (int i = 0; i < _compiled.Length; i++)
        {
            var c = _compiled[i];
            if (c is null)
            {
                var resolved = Values[i].Resolve(ctx, out string text, out bool[]? mask);
                if (resolved == Tri.False) continue;
                if (resolved == Tri.Unknown) { r = Tri.Unknown; continue; }
                c = CompiledValue.Compile(Operator.Comparison, text, mask);
            }
            if (c.Matches(Operator.Comparison, requestValue)) return Tri.True;
        }
        return r;
    }

    /// <summary>One policy value prepared for its comparison.</summary>
    private sealed class CompiledValue
    {
        private string _text = "";
        private WildcardPattern? _pattern;
        private ArnPattern? _arn;
        private double _number;
        private DateTimeOffset _date;
        private IPNetwork _network;
        private bool _valid;

        public static CompiledValue Compile(ConditionComparison cmp, string text, bool[]? literalMask)
        {
            var c = new CompiledValue { _text = text, _valid = true };
            switch (cmp)
            {
                case ConditionComparison.StringLike:
                    c._pattern = new WildcardPattern(text, ignoreCase: false, literalMask);
                    break;
                case ConditionComparison.ArnLike:
                    c._arn = new ArnPattern(text, literalMask);
                    break;
                case ConditionComparison.NumericEquals or ConditionComparison.NumericLessThan or ConditionComparison.NumericLessThanEquals
                    or ConditionComparison.NumericGreaterThan or ConditionComparison.NumericGreaterThanEquals:
                    c._valid = TryNumber(text, out c._number);
                    break;
                case ConditionComparison.DateEquals or ConditionComparison.DateLessThan or ConditionComparison.DateLessThanEquals
                    or ConditionComparison.DateGreaterThan or ConditionComparison.DateGreaterThanEquals:
                    c._valid = TryDate(text, out c._date);
                    break;
                case ConditionComparison.IpAddress:
                    c._valid = TryNetwork(text, out c._network);
                    break;
            }
            return c;
        }

        public bool Matches(ConditionComparison cmp, string v)
        {
            if (!_valid) return false;
            switch (cmp)
            {
                case ConditionComparison.StringEquals:
                case ConditionComparison.BinaryEquals:
                    return string.Equals(v, _text, StringComparison.Ordinal);
                case ConditionComparison.StringEqualsIgnoreCase:
                case ConditionComparison.Bool:
                    return string.Equals(v, _text, StringComparison.OrdinalIgnoreCase);
                case ConditionComparison.StringLike:
                    return _pattern!.IsMatch(v);
                case ConditionComparison.ArnLike:
                    return _arn!.IsMatch(v);
                case ConditionComparison.IpAddress:
                    return IPAddress.TryParse(v, out var ip) && Contains(_network, ip);
            }
            if (cmp <= ConditionComparison.NumericGreaterThanEquals)
            {
                if (!TryNumber(v, out double n)) return false;
                return cmp switch
                {
                    ConditionComparison.NumericEquals => n == _number,
                    ConditionComparison.NumericLessThan => n < _number,
                    ConditionComparison.NumericLessThanEquals => n <= _number,
                    ConditionComparison.NumericGreaterThan => n > _number,
                    _ => n >= _number,
                };
            }
            if (!TryDate(v, out var d)) return false;
            return cmp switch
            {
                ConditionComparison.DateEquals => d == _date,
                ConditionComparison.DateLessThan => d < _date,
                ConditionComparison.DateLessThanEquals => d <= _date,
                ConditionComparison.DateGreaterThan => d > _date,
                _ => d >= _date,
            };
        }

        private static bool Contains(IPNetwork net, IPAddress ip)
        {
            if (ip.AddressFamily != net.BaseAddress.AddressFamily)
            {
                if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
                else return false;
            }
            return net.Contains(ip);
        }

        private static bool TryNumber(string s, out double n) =>
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out n);

        /// <summary>IAM date values: ISO 8601 (with or without time) or epoch seconds.</summary>
        internal static bool TryDate(string s, out DateTimeOffset d)
        {
            if (s.Length > 0 && char.IsAsciiDigit(s[0]) && !s.Contains('-') &&
                long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long epoch))
            {
                d = DateTimeOffset.FromUnixTimeSeconds(epoch);
                return true;
            }
            return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out d);
        }

        private static bool TryNetwork(string s, out IPNetwork net)
        {
            if (IPNetwork.TryParse(s, out net)) return true;
            int slash = s.IndexOf('/');
            if (slash > 0 && IPAddress.TryParse(s.AsSpan(0, slash), out var baseIp) &&
                int.TryParse(s.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix))
            {
                // A CIDR with host bits set ("203.0.113.9/24"): the block is the masked address.
                byte[] bytes = baseIp.GetAddressBytes();
                if (prefix < 0 || prefix > bytes.Length * 8) return false;
                for (int bit = prefix; bit < bytes.Length * 8; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
                net = new IPNetwork(new IPAddress(bytes), prefix);
                return true;
            }
            if (IPAddress.TryParse(s, out var ip))
            {
                net = new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
                return true;
            }
            return false;
        }
    }
}
