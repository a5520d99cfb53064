namespace Auditor.Core.Tests.Rules;

/// <summary>Key policies for rule tests, written as KMS documents them (KMS Developer Guide, "Default key policy").</summary>
internal static class TestPolicies
{
    public const string RootSid = "Enable IAM User Permissions";
    public const string AdminSid = "Allow access for Key Administrators";
    public const string UseSid = "Allow use of the key";
    public const string GrantSid = "Allow attachment of persistent resources";

    public static string Doc(params string[] statements) =>
        $$"""{"Version":"2012-10-17","Id":"key-policy-test","Statement":[{{string.Join(",", statements)}}]}""";

    public static string Root(string account = TestTrail.Account) =>
        $$"""{"Sid":"{{RootSid}}","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{account}}:root"},"Action":"kms:*","Resource":"*"}""";

    public static string Admin(string roleArn) =>
        $$"""{"Sid":"{{AdminSid}}","Effect":"Allow","Principal":{"AWS":"{{roleArn}}"},"Action":["kms:Create*","kms:Describe*","kms:Enable*","kms:List*","kms:Put*","kms:Update*","kms:Revoke*","kms:Disable*","kms:Get*","kms:Delete*","kms:TagResource","kms:UntagResource","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"],"Resource":"*"}""";

    public static string Use(string principalArn, string sid = UseSid) =>
        $$"""{"Sid":"{{sid}}","Effect":"Allow","Principal":{"AWS":"{{principalArn}}"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}""";

    public static string GrantForAwsResource(string principalArn) =>
        Allow(GrantSid, $$"""{"AWS":"{{principalArn}}"}""", """["kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"]""", """{"Bool":{"kms:GrantIsForAWSResource":"true"}}""");

    /// <summary>An Allow with any principal JSON, actions and optional condition block.</summary>
    public static string Allow(string sid, string principalJson, string actionsJson, string? conditionJson = null) =>
        $$"""{"Sid":"{{sid}}","Effect":"Allow","Principal":{{principalJson}},"Action":{{actionsJson}},"Resource":"*"{{(conditionJson is null ? "" : ",\"Condition\":" + conditionJson)}}}""";

    /// <summary>The usual customer-managed key policy: root delegation, an administrator role, an application role as user and grant creator.</summary>
    public static string Standard() => Doc(
        Root(),
        Admin(TestTrail.RoleArn("KeyAdmin")),
        Use(TestTrail.RoleArn("AppRole")),
        GrantForAwsResource(TestTrail.RoleArn("AppRole")));
}
