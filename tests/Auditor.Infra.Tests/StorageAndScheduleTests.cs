using System.Text.Json;
using Amazon.CDK.Assertions;

namespace Auditor.Infra.Tests;

[Collection(SynthesizedStacksCollection.Name)]
public sealed class StorageAndScheduleTests(SynthesizedStacks stacks)
{
    private JsonElement FindingsBucket => stacks.NewTrail.OfType("AWS::S3::Bucket").Single(b => b.Id.StartsWith("FindingsFindingsBucket", StringComparison.Ordinal)).Properties;

    [Fact]
    public void Findings_bucket_is_encrypted_with_its_own_key()
    {
        var rule = FindingsBucket.GetProperty("BucketEncryption").GetProperty("ServerSideEncryptionConfiguration")[0];
        var sse = rule.GetProperty("ServerSideEncryptionByDefault");
        Assert.Equal("aws:kms", sse.GetProperty("SSEAlgorithm").GetString());
        Assert.Contains("FindingsFindingsKey", sse.GetProperty("KMSMasterKeyID").GetRawText(), StringComparison.Ordinal);
        Assert.True(rule.GetProperty("BucketKeyEnabled").GetBoolean());
    }

    [Fact]
    public void Every_bucket_blocks_public_access_and_is_versioned()
    {
        foreach (var stack in stacks.All)
        {
            stack.Template.AllResourcesProperties("AWS::S3::Bucket", Match.ObjectLike(new Dictionary<string, object>
            {
                ["PublicAccessBlockConfiguration"] = new Dictionary<string, object>
                {
                    ["BlockPublicAcls"] = true,
                    ["BlockPublicPolicy"] = true,
                    ["IgnorePublicAcls"] = true,
                    ["RestrictPublicBuckets"] = true,
                },
                ["VersioningConfiguration"] = new Dictionary<string, object> { ["Status"] = "Enabled" },
            }));
        }
    }

    [Fact]
    public void Every_owned_bucket_refuses_plain_http_and_old_TLS()
    {
        var buckets = stacks.NewTrail.OfType("AWS::S3::Bucket").Count();
        stacks.NewTrail.Template.ResourcePropertiesCountIs("AWS::S3::BucketPolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith(new object[]
                {
                    IngestPipelineTests.SecureTransportDeny("s3:*"),
                    Match.ObjectLike(new Dictionary<string, object>
                    {
                        ["Effect"] = "Deny",
                        ["Condition"] = new Dictionary<string, object>
                        {
                            ["NumericLessThan"] = new Dictionary<string, object> { ["s3:TlsVersion"] = 1.2 },
                        },
                    }),
                }),
            }),
        }), buckets);
        Assert.Equal(2, buckets);
    }

    [Fact]
    public void Findings_lifecycle_expires_scratch_prefixes_and_old_versions_but_keeps_findings()
    {
        var rules = FindingsBucket.GetProperty("LifecycleConfiguration").GetProperty("Rules").EnumerateArray().ToList();
        var byId = rules.ToDictionary(r => r.GetProperty("Id").GetString()!);
        Assert.Equal(30, byId["athena-results"].GetProperty("ExpirationInDays").GetInt32());
        Assert.Equal("athena-results/", byId["athena-results"].GetProperty("Prefix").GetString());
        Assert.Equal(30, byId["backfill-results"].GetProperty("ExpirationInDays").GetInt32());
        Assert.Equal(30, byId["noncurrent-versions"].GetProperty("NoncurrentVersionExpiration").GetProperty("NoncurrentDays").GetInt32());
        Assert.Equal(7, byId["abort-incomplete-uploads"].GetProperty("AbortIncompleteMultipartUpload").GetProperty("DaysAfterInitiation").GetInt32());
        Assert.False(byId["findings-to-infrequent-access"].TryGetProperty("ExpirationInDays", out _), "findings are kept unless findingsRetentionDays is set");
    }

    [Fact]
    public void Findings_key_rotates()
    {
        stacks.NewTrail.Template.HasResourceProperties("AWS::KMS::Key", Match.ObjectLike(new Dictionary<string, object>
        {
            ["EnableKeyRotation"] = true,
        }));
    }

    [Fact]
    public void State_table_has_pk_sk_on_demand_point_in_time_recovery_and_ttl()
    {
        stacks.NewTrail.Template.HasResourceProperties("AWS::DynamoDB::Table", Match.ObjectLike(new Dictionary<string, object>
        {
            ["KeySchema"] = new object[]
            {
                new Dictionary<string, object> { ["AttributeName"] = "pk", ["KeyType"] = "HASH" },
                new Dictionary<string, object> { ["AttributeName"] = "sk", ["KeyType"] = "RANGE" },
            },
            ["AttributeDefinitions"] = new object[]
            {
                new Dictionary<string, object> { ["AttributeName"] = "pk", ["AttributeType"] = "S" },
                new Dictionary<string, object> { ["AttributeName"] = "sk", ["AttributeType"] = "S" },
            },
            ["BillingMode"] = "PAY_PER_REQUEST",
            ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
            ["TimeToLiveSpecification"] = new Dictionary<string, object> { ["AttributeName"] = "ttl", ["Enabled"] = true },
        }));
    }

    [Fact]
    public void Stateful_resources_are_retained_when_the_stack_is_deleted()
    {
        foreach (var type in new[] { "AWS::DynamoDB::Table", "AWS::KMS::Key", "AWS::S3::Bucket" })
        {
            stacks.NewTrail.Template.AllResources(type, Match.ObjectLike(new Dictionary<string, object> { ["DeletionPolicy"] = "Retain" }));
        }
    }

    [Theory]
    [InlineData("snapshot", "rate(1 hour)")]
    [InlineData("report", "cron(15 1 * * ? *)")]
    public void Scheduled_functions_run_on_their_schedule(string handler, string expression)
    {
        stacks.NewTrail.Template.HasResourceProperties("AWS::Events::Rule", Match.ObjectLike(new Dictionary<string, object>
        {
            ["ScheduleExpression"] = expression,
            ["State"] = "ENABLED",
            ["Targets"] = Match.ArrayWith(new object[]
            {
                Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Arn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { stacks.NewTrail.FunctionId(handler), "Arn" } },
                }),
            }),
        }));
    }
}
