using Auditor.Aws.S3;
using Auditor.Functions.Ingest;
using Auditor.Functions.Observability;
using Auditor.Functions.Runtime;

namespace Auditor.Functions.Hosting;

/// <summary>Builds the function <c>_HANDLER</c> names. A missing or unknown name is an init error, reported to Lambda.</summary>
public static class HandlerFactory
{
    /// <summary>The handler names this binary answers to.</summary>
    public static readonly IReadOnlyList<string> Known = ["ingest", "snapshot", "report"];

    /// <summary>Composes the handler for the environment.</summary>
    /// <exception cref="FunctionException">The handler is unknown, not built yet, or misconfigured.</exception>
    public static ILambdaHandler Create(IEnvironment env, FunctionLog log)
    {
        var name = env.Get("_HANDLER")
            ?? throw new FunctionException("Runtime.NoHandler", "_HANDLER is not set; expected one of: ingest, snapshot, report");
        return name switch
        {
            "ingest" => CreateIngest(env, log),
            "report" => Reporting.ReportFunction.Create(env, log),
            "snapshot" => Snapshot.SnapshotHandler.Create(env, log),
            _ => throw new FunctionException("Runtime.UnknownHandler", $"_HANDLER is '{name}'; expected one of: ingest, snapshot, report"),
        };
    }

    private static IngestHandler CreateIngest(IEnvironment env, FunctionLog log)
    {
        var settings = IngestSettings.From(env);
        Amazon.S3.AmazonS3Client s3;
        try
        {
            s3 = S3ClientFactory.Create(env.Get);
        }
        catch (ArgumentException e)
        {
            throw new FunctionException("Runtime.InvalidConfiguration", e.Message, e);
        }
        var producer = StateBackedProducer(env, log, settings.StateTable, settings.CreateStateTable);
        var auditor = new TrailObjectAuditor(
            new S3TrailObjectSource(s3),
            new S3FindingsSink(s3, settings.FindingsBucket, settings.ExpectedBucketOwner),
            settings.FindingsPrefix,
            producer,
            audited: new DynamoAuditedObjects(producer));
        var metrics = new EmbeddedMetrics(log, env.Get("AUDITOR_METRICS_NAMESPACE") ?? "KmsTrailAuditor", env.Get("AWS_LAMBDA_FUNCTION_NAME") ?? "ingest");
        log.Info("ingest configured", ("findings", $"s3://{settings.FindingsBucket}/{settings.FindingsPrefix}"),
            ("expectedBucketOwner", settings.ExpectedBucketOwner is not null), ("parallelism", settings.Parallelism),
            ("findingsEngine", producer.Description));
        return new IngestHandler(auditor, log, metrics, settings.Parallelism);
    }

    /// <summary>The engine over the DynamoDB state table (created on first use when <paramref name="create"/>).</summary>
    internal static StateBackedFindingsProducer StateBackedProducer(IEnvironment env, FunctionLog log, string table, bool create)
    {
        Amazon.DynamoDBv2.AmazonDynamoDBClient dynamo;
        try
        {
            dynamo = Aws.DynamoDb.DynamoDbClientFactory.Create(env.Get);
        }
        catch (ArgumentException e)
        {
            throw new FunctionException("Runtime.InvalidConfiguration", e.Message, e);
        }
        var store = new Aws.DynamoDb.DynamoStateStore(dynamo, table);
        Func<CancellationToken, Task>? prepare = !create ? null : async ct =>
        {
            var note = await store.EnsureTableAsync(ct).ConfigureAwait(false);
            log.Info("state table ready", ("table", table), ("note", note));
        };
        return new StateBackedFindingsProducer(store, prepare: prepare);
    }
}
