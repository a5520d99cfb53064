using Auditor.Core.Policy;
using Auditor.Core.Reporting;

namespace Auditor.Core.Tests.Reporting;

public sealed class PolicySummarizerTests
{
    private static PolicySummary Summarize(string statements) =>
        PolicySummarizer.Summarize(PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{{statements}}]}"""), "111122223333", "test");

    [Fact]
    public void Wildcard_actions_make_an_administrator_and_use_actions_a_user()
    {
        var s = Summarize("""
            {"Sid":"Admins","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Admin"},"Action":["kms:Create*","kms:Put*","kms:ScheduleKeyDeletion"],"Resource":"*"},
            {"Sid":"Users","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/App"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}
            """);
        Assert.Equal("arn:aws:iam::111122223333:role/Admin", Assert.Single(s.Administrators).Principal);
        Assert.Contains("kms:PutKeyPolicy", s.Administrators[0].Actions);
        Assert.Equal("arn:aws:iam::111122223333:role/App", Assert.Single(s.Users).Principal);
        Assert.Empty(s.IamDelegation);
    }

    [Fact]
    public void Root_of_own_account_is_delegation_and_other_account_is_external()
    {
        var s = Summarize("""
            {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
            {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:Decrypt","Resource":"*"}
            """);
        Assert.Equal(["Enable IAM User Permissions"], s.IamDelegation);
        Assert.DoesNotContain(s.Administrators, a => a.Principal.Contains("111122223333", StringComparison.Ordinal));
        Assert.Equal("444455556666", Assert.Single(s.ExternalAccounts).Principal);
    }

    [Fact]
    public void Star_principal_is_public_with_its_conditions()
    {
        var s = Summarize("""
            {"Sid":"Open","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}
            """);
        var p = Assert.Single(s.PublicStatements);
        Assert.Equal("Open", p.Statement);
        Assert.Contains("kms:CallerAccount", p.ConditionText);
    }

    [Fact]
    public void Deny_statements_are_listed_apart()
    {
        var s = Summarize("""
            {"Sid":"NoDelete","Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:ScheduleKeyDeletion","Resource":"*"}
            """);
        Assert.Equal("NoDelete", Assert.Single(s.Denies).Statement);
        Assert.Empty(s.PublicStatements);
        Assert.Empty(s.Administrators);
    }
}
