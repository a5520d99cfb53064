using Amazon.CDK;
using Amazon.CDK.AWS.IAM;

namespace Auditor.Infra;

/// <summary>
/// The hand-written IAM statements the functions and the backfill get. CDK's grant helpers are avoided on purpose:
/// they add wildcard actions (<c>s3:GetObject*</c>, <c>s3:List*</c>, <c>kms:GenerateDataKey*</c>, <c>kms:ReEncrypt*</c>)
/// that this stack does not need.
/// </summary>
public static class AccessPolicies
{
    /// <summary>The KMS read-only calls the inventory (snapshot) makes; ListKeys and ListAliases take no resource.</summary>
    public static readonly string[] KmsInventoryKeyActions =
        ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:ListGrants", "kms:ListResourceTags", "kms:GetKeyRotationStatus"];

    /// <summary>Account-wide KMS listings: these actions do not support resource-level permissions.</summary>
    public static readonly string[] KmsInventoryListActions = ["kms:ListKeys", "kms:ListAliases"];

    /// <summary>The ARN of a bucket by name.</summary>
    public static string BucketArn(string bucketName) => $"arn:{Aws.PARTITION}:s3:::{bucketName}";

    /// <summary>The <c>kms:ViaService</c> value of S3 in the stack's region.</summary>
    public static string S3ViaService => $"s3.{Aws.REGION}.amazonaws.com";

    /// <summary>
    /// Read objects under <paramref name="prefixes"/> of a bucket, and list only those prefixes (so a missing object is a
    /// clear 404, not a 403). With a KMS key, Decrypt on that key only, and only through S3.
    /// </summary>
    public static IEnumerable<PolicyStatement> ReadPrefix(
        string sid, string bucketName, IReadOnlyList<string> prefixes, string? kmsKeyArn)
    {
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = sid + "Objects",
            Actions = ["s3:GetObject"],
            Resources = prefixes.Select(p => $"{BucketArn(bucketName)}/{p}*").ToArray(),
        });
        yield return ListPrefix(sid + "List", bucketName, prefixes);
        if (kmsKeyArn is not null)
        {
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = sid + "Decrypt",
                Actions = ["kms:Decrypt"],
                Resources = [kmsKeyArn],
                Conditions = ViaS3(),
            });
        }
    }

    /// <summary>ListBucket restricted to keys under the prefixes (the <c>s3:prefix</c> condition).</summary>
    public static PolicyStatement ListPrefix(string sid, string bucketName, IReadOnlyList<string> prefixes) =>
        new(new PolicyStatementProps
        {
            Sid = sid,
            Actions = ["s3:ListBucket"],
            Resources = [BucketArn(bucketName)],
            Conditions = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object> { ["s3:prefix"] = prefixes.Select(p => p + "*").ToArray() },
            },
        });

    /// <summary>PutObject under one prefix of an SSE-KMS bucket, with GenerateDataKey on its key through S3 only.</summary>
    public static IEnumerable<PolicyStatement> WritePrefix(string sid, string bucketName, string prefix, string kmsKeyArn)
    {
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = sid + "Objects",
            Actions = ["s3:PutObject"],
            Resources = [$"{BucketArn(bucketName)}/{prefix}*"],
        });
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = sid + "Encrypt",
            Actions = ["kms:GenerateDataKey"],
            Resources = [kmsKeyArn],
            Conditions = ViaS3(),
        });
    }

    /// <summary>Item reads on one table.</summary>
    public static readonly string[] StateTableReadActions = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];

    /// <summary>Item writes on one table (conditional writes included); no table management.</summary>
    public static readonly string[] StateTableWriteActions =
        ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem"];

    /// <summary>Item-level access to one table only: no table management, nothing on other tables.</summary>
    public static PolicyStatement StateTableItems(string tableArn, bool write) => new(new PolicyStatementProps
    {
        Sid = write ? "StateTableItems" : "StateTableItemReads",
        Actions = write ? [.. StateTableReadActions, .. StateTableWriteActions] : StateTableReadActions,
        Resources = [tableArn],
    });

    /// <summary>Read-only KMS inventory: key-level reads on this account's keys, and the two account listings.</summary>
    public static IEnumerable<PolicyStatement> KmsInventory()
    {
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = "KmsInventoryKeys",
            Actions = KmsInventoryKeyActions,
            Resources = [$"arn:{Aws.PARTITION}:kms:*:{Aws.ACCOUNT_ID}:key/*"],
        });
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = "KmsInventoryListings",
            Actions = KmsInventoryListActions,
            Resources = ["*"],
        });
    }

    /// <summary>The condition confining a KMS permission to use by S3 in the stack's region.</summary>
    public static Dictionary<string, object> ViaS3() => new()
    {
        ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = S3ViaService },
    };
}
