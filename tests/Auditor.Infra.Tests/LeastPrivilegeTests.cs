using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.Assertions;

namespace Auditor.Infra.Tests;

[Collection(SynthesizedStacksCollection.Name)]
public sealed class LeastPrivilegeTests(SynthesizedStacks stacks)
{
    [Fact]
    public void No_statement_in_any_variant_grants_a_wildcard_service_or_a_write_on_everything()
    {
        foreach (var stack in stacks.All)
        {
            var violations = IamStatementAudit.Audit(stack.Json.RootElement);
            Assert.True(violations.Count == 0, string.Join(System.Environment.NewLine, violations));
        }
    }

    [Fact]
    public void The_audit_walks_a_real_number_of_statements()
    {
        // Guards the walker itself: if it found no statements it would pass vacuously.
        var statements = stacks.NewTrail.Resources.EnumerateObject()
            .SelectMany(r => r.Value.TryGetProperty("Properties", out var p) ? IamStatementAudit.Statements(p) : [])
            .Count();
        Assert.True(statements >= 30, $"only {statements} statements found");
    }

    [Fact]
    public void No_role_attaches_a_managed_policy_whose_statements_the_template_cannot_show()
    {
        foreach (var stack in stacks.All)
        {
            foreach (var (id, properties) in stack.OfType("AWS::IAM::Role"))
            {
                Assert.False(properties.TryGetProperty("ManagedPolicyArns", out _), $"{id} attaches managed policies");
            }
        }
    }

    [Fact]
    public void The_bucket_notifications_handler_is_confined_to_the_trail_bucket()
    {
        var policy = stacks.NewTrail.OfType("AWS::IAM::Policy").Single(p => p.Id.StartsWith("BucketNotificationsHandler", StringComparison.Ordinal));
        var statement = IamStatementAudit.Statements(policy.Properties)
            .Single(s => s.GetProperty("Action").ToString().Contains("s3:PutBucketNotification", StringComparison.Ordinal));
        var resource = statement.GetProperty("Resource").GetRawText();
        Assert.Contains("TrailSourceTrailBucket", resource, StringComparison.Ordinal);
        Assert.DoesNotContain("\"*\"", resource, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_reads_only_the_trail_prefix_and_lists_only_under_it()
    {
        var expectedPrefix = $"cloudtrail/AWSLogs/{SynthesizedStacks.OrganizationId}/";
        var statements = AllStatements(stacks.ExistingOrganizationTrail, "IngestFunctionRole").ToList();
        var read = statements.Single(s => SidOf(s) == "ReadTrailObjects");
        Assert.Equal("s3:GetObject", read.GetProperty("Action").GetString());
        Assert.EndsWith($":s3:::{SynthesizedStacks.ExistingBucket}/{expectedPrefix}*\"]]}}", Compact(read.GetProperty("Resource")), StringComparison.Ordinal);
        var list = statements.Single(s => SidOf(s) == "ReadTrailList");
        Assert.Equal("s3:ListBucket", list.GetProperty("Action").GetString());
        Assert.EndsWith($":s3:::{SynthesizedStacks.ExistingBucket}\"]]}}", Compact(list.GetProperty("Resource")), StringComparison.Ordinal);
        var prefixes = list.GetProperty("Condition").GetProperty("StringLike").GetProperty("s3:prefix");
        Assert.Equal([$"{expectedPrefix}*"], prefixes.EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    [Fact]
    public void Trail_key_decrypt_is_granted_on_that_key_only_and_only_through_S3()
    {
        var decrypts = AllStatements(stacks.ExistingOrganizationTrail)
            .Where(s => SidOf(s) == "ReadTrailDecrypt")
            .ToList();
        Assert.Equal(2, decrypts.Count); // ingest and report
        Assert.DoesNotContain(AllStatements(stacks.ExistingOrganizationTrail), s =>
            s.GetProperty("Resource").GetRawText().Contains(SynthesizedStacks.TrailKeyArn, StringComparison.Ordinal)
            && SidOf(s) != "ReadTrailDecrypt");
        foreach (var statement in decrypts)
        {
            Assert.Equal(SynthesizedStacks.TrailKeyArn, statement.GetProperty("Resource").GetString());
            var via = statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").GetRawText();
            Assert.Contains("\"s3.\"", via, StringComparison.Ordinal);
            Assert.Contains("AWS::Region", via, StringComparison.Ordinal);
            Assert.Contains(".amazonaws.com", via, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_a_trail_key_no_role_may_decrypt_anything_but_the_findings_key()
    {
        foreach (var statement in AllStatements(stacks.NewTrail).Where(s => s.GetProperty("Action").ToString().Contains("kms:Decrypt", StringComparison.Ordinal)))
        {
            Assert.Contains("FindingsFindingsKey", statement.GetProperty("Resource").GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Snapshot_gets_exactly_the_read_only_KMS_inventory_calls()
    {
        var kmsActions = AllStatements(stacks.NewTrail, "SnapshotFunctionRole")
            .SelectMany(s => s.GetProperty("Action").ValueKind == JsonValueKind.Array
                ? s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)
                : [s.GetProperty("Action").GetString()!])
            .Where(a => a.StartsWith("kms:", StringComparison.Ordinal) && a != "kms:GenerateDataKey")
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants", "kms:ListKeys", "kms:ListResourceTags"],
            kmsActions);
    }

    [Fact]
    public void No_identity_policy_uses_a_wildcard_action_pattern()
    {
        // CDK grant helpers add s3:GetObject*, s3:List*, kms:GenerateDataKey*, kms:ReEncrypt*: none may slip in.
        var wildcards = stacks.All
            .SelectMany(stack => stack.OfType("AWS::IAM::Policy"))
            .SelectMany(p => IamStatementAudit.Statements(p.Properties))
            .SelectMany(s => s.GetProperty("Action").ValueKind == JsonValueKind.Array
                ? s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()!)
                : [s.GetProperty("Action").GetString()!])
            .Where(a => a.Contains('*'))
            .ToList();
        Assert.Empty(wildcards);
    }

    [Fact]
    public void The_findings_key_policy_never_gives_kms_star()
    {
        var key = stacks.NewTrail.OfType("AWS::KMS::Key").Single().Properties;
        Assert.True(key.GetProperty("EnableKeyRotation").GetBoolean());
        var actions = key.GetProperty("KeyPolicy").GetProperty("Statement").EnumerateArray()
            .SelectMany(s => s.GetProperty("Action").EnumerateArray().Select(a => a.GetString()))
            .ToList();
        Assert.DoesNotContain("kms:*", actions);
        Assert.Contains("kms:PutKeyPolicy", string.Join(",", actions).Replace("kms:Put*", "kms:PutKeyPolicy", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_audit_catches_a_deliberately_bad_statement_in_a_synthesized_stack()
    {
        var app = new App(new AppProps { Outdir = Directory.CreateTempSubdirectory("auditor-infra-bad-").FullName });
        var stack = new Stack(app, "Bad");
        var role = new Role(stack, "Role", new RoleProps { AssumedBy = new ServicePrincipal("lambda.amazonaws.com") });
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps { Actions = ["kms:*"], Resources = ["*"] }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps { Actions = ["s3:PutObject"], Resources = ["*"] }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps { Actions = ["s3:GetObject"], Resources = ["*"] }));
        using var template = JsonDocument.Parse(JsonSerializer.Serialize(Template.FromStack(stack).ToJSON()));

        var violations = IamStatementAudit.Audit(template.RootElement);

        Assert.Contains(violations, v => v.Action == "kms:*");
        Assert.Contains(violations, v => v.Action == "s3:PutObject");
        Assert.DoesNotContain(violations, v => v.Action == "s3:GetObject");
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    private static string? SidOf(JsonElement statement) =>
        statement.TryGetProperty("Sid", out var sid) ? sid.GetString() : null;

    private IEnumerable<JsonElement> AllStatements(SynthesizedStack stack, string idPrefix = "") =>
        stack.OfType("AWS::IAM::Policy")
            .Where(p => p.Id.StartsWith(idPrefix, StringComparison.Ordinal))
            .SelectMany(p => IamStatementAudit.Statements(p.Properties));
}
