using Auditor.Core.Baselines;
using Auditor.Core.Findings;
using Auditor.Core.Pipeline;
using Auditor.Core.Rules;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Core.Tests.Rules;

/// <summary>
/// Runs events through the real pipeline — <c>new AuditEngine(new AuditState(), RuleCatalog.All(), new CallJudge(), options, baseline)</c> —
/// and returns its findings. One harness keeps one state, so several <see cref="Process"/> calls behave like
/// log files delivered in several batches.
/// </summary>
internal sealed class RuleHarness
{
    private readonly AuditEngine _engine;

    public RuleHarness(AuditOptions? options = null, Baseline? baseline = null)
    {
        State = new AuditState();
        _engine = new AuditEngine(State, RuleCatalog.All(), new CallJudge(), options ?? AuditOptions.Default, baseline ?? Baseline.Empty);
    }

    public AuditState State { get; }

    public IReadOnlyList<Finding> Process(params KmsEvent[] events) => _engine.Process(events);

    public IReadOnlyList<Finding> Process(IEnumerable<KmsEvent> events) => _engine.Process(events);

    /// <summary>One batch through a fresh engine.</summary>
    public static IReadOnlyList<Finding> Run(IEnumerable<KmsEvent> events, AuditOptions? options = null, Baseline? baseline = null) =>
        new RuleHarness(options, baseline).Process(events);

    public static IReadOnlyList<Finding> Run(params KmsEvent[] events) => Run((IEnumerable<KmsEvent>)events);

    public static Baseline BaselineOf(string keyIdOrArn, params string[] principals) =>
        new(new Dictionary<string, IReadOnlyList<string>> { [keyIdOrArn] = principals }, []);
}

internal static class FindingAssertions
{
    public static IReadOnlyList<Finding> OfRule(this IEnumerable<Finding> findings, string rule) => findings.Where(f => f.Rule == rule).ToList();

    /// <summary>Exactly one finding of <paramref name="rule"/>; the message lists what was found instead.</summary>
    public static Finding Single(this IEnumerable<Finding> findings, string rule)
    {
        var all = findings.ToList();
        var matching = all.Where(f => f.Rule == rule).ToList();
        Assert.True(matching.Count == 1, $"expected one {rule} finding, got {matching.Count}; all findings:\n{Describe(all)}");
        return matching[0];
    }

    public static void None(this IEnumerable<Finding> findings, string rule)
    {
        var all = findings.ToList();
        var matching = all.Where(f => f.Rule == rule).ToList();
        Assert.True(matching.Count == 0, $"expected no {rule} finding, got:\n{Describe(matching)}");
    }

    public static string Describe(IEnumerable<Finding> findings) => string.Join("\n", findings.Select(FindingJson.ToLine));

    /// <summary>The explanation names each of <paramref name="parts"/> (key, principal, statement or grant).</summary>
    public static void Names(this Finding f, params string?[] parts)
    {
        foreach (var p in parts)
        {
            Assert.NotNull(p);
            Assert.True(f.Explanation.Contains(p!, StringComparison.Ordinal), $"explanation does not name \"{p}\": {f.Explanation}");
        }
    }
}

/// <summary>What the catalog declares, for assertions that follow a rule's declared default severity.</summary>
internal static class RuleDefaults
{
    public static Severity SeverityOf(string rule) => RuleCatalog.All().Single(r => r.Descriptor.Id == rule).Descriptor.Severity;

    public static bool InCatalog(string rule) => RuleCatalog.All().Any(r => r.Descriptor.Id == rule);
}
