using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace Auditor.Infra;

/// <summary>
/// The findings bucket and the customer managed key that encrypts it. Prefixes: <c>findings/</c> (ingest; Athena
/// table), <c>inventory/</c> (snapshot), <c>reports/</c> (report), <c>athena-results/</c>, <c>backfill-results/</c>.
/// </summary>
public sealed class FindingsStore : Construct
{
    /// <summary>CONTRACT section 7's default; the Athena table reads <c>findings/dt=YYYY-MM-DD/</c>.</summary>
    public const string FindingsPrefix = "findings/";

    /// <summary>Where <c>snapshot</c> stores key inventories (CONTRACT section 4 format).</summary>
    public const string InventoryPrefix = "inventory/";

    /// <summary>Where <c>report</c> writes compliance reports.</summary>
    public const string ReportsPrefix = "reports/";

    /// <summary>Athena query results (expire after 30 days).</summary>
    public const string AthenaResultsPrefix = "athena-results/";

    /// <summary>Distributed Map result manifests of backfills (expire after 30 days).</summary>
    public const string BackfillResultsPrefix = "backfill-results/";

    /// <summary>Creates the key and the bucket.</summary>
    public FindingsStore(Construct scope, string id, InfraSettings settings)
        : base(scope, id)
    {
        var account = new AccountRootPrincipal();
        // Written by hand instead of CDK's default (which gives the account root kms:*): administration is delegated to
        // the account's IAM action by action, and data-plane use is allowed only through S3 in this region.
        var policy = new PolicyDocument(new PolicyDocumentProps
        {
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "KeyAdministrationByAccountIam",
                    Principals = [account],
                    Actions =
                    [
                        "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                        "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
                        "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
                    ],
                    Resources = ["*"],
                }),
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "UseThroughS3ByAccountIam",
                    Principals = [account],
                    Actions = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:DescribeKey"],
                    Resources = ["*"],
                    Conditions = new Dictionary<string, object>
                    {
                        ["StringEquals"] = new Dictionary<string, object>
                        {
                            ["kms:ViaService"] = AccessPolicies.S3ViaService,
                            ["kms:CallerAccount"] = Aws.ACCOUNT_ID,
                        },
                    },
                }),
            ],
        });

        Key = new Key(this, "FindingsKey", new KeyProps
        {
            Description = "KMS Trail Auditor findings bucket",
            EnableKeyRotation = true,
            Policy = policy,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        Key.AddAlias($"alias/{settings.StackName.ToLowerInvariant()}-findings");

        var findingsRule = new LifecycleRule
        {
            Id = "findings-to-infrequent-access",
            Prefix = FindingsPrefix,
            Transitions = [new Transition { StorageClass = StorageClass.INFREQUENT_ACCESS, TransitionAfter = Duration.Days(90) }],
            Expiration = settings.FindingsRetentionDays is { } days ? Duration.Days(days) : null,
        };

        Bucket = new Bucket(this, "FindingsBucket", new BucketProps
        {
            Encryption = BucketEncryption.KMS,
            EncryptionKey = Key,
            // One data key per bucket instead of per object: fewer KMS calls, same protection.
            BucketKeyEnabled = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            MinimumTLSVersion = 1.2,
            Versioned = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                findingsRule,
                new LifecycleRule { Id = "athena-results", Prefix = AthenaResultsPrefix, Expiration = Duration.Days(30) },
                new LifecycleRule { Id = "backfill-results", Prefix = BackfillResultsPrefix, Expiration = Duration.Days(30) },
                // Redelivered objects overwrite findings objects: keep the old versions a while, not forever.
                new LifecycleRule { Id = "noncurrent-versions", NoncurrentVersionExpiration = Duration.Days(30) },
                new LifecycleRule { Id = "abort-incomplete-uploads", AbortIncompleteMultipartUploadAfter = Duration.Days(7) },
            ],
        });
    }

    /// <summary>The findings key (rotation on).</summary>
    public Key Key { get; }

    /// <summary>The findings bucket.</summary>
    public Bucket Bucket { get; }
}
