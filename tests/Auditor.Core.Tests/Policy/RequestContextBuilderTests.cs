using System.Text.Json;
using Auditor.Core.Authorization;
using Auditor.Core.Policy;
using Auditor.Core.Trail;

namespace Auditor.Core.Tests.Policy;

public class RequestContextBuilderTests
{
    private const string Key = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static RequestContext Build(string identity, string eventName = "Decrypt", string parameters = "{}", string extra = "", string key = Key)
    {
        string json = $$"""
            {"eventVersion":"1.08","eventID":"e1","eventTime":"2024-06-01T12:00:00Z","eventSource":"kms.amazonaws.com","eventName":"{{eventName}}",
             "awsRegion":"us-west-2","recipientAccountId":"111122223333","userIdentity":{{identity}},"requestParameters":{{parameters}}{{extra}}}
            """;
        using var doc = JsonDocument.Parse(json);
        return RequestContextBuilder.Build(TrailRecordParser.Parse(doc.RootElement), key);
    }

    private const string Session = """
        {"type":"AssumedRole","principalId":"AROAEXAMPLE:worker","arn":"arn:aws:sts::111122223333:assumed-role/App/worker","accountId":"111122223333",
         "sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/ops/App","accountId":"111122223333","userName":"App"},
                           "attributes":{"mfaAuthenticated":"false","creationDate":"2024-06-01T11:00:00Z"}}}
        """;
    private const string User = """{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/Alice","accountId":"111122223333","userName":"Alice"}""";

    private static string? One(RequestContext c, string key) => c.TryGet(key, out var v) ? Assert.Single(v) : null;

    [Fact]
    public void Session_takes_its_role_from_the_session_issuer()
    {
        var c = Build(Session, extra: ",\"sourceIPAddress\":\"198.51.100.7\"");
        Assert.Equal("kms:Decrypt", c.Action);
        Assert.Equal("arn:aws:iam::111122223333:role/ops/App", c.Caller.RoleArn);
        Assert.Equal("arn:aws:iam::111122223333:role/ops/App", One(c, "aws:PrincipalArn"));
        Assert.Equal("AssumedRole", One(c, "aws:PrincipalType"));
        Assert.Equal("111122223333", One(c, "kms:CallerAccount"));
        Assert.Equal("AROAEXAMPLE:worker", One(c, "aws:userid"));
        Assert.Null(One(c, "aws:username"));
        Assert.Equal("false", One(c, "aws:MultiFactorAuthPresent"));
        Assert.Equal("198.51.100.7", One(c, "aws:SourceIp"));
        Assert.Equal("2024-06-01T12:00:00Z", One(c, "aws:CurrentTime"));
        Assert.Equal("1717243200", One(c, "aws:EpochTime"));
        Assert.Equal("true", One(c, "aws:SecureTransport"));
    }

    [Fact]
    public void Direct_call_has_no_via_service_and_it_is_known_to_be_absent()
    {
        var c = Build(User, extra: ",\"sourceIPAddress\":\"198.51.100.7\"");
        Assert.False(c.TryGet("kms:ViaService", out _));
        Assert.False(c.IsUnknown("kms:ViaService"));
        Assert.Equal("Alice", One(c, "aws:username"));
        Assert.Equal("User", One(c, "aws:PrincipalType"));
    }

    [Fact]
    public void Call_made_through_s3_has_the_regional_via_service_and_its_encryption_context()
    {
        var c = Build(User.Replace("}", ",\"invokedBy\":\"s3.amazonaws.com\"}", StringComparison.Ordinal), "GenerateDataKey",
            """{"keyId":"alias/finance","encryptionContext":{"aws:s3:arn":"arn:aws:s3:::finance/x"},"keySpec":"AES_256"}""",
            ",\"sourceIPAddress\":\"s3.amazonaws.com\"");
        Assert.Equal("s3.us-west-2.amazonaws.com", One(c, "kms:ViaService"));
        Assert.True(c.IsUnknown("aws:SourceIp"));
        Assert.Equal("arn:aws:s3:::finance/x", One(c, "kms:EncryptionContext:aws:s3:arn"));
        Assert.Equal("arn:aws:s3:::finance/x", One(c, "KMS:ENCRYPTIONCONTEXT:AWS:S3:ARN"));
        Assert.Equal(["aws:s3:arn"], c.Values["kms:EncryptionContextKeys"]);
        Assert.Equal("alias/finance", One(c, "kms:RequestAlias"));
    }

    [Fact]
    public void Create_grant_by_an_integrated_service_is_for_an_aws_resource()
    {
        var c = Build(User.Replace("}", ",\"invokedBy\":\"ec2.amazonaws.com\"}", StringComparison.Ordinal), "CreateGrant",
            """{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab","granteePrincipal":"arn:aws:iam::111122223333:role/App","retiringPrincipal":"arn:aws:iam::111122223333:role/Ops", "operations":["Decrypt","RetireGrant"],"constraints":{"encryptionContextSubset":{"Department":"IT"}}}""");
        Assert.Equal("true", One(c, "kms:GrantIsForAWSResource"));
        Assert.Equal(["Decrypt", "RetireGrant"], c.Values["kms:GrantOperations"]);
        Assert.Equal("arn:aws:iam::111122223333:role/App", One(c, "kms:GranteePrincipal"));
        Assert.Equal("arn:aws:iam::111122223333:role/Ops", One(c, "kms:RetiringPrincipal"));
        Assert.Equal("EncryptionContextSubset", One(c, "kms:GrantConstraintType"));
        Assert.Equal("IT", c.RequestedGrantConstraints!.EncryptionContextSubset!["Department"]);
        Assert.False(c.TryGet("kms:RequestAlias", out _));
    }

    [Fact]
    public void Direct_create_grant_is_not_for_an_aws_resource()
    {
        var c = Build(User, "CreateGrant", """{"granteePrincipal":"arn:aws:iam::111122223333:role/App","operations":["Decrypt"]}""", ",\"sourceIPAddress\":\"198.51.100.7\"");
        Assert.Equal("false", One(c, "kms:GrantIsForAWSResource"));
        Assert.False(c.TryGet("kms:GrantConstraintType", out _));
    }

    [Fact]
    public void ReEncrypt_is_ReEncryptFrom_on_the_source_key_and_ReEncryptTo_on_the_destination()
    {
        const string p = """{"sourceKeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","destinationKeyId":"arn:aws:kms:us-west-2:111122223333:key/dest", "sourceEncryptionContext":{"s":"1"},"destinationEncryptionContext":{"d":"2"}}""";
        var from = Build(User, "ReEncrypt", p);
        Assert.Equal("kms:ReEncryptFrom", from.Action);
        Assert.Equal("1", One(from, "kms:EncryptionContext:s"));
        var to = Build(User, "ReEncrypt", p, key: "arn:aws:kms:us-west-2:111122223333:key/dest");
        Assert.Equal("kms:ReEncryptTo", to.Action);
        Assert.Equal("2", One(to, "kms:EncryptionContext:d"));
    }

    [Fact]
    public void Cross_account_caller_recorded_by_account_only_has_an_unknown_identity()
    {
        var c = Build("""{"type":"AWSAccount","principalId":"AIDAOTHER","accountId":"444455556666"}""");
        Assert.True(c.Caller.IdentityUnknown);
        Assert.Equal("444455556666", One(c, "kms:CallerAccount"));
        Assert.True(c.IsUnknown("aws:PrincipalArn"));
        var policy = PolicyDocument.Parse("""{"Statement":[{"Sid":"Eve","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:user/Eve"},"Action":"kms:Decrypt","Resource":"*"}]}""");
        Assert.Equal(Decision.Undetermined, AuthorizationEvaluator.Evaluate(policy, [], null, c).Decision);
    }

    [Fact]
    public void Aws_service_caller_is_its_service_principal()
    {
        var c = Build("""{"type":"AWSService","invokedBy":"dynamodb.amazonaws.com"}""", extra: ",\"sourceIPAddress\":\"dynamodb.amazonaws.com\"");
        Assert.Equal("dynamodb.amazonaws.com", c.Caller.ServicePrincipal);
        Assert.Equal("true", One(c, "aws:PrincipalIsAWSService"));
        Assert.False(c.TryGet("kms:CallerAccount", out _));
    }

    [Fact]
    public void Root_caller_is_the_account_root_arn()
    {
        var c = Build("""{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"}""");
        Assert.Equal("arn:aws:iam::111122223333:root", c.Caller.Arn);
        Assert.Equal("Account", One(c, "aws:PrincipalType"));
    }

    [Fact]
    public void Vpc_endpoint_calls_have_no_source_ip_but_the_endpoint()
    {
        var c = Build(User, extra: ",\"sourceIPAddress\":\"10.0.1.5\",\"vpcEndpointId\":\"vpce-1a2b3c4d\"");
        Assert.False(c.TryGet("aws:SourceIp", out _));
        Assert.False(c.IsUnknown("aws:SourceIp"));
        Assert.Equal("10.0.1.5", One(c, "aws:VpcSourceIp"));
        Assert.Equal("vpce-1a2b3c4d", One(c, "aws:SourceVpce"));
    }

    [Fact]
    public void Keys_cloudtrail_never_records_are_unknown()
    {
        var c = Build(User);
        Assert.True(c.IsUnknown("aws:PrincipalOrgID"));
        Assert.True(c.IsUnknown("aws:PrincipalTag/team"));
        Assert.True(c.IsUnknown("aws:ResourceTag/env"));
        Assert.True(c.IsUnknown("kms:ResourceAliases"));
        Assert.True(c.IsUnknown("kms:KeySpec"));
        Assert.False(c.IsUnknown("kms:CallerAccount"));
    }

    [Fact]
    public void Create_key_exposes_the_key_spec_usage_and_origin_with_api_defaults()
    {
        var c = Build(User, "CreateKey", """{"keyUsage":"SIGN_VERIFY","keySpec":"ECC_NIST_P256","bypassPolicyLockoutSafetyCheck":true}""");
        Assert.Equal("ECC_NIST_P256", One(c, "kms:KeySpec"));
        Assert.Equal("SIGN_VERIFY", One(c, "kms:KeyUsage"));
        Assert.Equal("AWS_KMS", One(c, "kms:KeyOrigin"));
        Assert.Equal("true", One(c, "kms:BypassPolicyLockoutSafetyCheck"));
    }
}
