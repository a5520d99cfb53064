using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.EventSources;
using Constructs;

namespace Auditor.Infra;

/// <summary>
/// The KMS Trail Auditor deployment: trail bucket → notification → SQS (with DLQ) → <c>ingest</c>; scheduled
/// <c>snapshot</c> and <c>report</c>; DynamoDB state; findings bucket with its own key; backfill state machine; Glue
/// table and Athena workgroup over the findings.
/// </summary>
public sealed class AuditorStack : Stack
{
    /// <summary>
    /// Ingest timeout. A CloudTrail object is typically well under 1 MB compressed, at most a few MB; ten of them
    /// streamed through the core take seconds. Two minutes leaves room for S3/DynamoDB retries with backoff.
    /// </summary>
    public static readonly Duration IngestTimeout = Duration.Seconds(120);

    /// <summary>
    /// Messages per invocation. Ten objects amortize the start-up and the DynamoDB state reads; with
    /// ReportBatchItemFailures a bad object fails only itself, so a larger batch costs nothing in redelivery.
    /// </summary>
    public const int IngestBatchSize = 10;

    /// <summary>
    /// How long Lambda gathers messages before invoking with a partial batch. CloudTrail delivers about every five
    /// minutes per account and region, so waiting a few seconds fills batches without delaying findings noticeably.
    /// </summary>
    public static readonly Duration IngestBatchingWindow = Duration.Seconds(5);

    /// <summary>The queue's visibility timeout: 6 × the function timeout + the batching window (AWS guidance).</summary>
    public static readonly Duration IngestVisibilityTimeout =
        Duration.Seconds(6 * IngestTimeout.ToSeconds() + IngestBatchingWindow.ToSeconds());

    /// <summary>Synthesizes the stack from validated settings.</summary>
    public AuditorStack(Construct scope, string id, InfraSettings settings, string functionAssetDirectory, IStackProps? props = null)
        : base(scope, id, props)
    {
        Settings = settings;
        var code = Code.FromAsset(functionAssetDirectory);

        Trail = new TrailSource(this, "TrailSource", settings);
        Findings = new FindingsStore(this, "Findings", settings);

        StateTable = new Table(this, "StateTable", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "pk", Type = AttributeType.STRING },
            SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "sk", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            TimeToLiveAttribute = "ttl",
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        // CONTRACT section 7, plus the trail and prefix locations the stack decides (documented in docs/deploy.md).
        var environment = new Dictionary<string, string>
        {
            ["AUDITOR_FINDINGS_BUCKET"] = Findings.Bucket.BucketName,
            ["AUDITOR_FINDINGS_PREFIX"] = FindingsStore.FindingsPrefix,
            ["AUDITOR_STATE_TABLE"] = StateTable.TableName,
            ["AUDITOR_TRAIL_BUCKET"] = Trail.BucketName,
            ["AUDITOR_TRAIL_PREFIX"] = settings.TrailObjectPrefix,
            ["AUDITOR_INVENTORY_PREFIX"] = FindingsStore.InventoryPrefix,
            ["AUDITOR_REPORTS_PREFIX"] = FindingsStore.ReportsPrefix,
        };

        Queue = new IngestQueue(this, "Ingest", IngestVisibilityTimeout, settings.AlarmEmail);
        Ingest = new AuditorFunction(this, "IngestFunction",
            new AuditorFunctionOptions("ingest", IngestTimeout, 1024, environment), code);
        Snapshot = new AuditorFunction(this, "SnapshotFunction",
            new AuditorFunctionOptions("snapshot", Duration.Minutes(5), 512, environment), code);
        Report = new AuditorFunction(this, "ReportFunction",
            new AuditorFunctionOptions("report", Duration.Minutes(10), 1024, environment), code);

        GrantLeastPrivilege(settings);

        Trail.NotifyQueue(Queue.Queue);
        Ingest.Function.AddEventSource(new SqsEventSource(Queue.Queue, new SqsEventSourceProps
        {
            BatchSize = IngestBatchSize,
            MaxBatchingWindow = IngestBatchingWindow,
            ReportBatchItemFailures = true,
            // The stream's share of Lambda concurrency (and of DynamoDB write rate): 10 concurrent invocations handle
            // hundreds of objects a minute, far above CloudTrail's delivery rate even for an organization trail, and
            // leave the account's concurrency to the backfill and to other workloads.
            MaxConcurrency = settings.IngestMaxConcurrency,
        }));

        // Inventory hourly: policies and grants changed outside the trail window are picked up within the hour.
        new Rule(this, "SnapshotSchedule", new RuleProps
        {
            Description = "KMS Trail Auditor: hourly key inventory",
            Schedule = Schedule.Rate(Duration.Hours(1)),
            Targets = [new LambdaFunction(Snapshot.Function, new LambdaFunctionProps { RetryAttempts = 2 })],
        });
        // Report daily at 01:15 UTC, after the previous day's late log files (delivered up to ~15 min late) are in.
        new Rule(this, "ReportSchedule", new RuleProps
        {
            Description = "KMS Trail Auditor: daily compliance report for the previous UTC day",
            Schedule = Schedule.Cron(new CronOptions { Minute = "15", Hour = "1" }),
            Targets = [new LambdaFunction(Report.Function, new LambdaFunctionProps { RetryAttempts = 2 })],
        });

        Backfill = new BackfillStateMachine(this, "Backfill", settings, Trail.BucketName, Ingest.Function, Findings);
        Catalog = new FindingsCatalog(this, "Catalog", settings, Findings);

        Output("FindingsBucketName", Findings.Bucket.BucketName, "Findings bucket (findings/, inventory/, reports/)");
        Output("FindingsKeyArn", Findings.Key.KeyArn, "KMS key of the findings bucket");
        Output("TrailBucketName", Trail.BucketName, "Trail bucket read by ingest");
        Output("TrailObjectPrefix", settings.TrailObjectPrefix, "Prefix of the trail objects read and watched");
        Output("IngestQueueUrl", Queue.Queue.QueueUrl, "Ingest queue");
        Output("DeadLetterQueueUrl", Queue.DeadLetterQueue.QueueUrl, "Dead-letter queue of objects that failed ingest");
        Output("DeadLetterQueueArn", Queue.DeadLetterQueue.QueueArn, "Dead-letter queue ARN (for redrive)");
        Output("AlarmTopicArn", Queue.AlarmTopic.TopicArn, "SNS topic of the alarms");
        Output("StateTableName", StateTable.TableName, "DynamoDB state table");
        Output("IngestFunctionName", Ingest.Function.FunctionName, "ingest function");
        Output("IngestRoleArn", Ingest.Role.RoleArn, "ingest role: name it in the trail key's policy when it is not the default");
        Output("BackfillStateMachineArn", Backfill.StateMachine.StateMachineArn, "Backfill state machine");
        Output("GlueDatabaseName", Catalog.DatabaseName, "Glue database");
        Output("AthenaTable", $"{Catalog.DatabaseName}.{FindingsCatalog.TableName}", "Athena table over findings/");
        Output("AthenaWorkGroup", Catalog.WorkGroupName, "Athena workgroup (results encrypted under athena-results/)");
    }

    /// <summary>The validated settings.</summary>
    public InfraSettings Settings { get; }

    /// <summary>The trail bucket and its notification wiring.</summary>
    public TrailSource Trail { get; }

    /// <summary>The findings bucket and key.</summary>
    public FindingsStore Findings { get; }

    /// <summary>The DynamoDB state table.</summary>
    public Table StateTable { get; }

    /// <summary>The ingest queue and its dead-letter queue.</summary>
    public IngestQueue Queue { get; }

    /// <summary>The <c>ingest</c> function.</summary>
    public AuditorFunction Ingest { get; }

    /// <summary>The <c>snapshot</c> function.</summary>
    public AuditorFunction Snapshot { get; }

    /// <summary>The <c>report</c> function.</summary>
    public AuditorFunction Report { get; }

    /// <summary>The backfill state machine.</summary>
    public BackfillStateMachine Backfill { get; }

    /// <summary>The Glue table and Athena workgroup.</summary>
    public FindingsCatalog Catalog { get; }

    private void GrantLeastPrivilege(InfraSettings settings)
    {
        var findingsBucket = Findings.Bucket.BucketName;
        var findingsKey = Findings.Key.KeyArn;
        var trailPrefix = new[] { settings.TrailObjectPrefix };

        // ingest: read trail objects, read inventories, write findings, read/write state.
        AddAll(Ingest.Role, AccessPolicies.ReadPrefix("ReadTrail", Trail.BucketName, trailPrefix, settings.TrailKmsKeyArn));
        AddAll(Ingest.Role, AccessPolicies.ReadPrefix("ReadInventory", findingsBucket, [FindingsStore.InventoryPrefix], findingsKey));
        AddAll(Ingest.Role, AccessPolicies.WritePrefix("WriteFindings", findingsBucket, FindingsStore.FindingsPrefix, findingsKey));
        Ingest.Role.AddToPrincipalPolicy(AccessPolicies.StateTableItems(StateTable.TableArn, write: true));

        // snapshot: read-only KMS inventory, write inventories, read/write state.
        AddAll(Snapshot.Role, AccessPolicies.KmsInventory());
        AddAll(Snapshot.Role, AccessPolicies.WritePrefix("WriteInventory", findingsBucket, FindingsStore.InventoryPrefix, findingsKey));
        Snapshot.Role.AddToPrincipalPolicy(AccessPolicies.StateTableItems(StateTable.TableArn, write: true));

        // report: read findings, inventories and trail objects (digests), write reports, read state.
        AddAll(Report.Role, AccessPolicies.ReadPrefix(
            "ReadFindings", findingsBucket, [FindingsStore.FindingsPrefix, FindingsStore.InventoryPrefix], findingsKey));
        AddAll(Report.Role, AccessPolicies.ReadPrefix("ReadTrail", Trail.BucketName, trailPrefix, settings.TrailKmsKeyArn));
        AddAll(Report.Role, AccessPolicies.WritePrefix("WriteReports", findingsBucket, FindingsStore.ReportsPrefix, findingsKey));
        Report.Role.AddToPrincipalPolicy(AccessPolicies.StateTableItems(StateTable.TableArn, write: false));
    }

    private static void AddAll(Role role, IEnumerable<PolicyStatement> statements)
    {
        foreach (var statement in statements)
        {
            role.AddToPrincipalPolicy(statement);
        }
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
}
