using Auditor.Core.Findings;
using Auditor.Core.Trail;
using static Auditor.Core.Tests.Rules.TestTrail;
using P = Auditor.Core.Tests.Rules.TestPolicies;

namespace Auditor.Core.Tests.Rules;

/// <summary><c>policy-public-access</c>, <c>policy-lockout-risk</c> and <c>policy-external-account</c>.</summary>
public sealed class PolicyRuleTests
{
    private const string Public = "policy-public-access";
    private const string Lockout = "policy-lockout-risk";
    private const string External = "policy-external-account";

    private static string Everyone(string sid, string? condition = null, string principal = "\"*\"") =>
        P.Allow(sid, principal, """["kms:Decrypt","kms:DescribeKey"]""", condition);

    private static IReadOnlyList<Finding> Put(string policy, bool? bypass = null) =>
        RuleHarness.Run(CreateKey("ev-create", 0, Role("KeyAdmin"), P.Standard()), PutKeyPolicy("ev-put", 10, Role("KeyAdmin"), policy, bypass));

    // ---- policy-public-access ------------------------------------------------------------------

    [Fact]
    public void Public_fires_on_principal_star_without_condition()
    {
        var f = Put(P.Doc(P.Root(), Everyone("OpenDecrypt"))).Single(Public);
        Assert.Equal(Severity.Critical, f.Severity);
        Assert.Equal("ev-put", f.EventId);
        Assert.Equal("PutKeyPolicy", f.EventName);
        Assert.Equal(KeyArn, f.KeyArn);
        Assert.Equal(RoleArn("KeyAdmin"), f.Principal);
        f.Names(KeyArn, RoleArn("KeyAdmin"), "OpenDecrypt", "kms:Decrypt");
    }

    [Fact]
    public void Public_fires_on_CreateKey_with_an_AWS_star_principal()
    {
        var findings = RuleHarness.Run(CreateKey("ev-create", 0, Role("KeyAdmin"), P.Doc(P.Root(), Everyone("Open", principal: """{"AWS":"*"}"""))));
        Assert.Equal("ev-create", findings.Single(Public).EventId);
    }

    [Theory]
    [InlineData("""{"StringEquals":{"kms:CallerAccount":"111122223333"}}""")]
    [InlineData("""{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}""")]
    [InlineData("""{"StringEquals":{"aws:PrincipalAccount":["111122223333","444455556666"]}}""")]
    [InlineData("""{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/app-*"}}""")]
    public void Public_silent_when_a_condition_pins_the_caller_to_an_account_or_organization(string condition)
    {
        Put(P.Doc(P.Root(), Everyone("Scoped", condition))).None(Public);
    }

    [Theory]
    [InlineData("""{"StringNotEquals":{"kms:CallerAccount":"999988887777"}}""")]
    [InlineData("""{"StringEqualsIfExists":{"kms:CallerAccount":"111122223333"}}""")]
    [InlineData("""{"StringLike":{"kms:CallerAccount":"*"}}""")]
    [InlineData("""{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}""")]
    public void Public_fires_when_the_condition_does_not_restrict_the_caller(string condition)
    {
        Assert.Equal(Severity.Critical, Put(P.Doc(P.Root(), Everyone("Loose", condition))).Single(Public).Severity);
    }

    [Theory]
    [InlineData("""{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}""")]
    [InlineData("""{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}}""")]
    [InlineData("""{"StringLike":{"kms:CallerAccount":"1111*"}}""")]
    [InlineData("""{"StringEquals":{"aws:username":"bob"}}""")]
    public void Public_fires_when_the_caller_condition_can_match_principals_of_other_accounts(string condition)
    {
        Assert.Equal(Severity.Critical, Put(P.Doc(P.Root(), Everyone("Wildcard", condition))).Single(Public).Severity);
    }

    [Fact]
    public void Public_fires_on_NotPrincipal_allow()
    {
        var notPrincipal = """{"Sid":"AllButOne","Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"kms:Decrypt","Resource":"*"}""";
        var f = Put(P.Doc(P.Root(), notPrincipal)).Single(Public);
        f.Names("AllButOne");
    }

    [Fact]
    public void Public_silent_for_the_standard_policy()
    {
        Put(P.Standard()).None(Public);
    }

    [Fact]
    public void Public_silent_when_the_PutKeyPolicy_failed()
    {
        var findings = RuleHarness.Run(CreateKey("ev-create", 0, Role("KeyAdmin"), P.Standard()),
            PutKeyPolicy("ev-put", 10, User("bob"), P.Doc(P.Root(), Everyone("Open"))).Failed("AccessDeniedException"));
        findings.None(Public);
    }

    [Fact]
    public void Public_silent_for_a_deny_to_everyone()
    {
        var deny = """{"Sid":"DenyOutsideOrg","Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}""";
        Put(P.Doc(P.Root(), deny)).None(Public);
    }

    // ---- policy-lockout-risk -------------------------------------------------------------------

    [Fact]
    public void Lockout_fires_when_no_statement_allows_PutKeyPolicy()
    {
        var f = Put(P.Doc(P.Use(RoleArn("AppRole")))).Single(Lockout);
        Assert.Equal(Severity.High, f.Severity);
        Assert.Equal("ev-put", f.EventId);
        Assert.Equal(KeyArn, f.KeyArn);
        f.Names(KeyArn, RoleArn("KeyAdmin"), "kms:PutKeyPolicy");
    }

    [Fact]
    public void Lockout_fires_when_the_bypass_flag_is_set()
    {
        var f = Put(P.Standard(), bypass: true).Single(Lockout);
        f.Names("bypassPolicyLockoutSafetyCheck");
    }

    [Fact]
    public void Lockout_fires_on_CreateKey_with_the_bypass_flag()
    {
        var findings = RuleHarness.Run(CreateKey("ev-create", 0, Role("KeyAdmin"), P.Standard(), bypass: true));
        Assert.Equal("ev-create", findings.Single(Lockout).EventId);
    }

    [Fact]
    public void Lockout_fires_on_an_unconditional_deny_of_PutKeyPolicy_to_everyone()
    {
        var deny = """{"Sid":"FreezePolicy","Effect":"Deny","Principal":"*","Action":"kms:PutKeyPolicy","Resource":"*"}""";
        Put(P.Doc(P.Root(), deny)).Single(Lockout).Names("FreezePolicy");
    }

    [Fact]
    public void Lockout_silent_with_a_normal_administrator_statement()
    {
        Put(P.Doc(P.Admin(RoleArn("KeyAdmin")), P.Use(RoleArn("AppRole")))).None(Lockout);
    }

    [Fact]
    public void Lockout_silent_with_the_root_statement()
    {
        Put(P.Doc(P.Root())).None(Lockout);
    }

    [Fact]
    public void Lockout_silent_when_bypass_is_explicitly_false()
    {
        Put(P.Standard(), bypass: false).None(Lockout);
    }

    // ---- policy-external-account ---------------------------------------------------------------

    [Fact]
    public void External_fires_when_PutKeyPolicy_adds_another_account()
    {
        var policy = P.Doc(P.Root(), P.Use($"arn:aws:iam::{OtherAccount}:role/Partner", "Allow partner"));
        var f = Put(policy).Single(External);
        Assert.Equal(Severity.High, f.Severity);
        Assert.Equal(["ev-create"], f.Evidence);
        f.Names(KeyArn, OtherAccount, RoleArn("KeyAdmin"));
    }

    [Fact]
    public void External_silent_when_the_account_was_already_in_the_policy()
    {
        var policy = P.Doc(P.Root(), P.Use($"arn:aws:iam::{OtherAccount}:role/Partner", "Allow partner"));
        var findings = RuleHarness.Run(CreateKey("ev-create", 0, Role("KeyAdmin"), policy),
            PutKeyPolicy("ev-put", 10, Role("KeyAdmin"), P.Doc(P.Root(), P.Admin(RoleArn("KeyAdmin")), P.Use($"arn:aws:iam::{OtherAccount}:root", "Allow partner"))));
        Assert.Equal(["ev-create"], findings.OfRule(External).Select(f => f.EventId));
    }

    [Fact]
    public void External_silent_for_a_policy_naming_only_the_key_account()
    {
        Put(P.Standard()).None(External);
    }
}
