using Auditor.Core.Authorization;
using Auditor.Core.Policy;
using BenchmarkDotNet.Attributes;

namespace Auditor.Benchmarks;

/// <summary>Decisions per second of the authorization engine on <see cref="EvaluatorScenario"/>.</summary>
[MemoryDiagnoser]
public class EvaluatorBenchmarks
{
    private readonly EvaluatorScenario _s = new();

    /// <summary>One full decision: key policy, grants, delegation.</summary>
    [Benchmark(Baseline = true)]
    public AuthorizationResult Decision() => _s.Evaluate();

    /// <summary>The key-policy pass alone.</summary>
    [Benchmark]
    public KeyPolicyResult KeyPolicyOnly() => KeyPolicyEvaluator.Evaluate(_s.Policy, _s.Request);

    /// <summary>Parsing and compiling the policy (done once per policy version, not per decision).</summary>
    [Benchmark]
    public PolicyDocument ParsePolicy() => PolicyDocument.Parse(EvaluatorScenario.PolicyJson);
}
