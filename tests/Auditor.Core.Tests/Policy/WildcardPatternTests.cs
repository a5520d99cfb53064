using System.Text;
using System.Text.RegularExpressions;
using Auditor.Core.Policy;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Auditor.Core.Tests.Policy;

public class WildcardPatternTests
{
    [Theory]
    [InlineData("kms:*", "kms:Decrypt", true)]
    [InlineData("kms:Generate*", "kms:GenerateDataKeyPair", true)]
    [InlineData("kms:Delete*", "kms:ScheduleKeyDeletion", false)]
    [InlineData("kms:*Key", "kms:CreateKey", true)]
    [InlineData("kms:Re?ncrypt*", "kms:ReEncryptFrom", true)]
    [InlineData("kms:?", "kms:", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("**", "", true)]
    public void Matches_like_IAM(string pattern, string value, bool expected) =>
        Assert.Equal(expected, new WildcardPattern(pattern, ignoreCase: true).IsMatch(value));

    [Fact]
    public void Case_sensitive_pattern_respects_case() =>
        Assert.False(new WildcardPattern("arn:aws:kms:*:key/ABC*", ignoreCase: false).IsMatch("arn:aws:kms:us-east-1:key/abc1"));

    private static readonly Gen<string> Patterns = Gen.Elements('a', 'b', 'A', '*', '?').ArrayOf().Select(cs => new string(cs));
    private static readonly Gen<string> Inputs = Gen.Elements('a', 'b', 'A', 'B', '*').ArrayOf().Select(cs => new string(cs));

    private static bool Reference(string pattern, string input, bool ignoreCase)
    {
        var sb = new StringBuilder("^");
        foreach (char c in pattern) sb.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        sb.Append('$');
        var options = RegexOptions.Singleline | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        return Regex.IsMatch(input, sb.ToString(), options);
    }

    [Property(MaxTest = 2000)]
    public Property Agrees_with_a_regex_reference() =>
        Prop.ForAll(Patterns.ToArbitrary(), Inputs.ToArbitrary(), Gen.Elements(true, false).ToArbitrary(),
            (p, s, ic) => new WildcardPattern(p, ic).IsMatch(s) == Reference(p, s, ic));

    [Property]
    public Property A_literal_pattern_matches_only_itself() =>
        Prop.ForAll(Gen.Elements('a', 'b', 'c', ':').ArrayOf().Select(cs => new string(cs)).ToArbitrary(), Inputs.ToArbitrary(),
            (lit, other) => new WildcardPattern(lit, false).IsMatch(lit) && new WildcardPattern(lit, false).IsMatch(other) == (lit == other));

    [Property]
    public Property Star_matches_everything() =>
        Prop.ForAll(Inputs.ToArbitrary(), s => new WildcardPattern("*", false).IsMatch(s));

    [Property]
    public Property Prefix_star_matches_exactly_the_strings_with_that_prefix() =>
        Prop.ForAll(Gen.Elements('a', 'b').ArrayOf().Select(cs => new string(cs)).ToArbitrary(), Inputs.ToArbitrary(),
            (prefix, s) => new WildcardPattern(prefix + "*", false).IsMatch(s) == s.StartsWith(prefix, StringComparison.Ordinal));
}
