using Auditor.Aws.DynamoDb;
using Auditor.Core.Findings;
using Auditor.Core.Pipeline;
using Auditor.Core.Rules;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Functions.Ingest;

/// <summary>
/// The replay engine over state shared across invocations: per object, hydrate from DynamoDB what its events touch,
/// run <see cref="AuditEngine"/> (the same rules and judge as <c>auditor replay</c>), persist what the events changed.
/// A conflicting concurrent write of a denial history (<see cref="StateConflictException"/>) makes the whole object be
/// processed again from a fresh read — processing is idempotent — with jittered backoff and a bounded number of tries.
/// </summary>
public sealed class StateBackedFindingsProducer : IFindingsProducer
{
    /// <summary>Tries per object before a conflict fails it (the queue then redelivers it later).</summary>
    public const int MaxAttempts = 6;

    private readonly DynamoStateStore _store;
    private readonly AuditOptions _options;
    private readonly Func<CancellationToken, Task>? _prepare;
    private Task? _prepared;
    private readonly Lock _gate = new();
    private long _conflicts;

    /// <param name="store">The state table.</param>
    /// <param name="options">Engine options; cross-batch de-duplication is turned off (the store is the memory).</param>
    /// <param name="prepare">Run once before the first object (creating the table for local runs).</param>
    public StateBackedFindingsProducer(DynamoStateStore store, AuditOptions? options = null, Func<CancellationToken, Task>? prepare = null)
    {
        _store = store;
        _options = (options ?? AuditOptions.Default) with { DeduplicateAcrossBatches = false };
        _prepare = prepare;
    }

    /// <summary>The state store, which also keeps the audited-object marks.</summary>
    public DynamoStateStore Store => _store;

    /// <inheritdoc />
    public string Description => $"audit engine, state in DynamoDB table {_store.TableName}";

    /// <summary>Runs the one-time preparation (creating the table for local runs) before the table is first used.</summary>
    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_prepare is null) return;
        Task prepared;
        lock (_gate) prepared = _prepared ??= _prepare(CancellationToken.None);
        await prepared.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Conflicts retried so far (for tests and metrics).</summary>
    public long ConflictsRetried => Interlocked.Read(ref _conflicts);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ProduceAsync(IReadOnlyList<KmsEvent> events, CancellationToken cancellationToken)
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (events.Count == 0) return [];
        for (int attempt = 1; ; attempt++)
        {
            var loaded = await _store.LoadAsync(events, cancellationToken).ConfigureAwait(false);
            var engine = new AuditEngine(loaded.State, RuleCatalog.All(), new CallJudge(), _options);
            var findings = engine.Process(events);
            try
            {
                await _store.SaveAsync(loaded, findings, cancellationToken).ConfigureAwait(false);
                return findings.Select(FindingJson.ToLine).ToList();
            }
            catch (StateConflictException) when (attempt < MaxAttempts)
            {
                Interlocked.Increment(ref _conflicts);
                await Task.Delay(DynamoStateStore.Backoff(attempt + 2), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
