using Auditor.Core.Authorization;
using Auditor.Core.Policy;

namespace Auditor.Core.Tests.Policy;

public class KeyPolicyEvaluatorTests
{
    private static readonly PolicyDocument Policy = PolicyDocument.Parse("""
        {"Statement":[
          {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
          {"Sid":"Users","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/App"},"Action":"kms:Decrypt","Resource":"*",
           "Condition":{"StringEquals":{"kms:ViaService":"s3.us-west-2.amazonaws.com"}}},
          {"Sid":"Admins","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Admin"},"Action":"kms:Put*","Resource":"*"}]}
        """);

    [Fact]
    public void Separates_statements_naming_the_caller_from_the_root_delegation()
    {
        var r = KeyPolicyEvaluator.Evaluate(Policy, TestRequests.For("arn:aws:sts::111122223333:assumed-role/App/s", "kms:Decrypt",
            new() { ["kms:ViaService"] = ["s3.us-west-2.amazonaws.com"] }));
        Assert.True(r.NamesCaller);
        Assert.Equal("Users", r.DirectAllowStatement!.Sid);
        Assert.True(r.RootDelegationApplies);
        Assert.Equal("Enable IAM User Permissions", r.AccountAllowStatement!.Sid);
        Assert.Equal(Tri.False, r.Deny);
    }

    [Fact]
    public void A_condition_on_an_unknown_key_leaves_the_statement_undetermined()
    {
        var r = KeyPolicyEvaluator.Evaluate(Policy, TestRequests.For("arn:aws:sts::111122223333:assumed-role/App/s", "kms:Decrypt", unknownKeys: ["kms:ViaService"]));
        Assert.Equal(Tri.Unknown, r.DirectAllow);
        Assert.False(r.IsDetermined);
        Assert.True(r.RootDelegationApplies);
    }

    [Fact]
    public void Finds_the_statement_naming_a_caller_whatever_the_action()
    {
        var caller = TestRequests.For("arn:aws:iam::111122223333:user/Admin", "kms:Decrypt").Caller;
        Assert.Equal("Admins", KeyPolicyEvaluator.FindStatementNamingCaller(Policy, caller)!.Sid);
        var other = TestRequests.For("arn:aws:iam::111122223333:user/Nobody", "kms:Decrypt").Caller;
        Assert.Null(KeyPolicyEvaluator.FindStatementNamingCaller(Policy, other));
    }

    [Fact]
    public void Unknown_key_policy_is_undetermined()
    {
        var r = AuthorizationEvaluator.Evaluate(null, [], null, TestRequests.For("arn:aws:iam::111122223333:user/A", "kms:Decrypt"));
        Assert.Equal((Decision.Undetermined, AuthorizationPath.Unknown), (r.Decision, r.Path));
    }

    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.255", true)]
    [InlineData("203.0.113.9/24", "203.0.113.1", true)] // host bits set in the block: the masked network
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("203.0.113.0/24", "not-an-ip", false)]
    public void IpAddress_matches_cidr_blocks(string block, string ip, bool expected)
    {
        var p = PolicyDocument.Parse("""{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Condition":{"IpAddress":{"aws:SourceIp":"BLOCK"}}}}""".Replace("BLOCK", block, StringComparison.Ordinal));
        var r = KeyPolicyEvaluator.Evaluate(p, TestRequests.For("arn:aws:iam::111122223333:user/A", "kms:Decrypt", new() { ["aws:SourceIp"] = [ip] }));
        Assert.Equal(expected ? Tri.True : Tri.False, r.DirectAllow);
    }
}
