using Auditor.Core.Trail;
using static Auditor.Core.Tests.Rules.TestTrail;
using P = Auditor.Core.Tests.Rules.TestPolicies;

namespace Auditor.Core.Tests.Rules;

/// <summary>
/// A call that changes authorization (PutKeyPolicy, RetireGrant, RevokeGrant) is authorized by the state in
/// force *before* it: KMS checks PutKeyPolicy against the current policy, and a RetireGrant against the grant it retires.
/// </summary>
public sealed class SelfChangeJudgementTests
{
    [Fact]
    public void PutKeyPolicy_is_judged_against_the_policy_it_replaces()
    {
        // KeyAdmin is named by the old policy; the new policy drops the admin statement (keeps root delegation).
        var findings = RuleHarness.Run(
            CreateKey("ev-create", 0, Role("KeyAdmin"), P.Standard()),
            PutKeyPolicy("ev-put", 10, Role("KeyAdmin"), P.Doc(P.Root(), P.Use(RoleArn("AppRole")))));
        findings.None("unexpected-principal");
    }

    [Fact]
    public void Calls_after_the_PutKeyPolicy_are_judged_against_the_new_policy()
    {
        var findings = RuleHarness.Run(
            CreateKey("ev-create", 0, Role("KeyAdmin"), P.Standard()),
            PutKeyPolicy("ev-put", 10, Role("KeyAdmin"), P.Doc(P.Root(), P.Use(RoleArn("AppRole")))),
            Call("ev-describe", "DescribeKey", 20, Role("KeyAdmin")));
        Assert.Equal("ev-describe", findings.Single("unexpected-principal").EventId);
    }

    [Fact]
    public void RetireGrant_by_its_retiring_principal_is_explained_by_the_grant_it_retires()
    {
        // ops is not in the key policy; it may retire the grant because the grant names it as retiring principal.
        var findings = RuleHarness.Run(
            CreateKey("ev-create", 0, Role("KeyAdmin"), P.Standard()),
            CreateGrant("ev-grant", 1, Role("KeyAdmin"), "grant-1", UserArn("bob"), ["Decrypt"], retiring: UserArn("ops")),
            RetireGrant("ev-retire", 20, User("ops"), "grant-1"));
        findings.None("unexpected-principal");
    }
}
