using Auditor.Core.Trail;

namespace Auditor.Fuzz;

/// <summary>Counts of one fuzz run, for docs/reliability.md.</summary>
public sealed record FuzzStats(long Inputs, long Mutations, long EngineBatches, long EventsJudged, IReadOnlyList<FuzzFailure> Failures);

/// <summary>An input that broke a property, with the property's complaint.</summary>
public sealed record FuzzFailure(string Oracle, string Problem, byte[] Input);

/// <summary>
/// One seeded fuzz campaign: mutate seeds, feed each mutant to the <see cref="ReaderOracle"/>, and now and
/// then feed the events of a mutant (plus mutated-but-valid copies) to the <see cref="EngineOracle"/>.
/// Shared by the bounded property tests and the long-running driver.
/// </summary>
public sealed class FuzzCampaign(int seed, IReadOnlyList<(string Name, byte[] Bytes)> seeds)
{
    private readonly Random _random = new(seed);

    /// <summary>Runs until <paramref name="iterations"/> inputs were tried or <paramref name="until"/> returns true.</summary>
    public FuzzStats Run(long iterations, Func<bool>? until = null, Action<FuzzFailure>? onFailure = null)
    {
        var mutator = new Mutator(_random);
        var eventMutator = new EventMutator(_random);
        long inputs = 0, mutations = 0, batches = 0, judged = 0;
        var failures = new List<FuzzFailure>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (inputs < iterations && !(until?.Invoke() ?? false))
        {
            var (_, bytes) = seeds[_random.Next(seeds.Count)];
            int rounds = 1 + _random.Next(4);
            for (int i = 0; i < rounds; i++) { bytes = mutator.Mutate(bytes, seeds).Bytes; mutations++; }
            inputs++;
            // A small record limit now and then, so the bounds themselves are fuzzed too.
            var limits = _random.Next(8) == 0 ? new TrailReaderLimits { MaxRecordBytes = 256 + _random.Next(4096), MaxRecordsPerObject = 1 + _random.Next(5), MaxDepth = 2 + _random.Next(16) } : null;
            if (ReaderOracle.Check(bytes, limits, out _, out var events) is { } problem)
            {
                Report(new FuzzFailure("reader", problem, bytes));
                continue;
            }
            if (events.Count > 0 && _random.Next(4) == 0)
            {
                var batch = new List<KmsEvent>(events);
                int extra = _random.Next(1, 12);
                for (int i = 0; i < extra; i++) batch.Add(eventMutator.Mutate(events[_random.Next(events.Count)], events));
                batches++;
                judged += batch.Count;
                if (EngineOracle.Check(batch, out _) is { } engineProblem)
                    Report(new FuzzFailure("engine", engineProblem, bytes));
            }
        }
        return new FuzzStats(inputs, mutations, batches, judged, failures);

        void Report(FuzzFailure failure)
        {
            // One entry per distinct complaint (first line), so a single bug does not flood the corpus.
            if (!seen.Add(failure.Oracle + ":" + failure.Problem.Split('\n')[0])) return;
            failures.Add(failure);
            onFailure?.Invoke(failure);
        }
    }
}
