using System.Globalization;
using System.Text.Json;
using Auditor.Aws.DynamoDb;
using Auditor.Aws.Kms;
using Auditor.Aws.S3;
using Auditor.Core.Inventory;
using Auditor.Core.State;
using Auditor.Functions.Hosting;
using Auditor.Functions.Ingest;
using Auditor.Functions.Observability;
using Auditor.Functions.Runtime;

namespace Auditor.Functions.Snapshot;

/// <summary>
/// The <c>snapshot</c> function: takes the key inventory through the KMS API (<see cref="KmsInventoryCollector"/>, the
/// code behind <c>auditor inventory</c>) for <c>AUDITOR_SNAPSHOT_REGIONS</c>, stores each key's policy, state, grants
/// and aliases in the state table with the <c>inventory</c> marker — where <c>ingest</c> hydrates them from — and writes
/// the snapshot (CONTRACT section 4) to <c>s3://$AUDITOR_FINDINGS_BUCKET/${AUDITOR_INVENTORY_PREFIX:-inventory/}&lt;capturedAt&gt;.json</c>.
/// Any event payload is accepted (a schedule's event is typical). Answers a small JSON summary.
/// </summary>
public sealed class SnapshotHandler(
    Func<CancellationToken, Task<KmsInventoryResult>> collect,
    DynamoStateStore store,
    IFindingsSink sink,
    string inventoryPrefix,
    FunctionLog log,
    Func<CancellationToken, Task>? prepare = null) : ILambdaHandler
{
    /// <summary>Builds the handler from the environment.</summary>
    public static SnapshotHandler Create(IEnvironment env, FunctionLog log)
    {
        var bucket = env.Get("AUDITOR_FINDINGS_BUCKET")
            ?? throw IngestSettings.Invalid("AUDITOR_FINDINGS_BUCKET is not set: snapshot writes the inventory there");
        var table = env.Get("AUDITOR_STATE_TABLE")
            ?? throw IngestSettings.Invalid("AUDITOR_STATE_TABLE is not set: snapshot stores the inventory in that DynamoDB table");
        var regionList = env.Get("AUDITOR_SNAPSHOT_REGIONS") ?? env.Get("AWS_REGION") ?? env.Get("AWS_DEFAULT_REGION")
            ?? throw IngestSettings.Invalid("neither AUDITOR_SNAPSHOT_REGIONS nor AWS_REGION is set: snapshot does not know which regions to inventory");
        var regions = regionList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (regions.Length == 0) throw IngestSettings.Invalid($"AUDITOR_SNAPSHOT_REGIONS names no region: '{regionList}'");
        bool create = IngestSettings.CreateTableFlag(env);
        var owner = env.Get("AUDITOR_EXPECTED_BUCKET_OWNER");
        Amazon.S3.AmazonS3Client s3;
        Amazon.DynamoDBv2.AmazonDynamoDBClient dynamo;
        try
        {
            s3 = S3ClientFactory.Create(env.Get);
            dynamo = DynamoDbClientFactory.Create(env.Get);
        }
        catch (ArgumentException e)
        {
            throw new FunctionException("Runtime.InvalidConfiguration", e.Message, e);
        }
        var store = new DynamoStateStore(dynamo, table);
        var kmsEndpoint = env.Get("AWS_ENDPOINT_URL_KMS") ?? env.Get("AWS_ENDPOINT_URL");
        var prefix = FindingsObjectKey.NormalizePrefix(env.Get("AUDITOR_INVENTORY_PREFIX") ?? "inventory/");
        log.Info("snapshot configured", ("regions", string.Join(",", regions)), ("table", table), ("inventory", $"s3://{bucket}/{prefix}"));
        return new SnapshotHandler(
            ct => new KmsInventoryCollector(new KmsInventoryOptions { Regions = regions, KmsEndpointUrl = kmsEndpoint },
                warn: line => log.Warn("inventory", ("note", line))).CollectAsync(ct),
            store,
            new S3FindingsSink(s3, bucket, owner),
            prefix,
            log,
            create ? async ct => await store.EnsureTableAsync(ct).ConfigureAwait(false) : null);
    }

    private Task? _prepared;

    /// <inheritdoc />
    public async Task<byte[]> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        if (prepare is not null) await (_prepared ??= prepare(CancellationToken.None)).WaitAsync(cancellationToken).ConfigureAwait(false);
        var result = await collect(cancellationToken).ConfigureAwait(false);
        var snapshot = result.Snapshot;
        if (result.NoAccess)
            throw new FunctionException("Auditor.InventoryNoAccess",
                "no account/region could be listed: " + string.Join("; ", snapshot.Errors.Take(5).Select(e => $"{e.Scope}: {e.Error}")));

        var state = new AuditState();
        InventoryApplier.Apply(state, snapshot);
        SaveResult saved;
        try
        {
            saved = await store.SaveInventoryAsync(state, cancellationToken).ConfigureAwait(false);
        }
        catch (StateStoreException e)
        {
            throw new FunctionException("Auditor.StateStoreFailed", e.Message, e);
        }

        using var buffer = new MemoryStream();
        InventoryWriter.Write(snapshot, buffer);
        var key = InventoryKey(snapshot.CapturedAt);
        try
        {
            await sink.PutAsync(key, buffer.ToArray(), "application/json", cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectStoreException e)
        {
            throw new FunctionException("Auditor.InventoryWriteFailed", e.Message, e);
        }
        log.Info("snapshot done", ("keys", snapshot.Keys.Count), ("keysWithErrors", result.KeysWithErrors), ("scopes", result.Scopes),
            ("scopesListed", result.ScopesListed), ("itemsWritten", saved.ItemsWritten), ("inventory", $"{sink.Location}/{key}"));
        return Summary(result, saved, $"{sink.Location}/{key}");
    }

    private string InventoryKey(DateTimeOffset capturedAt) =>
        inventoryPrefix + capturedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss'Z'", CultureInfo.InvariantCulture) + ".json";

    private static byte[] Summary(KmsInventoryResult result, SaveResult saved, string location)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("capturedAt", result.Snapshot.CapturedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteNumber("keys", result.Snapshot.Keys.Count);
            w.WriteNumber("keysWithErrors", result.KeysWithErrors);
            w.WriteNumber("scopes", result.Scopes);
            w.WriteNumber("scopesListed", result.ScopesListed);
            w.WriteNumber("stateItemsWritten", saved.ItemsWritten);
            w.WriteString("inventory", location);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
