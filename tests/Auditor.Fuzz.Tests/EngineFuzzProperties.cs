using Auditor.Core.Trail;
using Auditor.Fuzz;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Auditor.Fuzz.Tests;

/// <summary>
/// Mutated-but-valid KMS events (real ones with odd values in the fields rules read) through AuditEngine, CallJudge
/// and every rule of RuleCatalog.All(): no exception, and every finding can be written as a JSON line.
/// </summary>
public class EngineFuzzProperties
{
    private static readonly IReadOnlyList<KmsEvent> RealEvents = ReaderFuzzProperties.Seeds
        .SelectMany(s => { var list = new List<KmsEvent>(); new TrailReader().Read(new MemoryStream(s.Bytes), s.Name, list.Add); return list; })
        .ToList();

    /// <summary>Every time DateTimeOffset can hold, extremes included (bug R2 once crashed the engine on year 1).</summary>
    private static bool Representable(KmsEvent e) => true;

    [Fact]
    public void There_are_real_kms_events_to_mutate() => Assert.True(RealEvents.Count >= 100, $"{RealEvents.Count} events");

    [Property(MaxTest = 400)]
    public Property Mutated_events_never_crash_the_engine_or_the_rules() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(1, 40).ToArbitrary(), (seed, count) =>
        {
            var random = new Random(seed);
            var mutator = new EventMutator(random);
            var batch = new List<KmsEvent>();
            for (int i = 0; i < count; i++)
            {
                var e = RealEvents[random.Next(RealEvents.Count)];
                batch.Add(random.Next(3) == 0 ? e : mutator.Mutate(e, RealEvents));
            }
            batch.RemoveAll(e => !Representable(e));
            var problem = EngineOracle.Check(batch, out _);
            return (problem is null).Label($"seed {seed}: {problem}");
        });

    [Property(MaxTest = 50)]
    public Property The_same_events_always_give_the_same_findings() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var batch = Enumerable.Range(0, 30).Select(_ => RealEvents[random.Next(RealEvents.Count)]).ToList();
            Assert.Null(EngineOracle.Check(batch, out var a));
            Assert.Null(EngineOracle.Check(batch, out var b));
            return a.Select(f => f.Id).SequenceEqual(b.Select(f => f.Id));
        });
}
