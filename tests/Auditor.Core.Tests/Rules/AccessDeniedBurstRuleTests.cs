using Auditor.Core.Authorization;
using Auditor.Core.Findings;
using Auditor.Core.Trail;
using static Auditor.Core.Tests.Rules.TestTrail;

namespace Auditor.Core.Tests.Rules;

/// <summary><c>access-denied-burst</c>: five or more denials by one principal within ten minutes, one finding per burst.</summary>
public sealed class AccessDeniedBurstRuleTests
{
    private const string Rule = "access-denied-burst";

    private static IEnumerable<KmsEvent> Denials(string prefix, UserIdentity by, params double[] minutes) =>
        minutes.Select((m, i) => Decrypt($"{prefix}-{i + 1}", m, by).Failed("AccessDeniedException"));

    [Fact]
    public void Fires_once_on_five_denials_in_ten_minutes()
    {
        var findings = RuleHarness.Run(Denials("ev-d", User("mallory"), 0, 2, 4, 6, 8));
        var f = findings.Single(Rule);
        Assert.Equal(Severity.Medium, f.Severity);
        Assert.Equal("ev-d-5", f.EventId);
        Assert.Equal(UserArn("mallory"), f.Principal);
        Assert.Equal(KeyArn, f.KeyArn);
        Assert.Equal(["ev-d-1", "ev-d-2", "ev-d-3", "ev-d-4"], f.Evidence.Order(StringComparer.Ordinal));
        Assert.Equal(Decision.ImplicitDeny, f.Authorization.Decision);
        Assert.Equal(AuthorizationPath.None, f.Authorization.Path); // the policy is unknown: nothing to point at
        f.Names(UserArn("mallory"), "5 KMS calls", "Decrypt", "AccessDeniedException");
    }

    [Fact]
    public void Seven_denials_in_six_minutes_are_one_burst()
    {
        var findings = RuleHarness.Run(Denials("ev-d", User("mallory"), 0, 1, 2, 3, 4, 5, 6));
        Assert.Equal("ev-d-5", findings.Single(Rule).EventId);
    }

    [Fact]
    public void Silent_on_four_denials()
    {
        var findings = RuleHarness.Run(Denials("ev-d", User("mallory"), 0, 2, 4, 6));
        findings.None(Rule);
    }

    [Fact]
    public void Silent_when_five_denials_are_spread_over_more_than_ten_minutes()
    {
        var findings = RuleHarness.Run(Denials("ev-d", User("mallory"), 0, 3, 6, 9, 12.5));
        findings.None(Rule);
    }

    [Fact]
    public void Two_bursts_separated_by_a_quiet_hour_are_two_findings()
    {
        var findings = RuleHarness.Run(Denials("ev-a", User("mallory"), 0, 1, 2, 3, 4).Concat(Denials("ev-b", User("mallory"), 70, 71, 72, 73, 74)));
        var bursts = findings.OfRule(Rule);
        Assert.Equal(["ev-a-5", "ev-b-5"], bursts.Select(b => b.EventId));
        Assert.Equal(["ev-b-1", "ev-b-2", "ev-b-3", "ev-b-4"], bursts[1].Evidence.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Denials_of_different_principals_are_not_added_together()
    {
        var findings = RuleHarness.Run(Denials("ev-m", User("mallory"), 0, 1, 2).Concat(Denials("ev-t", User("trent"), 3, 4)));
        findings.None(Rule);
    }

    [Fact]
    public void Other_errors_are_not_denials()
    {
        var findings = RuleHarness.Run(Enumerable.Range(1, 6).Select(i => Decrypt($"ev-{i}", i, User("app")).Failed("InvalidCiphertextException")));
        findings.None(Rule);
    }

    [Fact]
    public void Burst_keeps_one_order_whatever_the_arrival_order()
    {
        var events = Denials("ev-d", User("mallory"), 0, 2, 4, 6, 8).Reverse().ToList();
        Assert.Equal("ev-d-5", RuleHarness.Run(events).Single(Rule).EventId);
    }

    [Fact]
    public void A_burst_split_across_batches_gives_the_same_finding_as_one_batch()
    {
        var all = Denials("ev-d", User("mallory"), 0, 1, 5, 6, 7).ToList();
        var once = RuleHarness.Run(all).Single(Rule);
        var h = new RuleHarness();
        var split = h.Process(all.Skip(2)).Concat(h.Process(all.Take(2))).ToList(); // the first minutes' log file arrives last
        Assert.Equal(FindingJson.ToLine(once), FindingJson.ToLine(split.Single(Rule)));
    }
}
