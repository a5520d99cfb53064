using System.Text.Json;
using Amazon.CDK.Assertions;

namespace Auditor.Infra.Tests;

[Collection(SynthesizedStacksCollection.Name)]
public sealed class BackfillAndCatalogTests(SynthesizedStacks stacks)
{
    private static JsonDocument Definition(SynthesizedStack stack)
    {
        var machine = stack.OfType("AWS::StepFunctions::StateMachine").Single().Properties;
        return JsonDocument.Parse(machine.GetProperty("DefinitionString").GetString()!);
    }

    [Fact]
    public void Backfill_is_a_distributed_map_over_the_trail_prefix_listing()
    {
        using var definition = Definition(stacks.NewTrail);
        var map = definition.RootElement.GetProperty("States").GetProperty("Backfill");
        Assert.Equal("Map", map.GetProperty("Type").GetString());
        Assert.Equal("DISTRIBUTED", map.GetProperty("ItemProcessor").GetProperty("ProcessorConfig").GetProperty("Mode").GetString());
        Assert.Equal("arn:aws:states:::s3:listObjectsV2", map.GetProperty("ItemReader").GetProperty("Resource").GetString());
        Assert.Equal("${TrailBucket}", map.GetProperty("ItemReader").GetProperty("Parameters").GetProperty("Bucket").GetString());
        Assert.Equal(10, map.GetProperty("ItemBatcher").GetProperty("MaxItemsPerBatch").GetInt32());
        Assert.Equal(50, map.GetProperty("MaxConcurrency").GetInt32());
        Assert.Equal("arn:aws:states:::s3:putObject", map.GetProperty("ResultWriter").GetProperty("Resource").GetString());
    }

    [Fact]
    public void Backfill_concurrency_ceiling_comes_from_context()
    {
        using var definition = Definition(stacks.ExistingOrganizationTrail);
        Assert.Equal(200, definition.RootElement.GetProperty("States").GetProperty("Backfill").GetProperty("MaxConcurrency").GetInt32());
    }

    [Fact]
    public void Backfill_invokes_ingest_with_an_S3_event_shaped_payload()
    {
        using var definition = Definition(stacks.NewTrail);
        var map = definition.RootElement.GetProperty("States").GetProperty("Backfill");
        var item = map.GetProperty("ItemSelector");
        Assert.Equal("aws:s3", item.GetProperty("eventSource").GetString());
        Assert.Equal("${TrailBucket}", item.GetProperty("s3").GetProperty("bucket").GetProperty("name").GetString());
        Assert.Equal("$$.Map.Item.Value.Key", item.GetProperty("s3").GetProperty("object").GetProperty("key.$").GetString());

        var task = map.GetProperty("ItemProcessor").GetProperty("States").GetProperty("Ingest");
        Assert.Equal("arn:aws:states:::lambda:invoke", task.GetProperty("Resource").GetString());
        Assert.Equal("${IngestFunctionArn}", task.GetProperty("Parameters").GetProperty("FunctionName").GetString());
        Assert.Equal("$.Items", task.GetProperty("Parameters").GetProperty("Payload").GetProperty("Records.$").GetString());

        var substitutions = stacks.NewTrail.OfType("AWS::StepFunctions::StateMachine").Single().Properties.GetProperty("DefinitionSubstitutions");
        Assert.Contains(stacks.NewTrail.FunctionId("ingest"), substitutions.GetProperty("IngestFunctionArn").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("TrailSourceTrailBucket", substitutions.GetProperty("TrailBucket").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Backfill_without_a_prefix_replays_the_whole_trail_prefix()
    {
        using var definition = Definition(stacks.ExistingOrganizationTrail);
        var states = definition.RootElement.GetProperty("States");
        Assert.Equal("HasPrefix", definition.RootElement.GetProperty("StartAt").GetString());
        Assert.Equal("${TrailPrefix}", states.GetProperty("WholeTrail").GetProperty("Result").GetProperty("prefix").GetString());
        var substitutions = stacks.ExistingOrganizationTrail.OfType("AWS::StepFunctions::StateMachine").Single().Properties.GetProperty("DefinitionSubstitutions");
        Assert.Equal($"cloudtrail/AWSLogs/{SynthesizedStacks.OrganizationId}/", substitutions.GetProperty("TrailPrefix").GetString());
    }

    [Fact]
    public void Glue_table_projects_daily_partitions_over_the_findings_prefix()
    {
        var table = stacks.NewTrail.OfType("AWS::Glue::Table").Single().Properties.GetProperty("TableInput");
        var parameters = table.GetProperty("Parameters");
        Assert.Equal("true", parameters.GetProperty("projection.enabled").GetString());
        Assert.Equal("date", parameters.GetProperty("projection.dt.type").GetString());
        Assert.Equal("yyyy-MM-dd", parameters.GetProperty("projection.dt.format").GetString());
        Assert.Contains("/findings/dt=${dt}/", parameters.GetProperty("storage.location.template").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("dt", table.GetProperty("PartitionKeys")[0].GetProperty("Name").GetString());
        Assert.Equal("org.openx.data.jsonserde.JsonSerDe",
            table.GetProperty("StorageDescriptor").GetProperty("SerdeInfo").GetProperty("SerializationLibrary").GetString());
    }

    [Fact]
    public void Glue_columns_are_the_contract_finding_fields()
    {
        var columns = stacks.NewTrail.OfType("AWS::Glue::Table").Single().Properties
            .GetProperty("TableInput").GetProperty("StorageDescriptor").GetProperty("Columns").EnumerateArray()
            .Select(c => c.GetProperty("Name").GetString()!)
            .ToArray();
        // CONTRACT section 3, lower-cased.
        Assert.Equal(
            ["id", "rule", "severity", "eventid", "eventtime", "eventname", "awsregion", "keyarn", "principal", "sessionarn",
             "authorization", "title", "explanation", "evidence"],
            columns);
    }

    [Fact]
    public void Athena_workgroup_writes_encrypted_results_and_has_the_saved_queries()
    {
        stacks.NewTrail.Template.HasResourceProperties("AWS::Athena::WorkGroup", Match.ObjectLike(new Dictionary<string, object>
        {
            ["WorkGroupConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["EnforceWorkGroupConfiguration"] = true,
                ["ResultConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["EncryptionConfiguration"] = Match.ObjectLike(new Dictionary<string, object> { ["EncryptionOption"] = "SSE_KMS" }),
                }),
            }),
        }));
        var names = stacks.NewTrail.OfType("AWS::Athena::NamedQuery").Select(q => q.Properties.GetProperty("Name").GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["findings-by-severity-per-day", "retired-grant-use-last-7-days", "unexpected-principals-per-key"], names);
        foreach (var (_, query) in stacks.NewTrail.OfType("AWS::Athena::NamedQuery"))
        {
            var sql = query.GetProperty("QueryString").GetString()!;
            Assert.Contains("\"kmstrailauditor\".\"findings\"", sql, StringComparison.Ordinal);
            Assert.Contains("dt >=", sql, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("FindingsBucketName")]
    [InlineData("IngestQueueUrl")]
    [InlineData("DeadLetterQueueUrl")]
    [InlineData("StateTableName")]
    [InlineData("AthenaTable")]
    [InlineData("GlueDatabaseName")]
    [InlineData("BackfillStateMachineArn")]
    public void Stack_outputs_name_what_users_need(string output)
    {
        Assert.True(stacks.NewTrail.Json.RootElement.GetProperty("Outputs").TryGetProperty(output, out _), $"missing output {output}");
    }
}
