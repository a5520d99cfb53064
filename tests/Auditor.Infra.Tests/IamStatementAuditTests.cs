using System.Text.Json;

namespace Auditor.Infra.Tests;

/// <summary>The classifier on hand-made statements: each rule must be able to fail.</summary>
public sealed class IamStatementAuditTests
{
    [Theory]
    [InlineData("s3:GetObject")]
    [InlineData("kms:ListKeys")]
    [InlineData("kms:DescribeKey")]
    [InlineData("kms:GetKeyPolicy")]
    [InlineData("s3:Get*")]
    public void Classifies_reads_as_read_only(string action) => Assert.True(IamStatementAudit.IsReadOnly(action));

    [Theory]
    [InlineData("s3:PutObject")]
    [InlineData("kms:CreateGrant")]
    [InlineData("kms:Decrypt")]
    [InlineData("kms:*")]
    [InlineData("*")]
    [InlineData("s3:G*")]
    [InlineData("dynamodb:PutItem")]
    [InlineData("GetObject")]
    public void Classifies_writes_and_wildcards_as_not_read_only(string action) => Assert.False(IamStatementAudit.IsReadOnly(action));

    [Theory]
    [InlineData("""{"Effect":"Allow","Action":"kms:*","Resource":"arn:aws:kms:eu-west-1:111122223333:key/x"}""", "kms:*")]
    [InlineData("""{"Effect":"Allow","Action":["s3:*"],"Resource":"arn:aws:s3:::b/*"}""", "s3:*")]
    [InlineData("""{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b"}""", "*")]
    [InlineData("""{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}""", "s3:PutObject")]
    [InlineData("""{"Effect":"Allow","Action":"kms:CreateGrant","Resource":["arn:aws:kms:*:1:key/*","*"]}""", "kms:CreateGrant")]
    [InlineData("""{"Effect":"Allow","Action":"s3:Put*","Resource":"*"}""", "s3:Put*")]
    [InlineData("""{"Effect":"Allow","Action":"sqs:SendMessage","NotResource":"arn:aws:sqs:eu-west-1:1:q"}""", "sqs:SendMessage")]
    [InlineData("""{"Effect":"Allow","Action":"kms:Decrypt"}""", "kms:Decrypt")]
    public void Flags_a_bad_identity_statement(string json, string action)
    {
        using var statement = JsonDocument.Parse(json);
        var violations = IamStatementAudit.AuditStatement("Bad", statement.RootElement, identityPolicy: true).ToList();
        Assert.Contains(violations, v => v.Action == action);
    }

    [Fact]
    public void Flags_an_allow_with_NotAction()
    {
        using var statement = JsonDocument.Parse("""{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::b"}""");
        Assert.NotEmpty(IamStatementAudit.AuditStatement("Bad", statement.RootElement, identityPolicy: true));
    }

    [Theory]
    [InlineData("""{"Effect":"Allow","Action":["kms:ListKeys","kms:ListAliases"],"Resource":"*"}""")]
    [InlineData("""{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/findings/*"}""")]
    [InlineData("""{"Effect":"Deny","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}""")]
    public void Passes_a_scoped_or_read_only_or_deny_statement(string json)
    {
        using var statement = JsonDocument.Parse(json);
        Assert.Empty(IamStatementAudit.AuditStatement("Good", statement.RootElement, identityPolicy: true));
    }

    [Fact]
    public void In_a_resource_policy_star_resource_is_the_resource_itself_but_kms_star_is_still_flagged()
    {
        using var write = JsonDocument.Parse("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"kms:PutKeyPolicy","Resource":"*"}""");
        Assert.Empty(IamStatementAudit.AuditStatement("Key", write.RootElement, identityPolicy: false));
        using var star = JsonDocument.Parse("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"kms:*","Resource":"*"}""");
        Assert.NotEmpty(IamStatementAudit.AuditStatement("Key", star.RootElement, identityPolicy: false));
    }

    [Fact]
    public void Finds_statements_nested_in_role_inline_policies_and_key_policies()
    {
        using var template = JsonDocument.Parse("""
            {"Resources":{
              "R":{"Type":"AWS::IAM::Role","Properties":{"Policies":[{"PolicyName":"p","PolicyDocument":{"Statement":[{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"*"}]}}]}},
              "K":{"Type":"AWS::KMS::Key","Properties":{"KeyPolicy":{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}}}
            }}
            """);
        var violations = IamStatementAudit.Audit(template.RootElement);
        Assert.Contains(violations, v => v.LogicalId == "R" && v.Action == "s3:DeleteObject");
        Assert.Contains(violations, v => v.LogicalId == "K" && v.Action == "kms:*");
    }
}
