using Amazon.CDK;
using Amazon.CDK.AWS.CloudTrail;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.S3.Notifications;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Auditor.Infra;

/// <summary>
/// The bucket CloudTrail writes to: an existing one (imported by name, never modified by CloudFormation except for the
/// notification) or a new trail with its own bucket, and the wiring that announces each new log object to a queue.
/// </summary>
public sealed class TrailSource : Construct
{
    /// <summary>CDK's singleton that applies bucket notifications through a custom resource.</summary>
    private const string NotificationsHandlerId = "BucketNotificationsHandler050a0587b7544547bf325f094a3db834";

    private readonly InfraSettings _settings;

    /// <summary>Imports or creates the trail bucket.</summary>
    public TrailSource(Construct scope, string id, InfraSettings settings)
        : base(scope, id)
    {
        _settings = settings;
        if (settings.TrailBucketName is { } existing)
        {
            Bucket = Amazon.CDK.AWS.S3.Bucket.FromBucketName(this, "TrailBucket", existing);
            BucketName = existing;
            return;
        }

        var bucket = new Bucket(this, "TrailBucket", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            MinimumTLSVersion = 1.2,
            Versioned = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                // Log objects stay readable by a backfill (Standard-IA, never Glacier) and are kept: they are evidence.
                new LifecycleRule
                {
                    Id = "logs-to-infrequent-access",
                    Transitions = [new Transition { StorageClass = StorageClass.INFREQUENT_ACCESS, TransitionAfter = Duration.Days(90) }],
                },
                new LifecycleRule { Id = "noncurrent-versions", NoncurrentVersionExpiration = Duration.Days(90) },
                new LifecycleRule { Id = "abort-incomplete-uploads", AbortIncompleteMultipartUploadAfter = Duration.Days(7) },
            ],
        });
        Bucket = bucket;
        BucketName = bucket.BucketName;

        // Every region, management events read and write (KMS calls are management events, mostly read-only ones),
        // with log-file validation so digests can prove the logs were not altered.
        Trail = new Trail(this, "Trail", new TrailProps
        {
            Bucket = bucket,
            IsMultiRegionTrail = true,
            IncludeGlobalServiceEvents = true,
            EnableFileValidation = true,
            ManagementEvents = ReadWriteType.ALL,
            IsOrganizationTrail = settings.OrganizationId is not null,
            OrgId = settings.OrganizationId,
            SendToCloudWatchLogs = false,
        });
    }

    /// <summary>The trail bucket.</summary>
    public IBucket Bucket { get; }

    /// <summary>Its name (a token when the stack creates it).</summary>
    public string BucketName { get; }

    /// <summary>The trail, when the stack creates one.</summary>
    public Trail? Trail { get; }

    /// <summary>
    /// Sends every new log object under the trail prefix to <paramref name="queue"/>, by S3 notification or through
    /// EventBridge as the settings say.
    /// </summary>
    public void NotifyQueue(IQueue queue)
    {
        var prefix = _settings.TrailObjectPrefix;
        if (_settings.Notification == TrailNotification.S3)
        {
            // Suffix .json.gz: CloudTrail log (and digest) objects; ingest skips digests itself.
            Bucket.AddEventNotification(EventType.OBJECT_CREATED, new SqsDestination(queue),
                new NotificationKeyFilter { Prefix = prefix, Suffix = ".json.gz" });
        }
        else
        {
            if (Bucket is Bucket owned)
            {
                owned.EnableEventBridgeNotification();
            }

            // The wildcard keeps digests (…/CloudTrail-Digest/…) and Insights (…/CloudTrail-Insight/…) out of the queue.
            var rule = new Rule(this, "ObjectCreatedRule", new RuleProps
            {
                Description = "KMS Trail Auditor: new CloudTrail log objects to the ingest queue",
                EventPattern = new EventPattern
                {
                    Source = ["aws.s3"],
                    DetailType = ["Object Created"],
                    Detail = new Dictionary<string, object>
                    {
                        ["bucket"] = new Dictionary<string, object> { ["name"] = new[] { BucketName } },
                        ["object"] = new Dictionary<string, object>
                        {
                            ["key"] = new object[] { new Dictionary<string, object> { ["wildcard"] = $"{prefix}*/CloudTrail/*.json.gz" } },
                        },
                    },
                },
            });
            rule.AddTarget(new SqsQueue(queue));
        }

        HardenNotificationsHandler();
    }

    /// <summary>
    /// CDK applies bucket notifications with a singleton Lambda whose role has the AWS-managed
    /// AWSLambdaBasicExecutionRole and <c>s3:PutBucketNotification</c> on <c>*</c>. Narrow it to this bucket, and give
    /// it a named log group so its log permissions can be narrowed too.
    /// </summary>
    private void HardenNotificationsHandler()
    {
        var stack = Stack.Of(this);
        if (stack.Node.TryFindChild(NotificationsHandlerId) is not Construct handler)
        {
            return;
        }

        var functionName = $"{stack.StackName}-bucket-notifications";
        if (functionName.Length > 64)
        {
            functionName = functionName[^64..].TrimStart('-');
        }

        var function = (CfnResource)handler.Node.FindChild("Resource");
        function.AddPropertyOverride("FunctionName", functionName);
        var logGroup = new LogGroup(this, "NotificationsHandlerLogs", new Amazon.CDK.AWS.Logs.LogGroupProps
        {
            LogGroupName = $"/aws/lambda/{functionName}",
            Retention = AuditorFunction.LogRetention,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        function.Node.AddDependency(logGroup);

        var role = (Role)handler.Node.FindChild("Role");
        ((CfnRole)role.Node.DefaultChild!).AddPropertyDeletionOverride("ManagedPolicyArns");
        var policy = (Policy)role.Node.FindChild("DefaultPolicy");
        var document = new PolicyDocument(new PolicyDocumentProps
        {
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "TrailBucketNotificationOnly",
                    // Get: the handler merges with the notifications other consumers already configured.
                    Actions = ["s3:GetBucketNotification", "s3:PutBucketNotification"],
                    Resources = [AccessPolicies.BucketArn(BucketName)],
                }),
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "WriteOwnLogs",
                    Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resources = [logGroup.LogGroupArn],
                }),
            ],
        });
        ((CfnPolicy)policy.Node.DefaultChild!).AddPropertyOverride("PolicyDocument", document.ToJSON());
    }
}
