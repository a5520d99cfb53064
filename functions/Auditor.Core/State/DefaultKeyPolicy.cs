namespace Auditor.Core.State;

/// <summary>
/// The policy KMS attaches when CreateKey is called without one: a single statement giving the account
/// (root) all of kms:*, which delegates every decision to the account's IAM policies.
/// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
/// </summary>
public static class DefaultKeyPolicy
{
    public const string Sid = "Enable IAM User Permissions";

    public static string For(string account, string partition = "aws") =>
        "{\"Version\":\"2012-10-17\",\"Id\":\"key-default-1\",\"Statement\":[{\"Sid\":\"" + Sid +
        "\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:" + partition + ":iam::" + account +
        ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
}
