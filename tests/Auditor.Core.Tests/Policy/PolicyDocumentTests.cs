using Auditor.Core.Policy;

namespace Auditor.Core.Tests.Policy;

public class PolicyDocumentTests
{
    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"Version\":\"2012-10-17\"}", "no Statement")]
    [InlineData("{\"Statement\":{\"Effect\":\"allow\",\"Action\":\"kms:*\"}}", "Effect must be \"Allow\" or \"Deny\"")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\"}}", "neither Action nor NotAction")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\",\"NotAction\":\"b\"}}", "both Action and NotAction")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\",\"Principal\":\"*\",\"NotPrincipal\":\"*\"}}", "both Principal and NotPrincipal")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\",\"Condition\":{\"StringEqualz\":{\"k\":\"v\"}}}}", "unknown condition operator \"StringEqualz\"")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\",\"Condition\":{\"NullIfExists\":{\"k\":\"true\"}}}}", "unknown condition operator")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\",\"Principal\":{\"IAM\":\"x\"}}}", "unknown principal type \"IAM\"")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\",\"Principal\":\"arn:aws:iam::111122223333:root\"}}", "must be \"*\"")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"a\",1]}}", "only strings")]
    [InlineData("{\"Statement\":[{\"Sid\":\"S0\",\"Effect\":\"Allow\",\"Action\":\"a\",\"Condition\":{\"StringEquals\":{\"k\":{\"x\":1}}}}]}", "Statement[0] (Sid \"S0\")")]
    public void Rejects_malformed_policies_with_a_message_naming_the_problem(string json, string expected)
    {
        var e = Assert.Throws<PolicyFormatException>(() => PolicyDocument.Parse(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Reads_single_statement_objects_lists_and_scalar_condition_values()
    {
        var p = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":{"Sid":"S","Effect":"Deny","NotPrincipal":{"AWS":["111122223333","arn:aws:iam::111122223333:role/R"],"Service":"ec2.amazonaws.com"},
             "NotAction":"kms:Decrypt","NotResource":["arn:aws:kms:*:*:key/a"],
             "Condition":{"Bool":{"kms:GrantIsForAWSResource":true},"NumericLessThan":{"kms:ScheduleKeyDeletionPendingWindowInDays":[7,14.5]}}}}
            """);
        var s = Assert.Single(p.Statements);
        Assert.Equal(PolicyEffect.Deny, s.Effect);
        Assert.Equal(2, s.NotPrincipal!.Aws.Count);
        Assert.Equal(PrincipalRef.RefKind.Account, s.NotPrincipal.Aws[0].Kind);
        Assert.Equal(PrincipalRef.RefKind.Role, s.NotPrincipal.Aws[1].Kind);
        Assert.Single(s.NotPrincipal.Service);
        Assert.Equal(["true"], s.Conditions[0].Values.Select(v => v.Text));
        Assert.Equal(["7", "14.5"], s.Conditions[1].Values.Select(v => v.Text));
    }

    [Theory]
    [InlineData("ForAllValues:StringNotLikeIfExists", ConditionComparison.StringLike, true, true, SetQualifier.ForAllValues)]
    [InlineData("ForAnyValue:StringEquals", ConditionComparison.StringEquals, false, false, SetQualifier.ForAnyValue)]
    [InlineData("ArnNotEquals", ConditionComparison.ArnLike, true, false, SetQualifier.None)]
    [InlineData("NotIpAddress", ConditionComparison.IpAddress, true, false, SetQualifier.None)]
    [InlineData("DateGreaterThanEqualsIfExists", ConditionComparison.DateGreaterThanEquals, false, true, SetQualifier.None)]
    public void Parses_condition_operators(string name, ConditionComparison cmp, bool negated, bool ifExists, SetQualifier set)
    {
        Assert.True(ConditionOperator.TryParse(name, out var op));
        Assert.Equal((cmp, negated, ifExists, set), (op.Comparison, op.Negated, op.IfExists, op.Set));
    }

    [Fact]
    public void Parses_a_policy_given_as_a_json_string_element()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"kms:*\\\",\\\"Principal\\\":\\\"*\\\"}]}\"");
        Assert.Single(PolicyDocument.Parse(doc.RootElement).Statements);
    }
}
