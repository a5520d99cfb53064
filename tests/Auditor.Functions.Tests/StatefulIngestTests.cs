using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Auditor.Aws.DynamoDb;
using Auditor.Aws.S3;
using Auditor.Functions.Ingest;
using Auditor.Testing;

namespace Auditor.Functions.Tests;

/// <summary>dynalite started once for the stateful ingest tests; each test uses its own table.</summary>
public sealed class DynaliteFixture : IDisposable
{
    public DynaliteProcess Dynalite { get; } = new();

    public void Dispose() => Dynalite.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteFixture>
{
    public const string Name = "dynalite";
}

/// <summary>
/// <c>ingest</c>'s engine over a real DynamoDB stand-in (dynalite), in process: objects audited one invocation at a
/// time as Lambda would, the state carried between them only by the table.
/// </summary>
[Collection(DynaliteCollection.Name)]
public sealed class StatefulIngestTests(DynaliteFixture fixture)
{
    private const string Bucket = "org-trail";
    private static readonly string Scenario = Path.Combine(RepoPaths.Root, "sample-events", "grants-lifecycle");
    private const string RetireGrantFile = "20261008T1125Z";
    private const string CreateGrantFile = "20261008T0915Z";
    private const string DeniedCallFile = "20261008T0950Z";

    private readonly InMemoryObjectSource _source = new();
    private readonly RecordingSink _sink = new();
    private string _table = "state-" + Guid.NewGuid().ToString("N")[..10];

    private static List<(string Key, byte[] Bytes)> ScenarioObjects() =>
        Directory.GetFiles(Scenario, "*.json.gz", SearchOption.AllDirectories)
            .Select(p => (Path.GetRelativePath(Scenario, p).Replace('\\', '/'), File.ReadAllBytes(p)))
            .OrderBy(f => f.Item1, StringComparer.Ordinal).ToList();

    /// <summary>What one Lambda sandbox holds: its own client, store and engine over the shared table.</summary>
    private (TrailObjectAuditor Auditor, StateBackedFindingsProducer Producer) Sandbox(IAmazonDynamoDB? client = null, IFindingsSink? sink = null)
    {
        var store = new DynamoStateStore(client ?? fixture.Dynalite.CreateClient(), _table);
        var producer = new StateBackedFindingsProducer(store, prepare: async ct => await store.EnsureTableAsync(ct));
        return (new TrailObjectAuditor(_source, sink ?? _sink, "findings/", producer), producer);
    }

    private async Task<ObjectAuditResult> Ingest(string key, IFindingsSink? sink = null, IAmazonDynamoDB? client = null)
    {
        var r = await Sandbox(client, sink).Auditor.AuditAsync(Bucket, key, CancellationToken.None);
        Assert.True(r.Succeeded, r.Error);
        return r;
    }

    private string FindingsOf(ObjectAuditResult r) => Encoding.UTF8.GetString(_sink.Objects[r.FindingsObject!["s3://findings-bucket/".Length..]]);

    private static List<(string Rule, string EventId, string Severity)> Parse(string jsonLines) =>
        jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
        {
            using var d = JsonDocument.Parse(l);
            var e = d.RootElement;
            return (e.GetProperty("rule").GetString()!, e.GetProperty("eventId").GetString()!, e.GetProperty("severity").GetString()!);
        }).ToList();

    private void Load()
    {
        foreach (var (key, bytes) in ScenarioObjects()) _source.Objects[(Bucket, key)] = bytes;
    }

    private static string File_(string marker) => ScenarioObjects().Single(o => o.Key.Contains(marker, StringComparison.Ordinal)).Key;

    [Fact]
    public async Task A_retirement_in_a_later_object_rejudges_calls_read_in_earlier_invocations()
    {
        Load();
        foreach (var (key, _) in ScenarioObjects().Where(o => !o.Key.Contains(RetireGrantFile, StringComparison.Ordinal)))
            await Ingest(key);

        var late = Parse(FindingsOf(await Ingest(File_(RetireGrantFile))));

        Assert.Contains(("retired-grant-use", "43982b75-0eb2-46cb-90cc-afeac90f557f", "high"), late);
        Assert.Contains(("retired-grant-use", "029432cb-d15a-482d-b97a-1745352975c2", "high"), late);
        Assert.Contains(("unexpected-principal", "43982b75-0eb2-46cb-90cc-afeac90f557f", "medium"), late);
        Assert.DoesNotContain(late, f => f.EventId == "c22f1569-262d-4d4e-ae16-45093a9ff4c0" && f.Severity != "info");
    }

    [Fact]
    public async Task The_union_of_findings_over_objects_ingested_one_by_one_holds_every_golden_finding()
    {
        Load();
        var union = new HashSet<(string, string, string)>();
        foreach (var (key, _) in ScenarioObjects())
            foreach (var f in Parse(FindingsOf(await Ingest(key)))) union.Add(f);

        var golden = Parse(File.ReadAllText(Path.Combine(Scenario, "golden-findings.jsonl")));
        Assert.NotEmpty(golden);
        foreach (var g in golden) Assert.Contains(g, union);
    }

    [Fact]
    public async Task A_redelivered_object_gives_byte_identical_findings()
    {
        Load();
        foreach (var (key, _) in ScenarioObjects())
        {
            var first = FindingsOf(await Ingest(key));
            var again = FindingsOf(await Ingest(key));
            Assert.Equal(first, again);
            Assert.Equal(Parse(again).Count, Parse(again).Distinct().Count());
        }
    }

    [Fact]
    public async Task An_object_that_crashed_after_saving_state_gives_the_same_findings_when_redelivered()
    {
        Load();
        var keys = ScenarioObjects().Select(o => o.Key).ToList();
        var undisturbed = new List<string>();
        foreach (var key in keys) undisturbed.Add(FindingsOf(await Ingest(key)));

        _table = "state-" + Guid.NewGuid().ToString("N")[..10];
        for (int i = 0; i < keys.Count; i++)
        {
            // The sandbox dies after the state is saved and before its findings are written.
            var crashed = await Sandbox(sink: new FailingSink()).Auditor.AuditAsync(Bucket, keys[i], CancellationToken.None);
            Assert.False(crashed.Succeeded);
            Assert.Equal(undisturbed[i], FindingsOf(await Ingest(keys[i])));
        }
    }

    [Fact]
    public async Task Concurrent_creation_and_retirement_of_one_grant_lose_nothing()
    {
        Load();
        const string grantId = "8a2722df240d2ee6e631fac22befd74a02f582ebcf059f43390a88ade2a406b8";
        const string keyArn = "arn:aws:kms:us-west-2:111122223333:key/5f7f7e10-0c18-4ae3-aac1-88b26ba4908b";
        for (int round = 0; round < 5; round++)
        {
            _table = "state-" + Guid.NewGuid().ToString("N")[..10];
            await Sandbox().Producer.ProduceAsync([], CancellationToken.None); // creates the table
            var a = Sandbox().Auditor.AuditAsync(Bucket, File_(CreateGrantFile), CancellationToken.None);
            var b = Sandbox().Auditor.AuditAsync(Bucket, File_(RetireGrantFile), CancellationToken.None);
            var results = await Task.WhenAll(a, b);
            Assert.All(results, r => Assert.True(r.Succeeded, r.Error));

            using var db = fixture.Dynalite.CreateClient();
            var item = (await db.GetItemAsync(new GetItemRequest
            {
                TableName = _table,
                ConsistentRead = true,
                Key = new() { ["pk"] = new AttributeValue { S = "key#" + keyArn }, ["sk"] = new AttributeValue { S = "grant#" + grantId } },
            })).Item;
            Assert.Equal("363bf7f3-cf40-46ef-9ef2-e9bc0b219127", item["createdEventId"].S);
            Assert.NotNull(item["grant"].S);
            Assert.Equal("4bd4ef7b-2a8d-49ee-8112-c7c4b8523634", item["endedEventId"].S);
            Assert.Equal("Retired", item["end"].S);
            Assert.StartsWith("2026-10-08T10:30:00", item["endedAt"].S);
        }
    }

    [Fact]
    public async Task A_conditional_write_conflict_on_a_denial_history_is_retried_with_the_same_result()
    {
        Load();
        var key = File_(DeniedCallFile);
        foreach (var k in ScenarioObjects().Select(o => o.Key).TakeWhile(k => k != key)) await Ingest(k);
        var clean = FindingsOf(await Ingest(key));

        _table = "state-" + Guid.NewGuid().ToString("N")[..10];
        foreach (var k in ScenarioObjects().Select(o => o.Key).TakeWhile(k => k != key)) await Ingest(k);
        using var flaky = new ConflictOnceClient(fixture.Dynalite);
        var (auditor, producer) = Sandbox(flaky);
        var r = await auditor.AuditAsync(Bucket, key, CancellationToken.None);

        Assert.True(r.Succeeded, r.Error);
        Assert.Equal(1, flaky.ConflictsThrown);
        Assert.Equal(1, producer.ConflictsRetried);
        Assert.Equal(clean, FindingsOf(r));
    }

    [Fact]
    public async Task Conflicts_that_never_end_fail_the_object_instead_of_looping()
    {
        Load();
        using var flaky = new ConflictOnceClient(fixture.Dynalite, always: true);
        var (auditor, producer) = Sandbox(flaky);
        var r = await auditor.AuditAsync(Bucket, File_(DeniedCallFile), CancellationToken.None);

        Assert.False(r.Succeeded);
        Assert.Contains("denial history", r.Error);
        Assert.Equal(StateBackedFindingsProducer.MaxAttempts - 1, producer.ConflictsRetried);
    }

    /// <summary>A sink whose store is down: the invocation dies after the state was saved.</summary>
    private sealed class FailingSink : IFindingsSink
    {
        public string Location => "s3://findings-bucket";

        public Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
            throw new ObjectStoreException($"s3://findings-bucket/{key}: PutObject failed: InternalError (500)");
    }

    /// <summary>The real client, except that a denial-history write first meets a concurrent writer's change.</summary>
    private sealed class ConflictOnceClient(DynaliteProcess dynalite, bool always = false)
        : AmazonDynamoDBClient(new BasicAWSCredentials(DynaliteProcess.AccessKey, DynaliteProcess.SecretKey), dynalite.Config())
    {
        public int ConflictsThrown;

        public override Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default)
        {
            if (request.Item["pk"].S.StartsWith("principal#", StringComparison.Ordinal) && (always || ConflictsThrown == 0))
            {
                ConflictsThrown++;
                throw new ConditionalCheckFailedException("The conditional request failed");
            }
            return base.PutItemAsync(request, cancellationToken);
        }
    }
}
