namespace Auditor.Core.Policy;

/// <summary>The comparison family of a condition operator, without its negation, IfExists or set qualifier.</summary>
public enum ConditionComparison : byte
{
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    ArnLike,
    Null,
}

/// <summary><c>ForAnyValue:</c> / <c>ForAllValues:</c> on multi-valued keys.</summary>
public enum SetQualifier : byte
{
    None,
    ForAnyValue,
    ForAllValues,
}

/// <summary>
/// A parsed condition operator such as <c>ForAllValues:StringNotLikeIfExists</c>
/// (IAM User Guide, "Condition operators" and "Multivalued context keys").
/// </summary>
public readonly record struct ConditionOperator(string Name, ConditionComparison Comparison, bool Negated, bool IfExists, SetQualifier Set)
{
    public static bool TryParse(string name, out ConditionOperator op)
    {
        op = default;
        ReadOnlySpan<char> s = name;
        var set = SetQualifier.None;
        if (s.StartsWith("ForAnyValue:", StringComparison.OrdinalIgnoreCase)) { set = SetQualifier.ForAnyValue; s = s["ForAnyValue:".Length..]; }
        else if (s.StartsWith("ForAllValues:", StringComparison.OrdinalIgnoreCase)) { set = SetQualifier.ForAllValues; s = s["ForAllValues:".Length..]; }
        bool ifExists = false;
        if (s.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase) && s.Length > "IfExists".Length)
        {
            ifExists = true;
            s = s[..^"IfExists".Length];
        }
        (ConditionComparison c, bool neg)? parsed = s.ToString().ToLowerInvariant() switch
        {
            "stringequals" => (ConditionComparison.StringEquals, false),
            "stringnotequals" => (ConditionComparison.StringEquals, true),
            "stringequalsignorecase" => (ConditionComparison.StringEqualsIgnoreCase, false),
            "stringnotequalsignorecase" => (ConditionComparison.StringEqualsIgnoreCase, true),
            "stringlike" => (ConditionComparison.StringLike, false),
            "stringnotlike" => (ConditionComparison.StringLike, true),
            "numericequals" => (ConditionComparison.NumericEquals, false),
            "numericnotequals" => (ConditionComparison.NumericEquals, true),
            "numericlessthan" => (ConditionComparison.NumericLessThan, false),
            "numericlessthanequals" => (ConditionComparison.NumericLessThanEquals, false),
            "numericgreaterthan" => (ConditionComparison.NumericGreaterThan, false),
            "numericgreaterthanequals" => (ConditionComparison.NumericGreaterThanEquals, false),
            "dateequals" => (ConditionComparison.DateEquals, false),
            "datenotequals" => (ConditionComparison.DateEquals, true),
            "datelessthan" => (ConditionComparison.DateLessThan, false),
            "datelessthanequals" => (ConditionComparison.DateLessThanEquals, false),
            "dategreaterthan" => (ConditionComparison.DateGreaterThan, false),
            "dategreaterthanequals" => (ConditionComparison.DateGreaterThanEquals, false),
            "bool" => (ConditionComparison.Bool, false),
            "binaryequals" => (ConditionComparison.BinaryEquals, false),
            "ipaddress" => (ConditionComparison.IpAddress, false),
            "notipaddress" => (ConditionComparison.IpAddress, true),
            // IAM documents ArnEquals and ArnLike as the same comparison (wildcards allowed in both).
            "arnequals" or "arnlike" => (ConditionComparison.ArnLike, false),
            "arnnotequals" or "arnnotlike" => (ConditionComparison.ArnLike, true),
            "null" => (ConditionComparison.Null, false),
            _ => null,
        };
        if (parsed is null) return false;
        // Null takes no IfExists (IAM: "...IfExists" applies to every operator except Null).
        if (parsed.Value.c == ConditionComparison.Null && ifExists) return false;
        op = new ConditionOperator(name, parsed.Value.c, parsed.Value.neg, ifExists, set);
        return true;
    }
}
