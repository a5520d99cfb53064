namespace Auditor.Core.Policy;

/// <summary>
/// The key policy KMS gives a key created through the API without a policy (KMS Developer Guide,
/// "Default key policy"): one statement, Sid "Enable IAM User Permissions", allowing the account
/// principal <c>kms:*</c> — which delegates every permission to the account's IAM policies.
/// </summary>
public static class DefaultKeyPolicy
{
    public const string Sid = "Enable IAM User Permissions";

    public static string JsonFor(string accountId) =>
        $$"""{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"{{Sid}}","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{accountId}}:root"},"Action":"kms:*","Resource":"*"}]}""";

    public static PolicyDocument For(string accountId) => PolicyDocument.Parse(JsonFor(accountId));
}
