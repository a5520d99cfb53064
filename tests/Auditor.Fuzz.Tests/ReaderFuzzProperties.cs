using Auditor.Core.Trail;
using Auditor.Fuzz;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Auditor.Fuzz.Tests;

/// <summary>
/// Issue 10, item 2: mutated real trails (every real capture in ../shared/real-trails and every sample) fed to the
/// reader. For any input: no unhandled exception, consistent counts, no more KMS events than records, and the
/// same bytes give the same output. Bounded to a few seconds each; tools/fuzz runs the same campaign for longer.
/// </summary>
public class ReaderFuzzProperties
{
    internal static readonly IReadOnlyList<(string Name, byte[] Bytes)> Seeds = SeedCorpus.Load(maxBytesPerSeed: 256 * 1024);

    private static readonly Gen<(int Seed, int Rounds, int Pick)> Mutations =
        from seed in Gen.Choose(0, int.MaxValue)
        from rounds in Gen.Choose(1, 8)
        from pick in Gen.Choose(0, int.MaxValue)
        select (seed, rounds, pick);

    internal static byte[] Mutant((int Seed, int Rounds, int Pick) m, out string description)
    {
        var random = new Random(m.Seed);
        var (name, bytes) = Seeds[m.Pick % Seeds.Count];
        var mutator = new Mutator(random);
        var kinds = new List<MutationKind>();
        for (int i = 0; i < m.Rounds; i++)
        {
            var (next, kind) = mutator.Mutate(bytes, Seeds);
            bytes = next;
            kinds.Add(kind);
        }
        description = $"{name} after {string.Join(", ", kinds)}";
        return bytes;
    }

    [Property(MaxTest = 3000)]
    public Property Mutated_trails_never_throw_and_keep_their_counts_consistent() =>
        Prop.ForAll(Mutations.ToArbitrary(), m =>
        {
            var input = Mutant(m, out var description);
            var problem = ReaderOracle.Check(input);
            return (problem is null).Label($"{description}: {problem}");
        });

    [Property(MaxTest = 300)]
    public Property Mutated_trails_under_small_limits_never_throw() =>
        Prop.ForAll(Mutations.ToArbitrary(), Gen.Choose(1, 4096).ToArbitrary(), Gen.Choose(1, 20).ToArbitrary(), (m, recordBytes, depth) =>
        {
            var input = Mutant(m, out var description);
            var limits = new TrailReaderLimits { MaxRecordBytes = recordBytes, MaxDepth = depth, MaxRecordsPerObject = 1 + recordBytes % 7, MaxDecompressedBytes = 64 * 1024 };
            var problem = ReaderOracle.Check(input, limits);
            return (problem is null).Label($"{description}: {problem}");
        });

    [Property(MaxTest = 300)]
    public Property Random_bytes_never_throw() =>
        Prop.ForAll(Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().ToArbitrary(), bytes => ReaderOracle.Check(bytes) is null);

    [Fact]
    public void Every_seed_is_read_without_error_before_mutation()
    {
        // The properties start from valid input: a broken seed would mean mutations never reach the parser.
        var kmsSeeds = 0;
        foreach (var (name, bytes) in Seeds.Where(s => !s.Name.EndsWith(".invalid", StringComparison.Ordinal)))
        {
            Assert.True(ReaderOracle.Check(bytes, null, out var result, out var events) is null, name);
            if (events.Count > 0) kmsSeeds++;
            Assert.NotNull(result);
        }
        Assert.True(kmsSeeds >= 20, $"only {kmsSeeds} seed files carry KMS events");
    }
}
