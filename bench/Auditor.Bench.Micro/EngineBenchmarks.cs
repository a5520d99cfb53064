using BenchmarkDotNet.Attributes;
using Auditor.Core.Pipeline;
using Auditor.Core.Rules;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Bench.Micro;

/// <summary>
/// Events/s through <see cref="AuditEngine.Process"/> (state changes, judgement, every rule, re-judging) on the
/// KMS events of a generated trail, and through the rules alone. A fresh state per invocation, so each run judges
/// every event (the engine drops event ids it has seen).
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private List<KmsEvent> _events = [];

    [GlobalSetup]
    public void Setup() => _events = SampleTrail.KmsEvents(60_000);

    [Benchmark(Description = "AuditEngine.Process, ~9k KMS events")]
    public int Process()
    {
        var engine = new AuditEngine(new AuditState(), RuleCatalog.All(), new CallJudge());
        return engine.Process(_events).Count;
    }
}
