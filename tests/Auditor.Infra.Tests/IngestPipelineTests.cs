using System.Text.Json;
using Amazon.CDK.Assertions;

namespace Auditor.Infra.Tests;

[Collection(SynthesizedStacksCollection.Name)]
public sealed class IngestPipelineTests(SynthesizedStacks stacks)
{
    [Theory]
    [InlineData("ingest")]
    [InlineData("snapshot")]
    [InlineData("report")]
    public void Each_function_runs_the_native_bootstrap_on_provided_al2023_arm64(string handler)
    {
        stacks.NewTrail.Template.HasResourceProperties("AWS::Lambda::Function", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Handler"] = handler,
            ["Runtime"] = "provided.al2023",
            ["Architectures"] = new[] { "arm64" },
        }));
    }

    [Fact]
    public void All_three_functions_share_one_code_asset()
    {
        var keys = new[] { "ingest", "snapshot", "report" }
            .Select(h => stacks.NewTrail.Function(h).GetProperty("Code").GetProperty("S3Key").GetString())
            .Distinct()
            .ToList();
        Assert.Single(keys);
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("snapshot")]
    [InlineData("report")]
    public void Each_function_gets_the_contract_environment(string handler)
    {
        var variables = stacks.NewTrail.Function(handler).GetProperty("Environment").GetProperty("Variables");
        Assert.Equal("findings/", variables.GetProperty("AUDITOR_FINDINGS_PREFIX").GetString());
        Assert.Contains("FindingsFindingsBucket", variables.GetProperty("AUDITOR_FINDINGS_BUCKET").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("StateTable", variables.GetProperty("AUDITOR_STATE_TABLE").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("AWSLogs/", variables.GetProperty("AUDITOR_TRAIL_PREFIX").GetString());
        Assert.False(variables.TryGetProperty("AUDITOR_CREATE_STATE_TABLE", out _), "the deployed table is created by the stack");
    }

    [Fact]
    public void The_queue_feeds_ingest_with_batch_failure_reporting_and_bounded_concurrency()
    {
        stacks.NewTrail.Template.HasResourceProperties("AWS::Lambda::EventSourceMapping", new Dictionary<string, object>
        {
            ["FunctionName"] = new Dictionary<string, object> { ["Ref"] = stacks.NewTrail.FunctionId("ingest") },
            ["EventSourceArn"] = Match.AnyValue(),
            ["FunctionResponseTypes"] = new[] { "ReportBatchItemFailures" },
            ["BatchSize"] = 10,
            ["MaximumBatchingWindowInSeconds"] = 5,
            ["ScalingConfig"] = new Dictionary<string, object> { ["MaximumConcurrency"] = 10 },
            ["Tags"] = Match.AnyValue(),
        });
    }

    [Fact]
    public void Failed_objects_go_to_a_dead_letter_queue_after_five_receives()
    {
        var queue = IngestQueue(stacks.NewTrail);
        var redrive = queue.GetProperty("RedrivePolicy");
        Assert.Equal(5, redrive.GetProperty("maxReceiveCount").GetInt32());
        Assert.Contains("DeadLetterQueue", redrive.GetProperty("deadLetterTargetArn").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Visibility_timeout_is_at_least_six_times_the_ingest_timeout()
    {
        var visibility = IngestQueue(stacks.NewTrail).GetProperty("VisibilityTimeout").GetInt32();
        var timeout = stacks.NewTrail.Function("ingest").GetProperty("Timeout").GetInt32();
        Assert.True(visibility >= 6 * timeout, $"visibility {visibility}s < 6 × {timeout}s");
    }

    [Fact]
    public void An_alarm_watches_the_dead_letter_queue_depth_and_notifies_the_topic()
    {
        var dlqId = stacks.NewTrail.OfType("AWS::SQS::Queue").Single(q => q.Id.Contains("DeadLetter", StringComparison.Ordinal)).Id;
        stacks.NewTrail.Template.HasResourceProperties("AWS::CloudWatch::Alarm", Match.ObjectLike(new Dictionary<string, object>
        {
            ["MetricName"] = "ApproximateNumberOfMessagesVisible",
            ["Namespace"] = "AWS/SQS",
            ["Threshold"] = 0,
            ["ComparisonOperator"] = "GreaterThanThreshold",
            ["Dimensions"] = new object[]
            {
                new Dictionary<string, object> { ["Name"] = "QueueName", ["Value"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { dlqId, "QueueName" } } },
            },
            ["AlarmActions"] = Match.ArrayWith(new object[] { Match.ObjectLike(new Dictionary<string, object> { ["Ref"] = Match.StringLikeRegexp("AlarmTopic") }) }),
        }));
    }

    [Fact]
    public void The_alarm_topic_emails_the_configured_address()
    {
        stacks.ExistingOrganizationTrail.Template.HasResourceProperties("AWS::SNS::Subscription", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Protocol"] = "email",
            ["Endpoint"] = "secops@example.com",
        }));
    }

    [Fact]
    public void Queues_are_encrypted_and_refuse_plain_http()
    {
        foreach (var (_, properties) in stacks.NewTrail.OfType("AWS::SQS::Queue"))
        {
            Assert.True(properties.GetProperty("SqsManagedSseEnabled").GetBoolean());
        }

        stacks.NewTrail.Template.ResourcePropertiesCountIs("AWS::SQS::QueuePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith(new object[] { SecureTransportDeny("sqs:*") }),
            }),
        }), 2);
    }

    [Fact]
    public void New_trail_objects_are_announced_by_S3_notification_under_the_trail_prefix()
    {
        stacks.NewTrail.Template.HasResourceProperties("Custom::S3BucketNotifications", Match.ObjectLike(new Dictionary<string, object>
        {
            ["NotificationConfiguration"] = new Dictionary<string, object>
            {
                ["QueueConfigurations"] = new object[]
                {
                    Match.ObjectLike(new Dictionary<string, object>
                    {
                        ["Events"] = new[] { "s3:ObjectCreated:*" },
                        ["Filter"] = new Dictionary<string, object>
                        {
                            ["Key"] = new Dictionary<string, object>
                            {
                                ["FilterRules"] = Match.ArrayWith(new object[]
                                {
                                    new Dictionary<string, object> { ["Name"] = "suffix", ["Value"] = ".json.gz" },
                                    new Dictionary<string, object> { ["Name"] = "prefix", ["Value"] = "AWSLogs/" },
                                }),
                            },
                        },
                    }),
                },
            },
        }));
        stacks.NewTrail.Template.ResourceCountIs("AWS::Events::Rule", 2);
    }

    [Fact]
    public void The_new_trail_logs_every_region_with_file_validation()
    {
        stacks.NewTrail.Template.HasResourceProperties("AWS::CloudTrail::Trail", Match.ObjectLike(new Dictionary<string, object>
        {
            ["IsMultiRegionTrail"] = true,
            ["IncludeGlobalServiceEvents"] = true,
            ["EnableLogFileValidation"] = true,
            ["IsLogging"] = true,
        }));
    }

    [Fact]
    public void An_existing_bucket_that_notifies_another_consumer_goes_through_EventBridge()
    {
        var stack = stacks.ExistingOrganizationTrail;
        stack.Template.ResourceCountIs("Custom::S3BucketNotifications", 0);
        stack.Template.ResourceCountIs("AWS::CloudTrail::Trail", 0);
        stack.Template.ResourceCountIs("AWS::S3::Bucket", 1);
        stack.Template.HasResourceProperties("AWS::Events::Rule", Match.ObjectLike(new Dictionary<string, object>
        {
            ["EventPattern"] = new Dictionary<string, object>
            {
                ["source"] = new[] { "aws.s3" },
                ["detail-type"] = new[] { "Object Created" },
                ["detail"] = new Dictionary<string, object>
                {
                    ["bucket"] = new Dictionary<string, object> { ["name"] = new[] { SynthesizedStacks.ExistingBucket } },
                    ["object"] = new Dictionary<string, object>
                    {
                        ["key"] = new object[]
                        {
                            new Dictionary<string, object> { ["wildcard"] = $"cloudtrail/AWSLogs/{SynthesizedStacks.OrganizationId}/*/CloudTrail/*.json.gz" },
                        },
                    },
                },
            },
            ["Targets"] = Match.ArrayWith(new object[]
            {
                Match.ObjectLike(new Dictionary<string, object> { ["Arn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { IngestQueueId(stack), "Arn" } } }),
            }),
        }));
    }

    [Fact]
    public void Synth_with_no_published_bootstrap_uses_the_placeholder_and_warns()
    {
        Assert.True(stacks.NewTrail.Built.Code.IsPlaceholder);
        Assert.Contains("PLACEHOLDER", stacks.NewTrail.Warnings.ToString(), StringComparison.Ordinal);
    }

    internal static Dictionary<string, object> SecureTransportDeny(string action) => new()
    {
        ["Effect"] = "Deny",
        ["Action"] = action,
        ["Principal"] = new Dictionary<string, object> { ["AWS"] = "*" },
        ["Condition"] = new Dictionary<string, object>
        {
            ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" },
        },
        ["Resource"] = Match.AnyValue(),
    };

    private static string IngestQueueId(SynthesizedStack stack) =>
        stack.OfType("AWS::SQS::Queue").Single(q => q.Properties.TryGetProperty("RedrivePolicy", out _)).Id;

    private static JsonElement IngestQueue(SynthesizedStack stack) =>
        stack.OfType("AWS::SQS::Queue").Single(q => q.Properties.TryGetProperty("RedrivePolicy", out _)).Properties;
}
