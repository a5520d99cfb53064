using Auditor.Core.Authorization;
using Auditor.Core.Findings;
using Auditor.Core.State;
using Auditor.Core.Trail;
using static Auditor.Core.Tests.Rules.TestTrail;
using P = Auditor.Core.Tests.Rules.TestPolicies;

namespace Auditor.Core.Tests.Rules;

/// <summary><c>retired-grant-use</c> (CONTRACT section 6), including retirements delivered after the calls they affect.</summary>
public sealed class RetiredGrantUseRuleTests
{
    private const string Rule = "retired-grant-use";
    private const string GrantId = "0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60";
    private static readonly Dictionary<string, string> Billing = Context(("app", "billing"));

    private static KmsEvent Create() => CreateKey("ev-create", 0, Role("KeyAdmin"), P.Standard());

    /// <summary>A grant for bob to Decrypt data of the billing app, retirable by the application role.</summary>
    private static KmsEvent Grant(string grantee = "bob") =>
        CreateGrant("ev-grant", 1, Role("KeyAdmin"), GrantId, grantee == "AppRole" ? RoleArn("AppRole") : UserArn(grantee), ["Decrypt"],
            retiring: RoleArn("AppRole"), subset: Billing);

    private static KmsEvent Retire(double minutes = 20) => RetireGrant("ev-retire", minutes, Role("AppRole"), GrantId);

    [Fact]
    public void High_when_used_more_than_five_minutes_after_RetireGrant()
    {
        var findings = RuleHarness.Run(Create(), Grant(), Decrypt("ev-before", 10, User("bob"), Billing), Retire(20), Decrypt("ev-after", 30, User("bob"), Billing));
        var f = findings.Single(Rule);
        Assert.Equal(Severity.High, f.Severity);
        Assert.Equal("ev-after", f.EventId);
        Assert.Equal(KeyArn, f.KeyArn);
        Assert.Equal(UserArn("bob"), f.Principal);
        Assert.Contains("ev-retire", f.Evidence);
        Assert.Contains("ev-grant", f.Evidence);
        // With the grant gone, only the root statement is left: that is what the finding says authorized it.
        Assert.Equal(new AuthorizationResult(Decision.DelegatedToIam, AuthorizationPath.IamDelegation, P.RootSid), f.Authorization);
        f.Names(GrantId, KeyArn, UserArn("bob"), "retired", "ev-retire");
    }

    [Fact]
    public void Silent_while_the_grant_is_active()
    {
        var findings = RuleHarness.Run(Create(), Grant(), Decrypt("ev-before", 10, User("bob"), Billing), Retire(20));
        findings.None(Rule);
    }

    [Fact]
    public void Info_within_the_grace_period()
    {
        var findings = RuleHarness.Run(Create(), Grant(), Retire(20), Decrypt("ev-after", 23, User("bob"), Billing));
        var f = findings.Single(Rule);
        Assert.Equal(Severity.Info, f.Severity);
        f.Names(GrantId, "grace");
    }

    [Fact]
    public void High_after_RevokeGrant()
    {
        var findings = RuleHarness.Run(Create(), Grant(), RevokeGrant("ev-revoke", 20, Role("KeyAdmin"), GrantId), Decrypt("ev-after", 40, User("bob"), Billing));
        var f = findings.Single(Rule);
        Assert.Equal(Severity.High, f.Severity);
        Assert.Contains("ev-revoke", f.Evidence);
        f.Names("revoked", RoleArn("KeyAdmin"));
    }

    [Fact]
    public void Silent_when_the_grant_constraint_is_not_satisfied()
    {
        // The grant only covered the billing context; this call is for another app, so the grant never explained it.
        var findings = RuleHarness.Run(Create(), Grant(), Retire(20), Decrypt("ev-after", 30, User("bob"), Context(("app", "payroll"))));
        findings.None(Rule);
    }

    [Fact]
    public void Silent_when_a_statement_names_the_caller_for_the_operation()
    {
        // AppRole is allowed Decrypt by the key policy itself: the retired grant is not what let it in.
        var findings = RuleHarness.Run(Create(), Grant("AppRole"), Retire(20), Decrypt("ev-after", 30, Role("AppRole"), Billing));
        findings.None(Rule);
    }

    [Fact]
    public void Silent_when_the_key_policy_is_unknown()
    {
        var findings = RuleHarness.Run(Grant(), Retire(20), Decrypt("ev-after", 30, User("bob"), Billing));
        findings.None(Rule);
    }

    [Fact]
    public void Silent_for_a_failed_call_after_retirement()
    {
        var findings = RuleHarness.Run(Create(), Grant(), Retire(20), Decrypt("ev-after", 30, User("bob"), Billing).Failed("AccessDeniedException"));
        findings.None(Rule);
    }

    [Fact]
    public void Raised_when_the_retirement_arrives_in_a_later_batch()
    {
        var h = new RuleHarness();
        var first = h.Process(Create(), Grant(), Decrypt("ev-after", 30, User("bob"), Billing));
        first.None(Rule); // the grant looked active
        var second = h.Process(Retire(20));
        var f = second.Single(Rule);
        Assert.Equal(Severity.High, f.Severity);
        Assert.Equal("ev-after", f.EventId);
        Assert.Contains("ev-retire", f.Evidence);
    }

    [Fact]
    public void Late_retirement_gives_the_same_findings_as_one_batch()
    {
        KmsEvent[] early = [Create(), Grant(), Decrypt("ev-before", 10, User("bob"), Billing), Decrypt("ev-after", 30, User("bob"), Billing)];
        var once = RuleHarness.Run([.. early, Retire(20)]);
        var h = new RuleHarness();
        var split = h.Process(early).Concat(h.Process(Retire(20))).ToList();
        Assert.Equal(Lines(once), Lines(split));
    }

    [Fact]
    public void Grant_grace_option_is_honoured()
    {
        var options = new AuditOptions { GrantGrace = TimeSpan.FromMinutes(30) };
        var findings = RuleHarness.Run([Create(), Grant(), Retire(20), Decrypt("ev-after", 30, User("bob"), Billing)], options);
        Assert.Equal(Severity.Info, findings.Single(Rule).Severity);
        findings.None("unexpected-principal"); // within the grace the grant may still be in effect
    }

    [Fact]
    public void Use_exactly_at_the_end_of_the_grace_is_info()
    {
        var findings = RuleHarness.Run(Create(), Grant(), Retire(20), Decrypt("ev-after", 25, User("bob"), Billing));
        Assert.Equal(Severity.Info, findings.Single(Rule).Severity);
    }

    [Fact]
    public void Matches_a_session_of_the_grantee_role()
    {
        var grant = CreateGrant("ev-grant", 1, Role("KeyAdmin"), GrantId, RoleArn("Worker"), ["Decrypt"], retiring: RoleArn("AppRole"));
        var findings = RuleHarness.Run(Create(), grant, Retire(20), Decrypt("ev-after", 60, Role("Worker", "job-7")));
        var f = findings.Single(Rule);
        Assert.Equal(RoleArn("Worker"), f.Principal);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/Worker/job-7", f.SessionArn);
    }

    private static List<string> Lines(IEnumerable<Finding> findings)
    {
        var list = findings.ToList();
        list.Sort(Finding.Compare);
        return list.Select(FindingJson.ToLine).Distinct().ToList();
    }
}
