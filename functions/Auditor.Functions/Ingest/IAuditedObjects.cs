namespace Auditor.Functions.Ingest;

/// <summary>
/// Remembers which source objects (bucket, key, ETag) were audited to the end, so a redelivery is skipped
/// rather than re-judged against state that later objects have changed since (which would write, again, findings
/// those later objects already wrote). CONTRACT section 7: a redelivered object never duplicates a finding.
/// </summary>
public interface IAuditedObjects
{
    Task<bool> WasAuditedAsync(string bucket, string key, string eTag, CancellationToken cancellationToken);

    Task MarkAuditedAsync(string bucket, string key, string eTag, string findingsObject, CancellationToken cancellationToken);
}

/// <summary>No memory of audited objects: every delivery is audited (tests, stateless producers).</summary>
public sealed class NoAuditedObjects : IAuditedObjects
{
    public static readonly NoAuditedObjects Instance = new();

    public Task<bool> WasAuditedAsync(string bucket, string key, string eTag, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task MarkAuditedAsync(string bucket, string key, string eTag, string findingsObject, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The marks kept in the state table beside the state they protect (the producer owns the table's set-up).</summary>
public sealed class DynamoAuditedObjects(StateBackedFindingsProducer producer) : IAuditedObjects
{
    public async Task<bool> WasAuditedAsync(string bucket, string key, string eTag, CancellationToken cancellationToken)
    {
        await producer.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        return await producer.Store.WasAuditedAsync(bucket, key, eTag, cancellationToken).ConfigureAwait(false);
    }

    public Task MarkAuditedAsync(string bucket, string key, string eTag, string findingsObject, CancellationToken cancellationToken) =>
        producer.Store.MarkAuditedAsync(bucket, key, eTag, findingsObject, cancellationToken);
}
