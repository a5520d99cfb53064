using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace Auditor.Infra;

/// <summary>
/// Replays existing trail objects beyond one stream: a Step Functions Distributed Map lists the bucket prefix
/// (ItemReader over ListObjectsV2), batches the keys (ItemBatcher) and invokes the same <c>ingest</c> function with a
/// synthetic S3 event per batch, <c>{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":…},"object":{"key":…}}}, …]}</c>,
/// so ingest needs no new code path. Written as raw ASL: CDK 2.160's DistributedMap construct cannot shape the
/// ItemSelector/Payload this way.
/// </summary>
public sealed class BackfillStateMachine : Construct
{
    /// <summary>Objects per ingest invocation: the same as an SQS batch, so the same timeout budget holds.</summary>
    public const int ItemsPerBatch = 10;

    /// <summary>
    /// Share of child executions that may fail before the whole backfill stops: a few bad objects are skipped (and listed
    /// in the result manifest) but a systemic failure (missing permission, placeholder bootstrap) stops early.
    /// </summary>
    public const int ToleratedFailurePercentage = 5;

    /// <summary>Creates the state machine and its role.</summary>
    public BackfillStateMachine(Construct scope, string id, InfraSettings settings, string trailBucketName,
        IFunction ingest, FindingsStore findings)
        : base(scope, id)
    {
        MaxConcurrency = settings.BackfillMaxConcurrency;
        var stack = Stack.Of(this);
        var name = $"{settings.StackName}-backfill";
        var stateMachineArn = stack.FormatArn(new ArnComponents
        {
            Service = "states",
            Resource = "stateMachine",
            ResourceName = name,
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });
        var executionArns = stack.FormatArn(new ArnComponents
        {
            Service = "states",
            Resource = "execution",
            ResourceName = name + "/*",
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });

        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("states.amazonaws.com"),
            Description = "KMS Trail Auditor backfill: list the trail prefix, invoke ingest, write result manifests.",
        });
        role.AddToPrincipalPolicy(AccessPolicies.ListPrefix("ListTrailPrefix", trailBucketName, [settings.TrailObjectPrefix]));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "InvokeIngest",
            Actions = ["lambda:InvokeFunction"],
            Resources = [ingest.FunctionArn, ingest.FunctionArn + ":*"],
        }));
        // A Distributed Map runs its iterations as child executions of this same state machine.
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "RunChildExecutions",
            Actions = ["states:StartExecution"],
            Resources = [stateMachineArn],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ManageChildExecutions",
            Actions = ["states:DescribeExecution", "states:StopExecution", "states:RedriveExecution"],
            Resources = [executionArns],
        }));
        // ResultWriter: the manifest of succeeded and failed batches, under backfill-results/ only.
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "WriteResultManifest",
            Actions = ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
            Resources = [$"{findings.Bucket.BucketArn}/{FindingsStore.BackfillResultsPrefix}*"],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "EncryptResultManifest",
            Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
            Resources = [findings.Key.KeyArn],
            Conditions = AccessPolicies.ViaS3(),
        }));

        StateMachine = new StateMachine(this, "StateMachine", new StateMachineProps
        {
            StateMachineName = name,
            StateMachineType = StateMachineType.STANDARD,
            Role = role,
            DefinitionBody = DefinitionBody.FromString(Definition),
            DefinitionSubstitutions = new Dictionary<string, string>
            {
                ["TrailBucket"] = trailBucketName,
                ["TrailPrefix"] = settings.TrailObjectPrefix,
                ["IngestFunctionArn"] = ingest.FunctionArn,
                ["FindingsBucket"] = findings.Bucket.BucketName,
                ["ResultsPrefix"] = FindingsStore.BackfillResultsPrefix.TrimEnd('/'),
                ["Region"] = Aws.REGION,
            },
        });
        StateMachine.Node.AddDependency(role);
    }

    /// <summary>
    /// The concurrency ceiling: at most this many child executions, hence ingest invocations, at once; at most
    /// <see cref="ItemsPerBatch"/> × this many objects in flight.
    /// </summary>
    public int MaxConcurrency { get; }

    /// <summary>The state machine.</summary>
    public StateMachine StateMachine { get; }

    /// <summary>
    /// The ASL. Input: <c>{"prefix": "AWSLogs/…/2024/"}</c> (optional; defaults to the whole trail prefix and must lie
    /// within it, or the listing is denied). Child executions are STANDARD: no 5-minute cap while ingest retries.
    /// </summary>
    private string Definition => $$"""
        {
          "Comment": "KMS Trail Auditor backfill: replay trail objects under a prefix through ingest",
          "StartAt": "HasPrefix",
          "States": {
            "HasPrefix": {
              "Type": "Choice",
              "Choices": [ { "Variable": "$.prefix", "IsPresent": true, "Next": "Backfill" } ],
              "Default": "WholeTrail"
            },
            "WholeTrail": {
              "Type": "Pass",
              "Result": { "prefix": "${TrailPrefix}" },
              "Next": "Backfill"
            },
            "Backfill": {
              "Type": "Map",
              "ItemReader": {
                "Resource": "arn:aws:states:::s3:listObjectsV2",
                "Parameters": { "Bucket": "${TrailBucket}", "Prefix.$": "$.prefix" }
              },
              "ItemSelector": {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "${Region}",
                "eventName": "ObjectCreated:Backfill",
                "s3": {
                  "bucket": { "name": "${TrailBucket}" },
                  "object": { "key.$": "$$.Map.Item.Value.Key", "size.$": "$$.Map.Item.Value.Size" }
                }
              },
              "ItemBatcher": { "MaxItemsPerBatch": {{ItemsPerBatch}} },
              "MaxConcurrency": {{MaxConcurrency}},
              "ToleratedFailurePercentage": {{ToleratedFailurePercentage}},
              "ItemProcessor": {
                "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
                "StartAt": "Ingest",
                "States": {
                  "Ingest": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {
                      "FunctionName": "${IngestFunctionArn}",
                      "Payload": { "Records.$": "$.Items" }
                    },
                    "ResultSelector": { "statusCode.$": "$.StatusCode" },
                    "Retry": [
                      {
                        "ErrorEquals": [ "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException" ],
                        "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2, "JitterStrategy": "FULL"
                      },
                      { "ErrorEquals": [ "States.ALL" ], "IntervalSeconds": 10, "MaxAttempts": 2, "BackoffRate": 3 }
                    ],
                    "End": true
                  }
                }
              },
              "ResultWriter": {
                "Resource": "arn:aws:states:::s3:putObject",
                "Parameters": { "Bucket": "${FindingsBucket}", "Prefix": "${ResultsPrefix}" }
              },
              "End": true
            }
          }
        }
        """;
}
