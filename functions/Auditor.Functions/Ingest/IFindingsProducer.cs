using Auditor.Core.Trail;

namespace Auditor.Functions.Ingest;

/// <summary>
/// Where <c>ingest</c> meets the replay engine: the KMS events of one log object in (file order), the findings they
/// raise out — new ones and calls of earlier objects re-judged — one JSON object per string (CONTRACT section 3),
/// sorted. Everything around it (reading, naming, writing, failures, metrics) is <see cref="TrailObjectAuditor"/>'s.
/// </summary>
public interface IFindingsProducer
{
    /// <summary>What the start-up log says about the engine.</summary>
    string Description { get; }

    /// <summary>Judges one object's events. Must be idempotent: a redelivered object gives the same lines.</summary>
    Task<IReadOnlyList<string>> ProduceAsync(IReadOnlyList<KmsEvent> events, CancellationToken cancellationToken);
}

/// <summary>A producer from a function (tests, tools).</summary>
public sealed class DelegateFindingsProducer(Func<IReadOnlyList<KmsEvent>, IReadOnlyList<string>> produce, string description = "delegate") : IFindingsProducer
{
    /// <inheritdoc />
    public string Description => description;

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ProduceAsync(IReadOnlyList<KmsEvent> events, CancellationToken cancellationToken) => Task.FromResult(produce(events));
}
