using Auditor.Core.Trail;
using Auditor.Core.Authorization;
using Auditor.Core.Findings;
using Auditor.Core.State;
using static Auditor.Core.Tests.Rules.TestTrail;
using P = Auditor.Core.Tests.Rules.TestPolicies;

namespace Auditor.Core.Tests.Rules;

/// <summary><c>unexpected-principal</c> (CONTRACT section 6).</summary>
public sealed class UnexpectedPrincipalRuleTests
{
    private const string Rule = "unexpected-principal";

    private static KmsEvent Create(string? policy = null) => CreateKey("ev-create", 0, Role("KeyAdmin"), policy ?? P.Standard());

    [Fact]
    public void Silent_when_a_statement_names_the_caller()
    {
        var findings = RuleHarness.Run(Create(), Decrypt("ev-use", 10, Role("AppRole")));
        findings.None(Rule);
    }

    [Fact]
    public void Medium_when_only_the_root_delegation_explains_the_call()
    {
        var findings = RuleHarness.Run(Create(), Decrypt("ev-use", 10, User("bob")));
        var f = findings.Single(Rule);
        Assert.Equal(Severity.Medium, f.Severity);
        Assert.Equal("ev-use", f.EventId);
        Assert.Equal(KeyArn, f.KeyArn);
        Assert.Equal(UserArn("bob"), f.Principal);
        Assert.Equal(new AuthorizationResult(Decision.DelegatedToIam, AuthorizationPath.IamDelegation, P.RootSid), f.Authorization);
        f.Names(KeyArn, UserArn("bob"), P.RootSid, "Decrypt");
    }

    [Fact]
    public void Reports_the_role_for_a_session_and_keeps_the_session_arn()
    {
        var findings = RuleHarness.Run(Create(), Decrypt("ev-use", 10, Role("Reporting", "nightly")));
        var f = findings.Single(Rule);
        Assert.Equal(RoleArn("Reporting"), f.Principal);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/Reporting/nightly", f.SessionArn);
    }

    /// <summary>
    /// A statement open to everyone but conditioned on the partner's account: it names no principal, so the
    /// partner's callers are allowed only through their own IAM policies, across the account boundary.
    /// </summary>
    private static string PartnerByCondition() => P.Doc(P.Root(), P.Admin(RoleArn("KeyAdmin")),
        P.Allow("Allow partner account", "\"*\"", """["kms:Decrypt"]""", $$$"""{"StringEquals":{"kms:CallerAccount":"{{{OtherAccount}}}"}}"""));

    [Fact]
    public void High_when_the_caller_is_in_another_account()
    {
        var findings = RuleHarness.Run(Create(PartnerByCondition()), Decrypt("ev-use", 10, Role("Partner", account: OtherAccount)));
        var f = findings.Single(Rule);
        Assert.Equal(Severity.High, f.Severity);
        Assert.Equal(RoleArn("Partner", OtherAccount), f.Principal);
        Assert.Equal(Decision.DelegatedToIam, f.Authorization.Decision);
        Assert.Equal("Allow partner account", f.Authorization.StatementSid);
        f.Names(KeyArn, RoleArn("Partner", OtherAccount), OtherAccount, Account);
    }

    [Fact]
    public void High_when_a_caller_known_only_by_its_account_is_external()
    {
        var findings = RuleHarness.Run(Create(PartnerByCondition()), Decrypt("ev-use", 10, CrossAccount()));
        var f = findings.Single(Rule);
        Assert.Equal(Severity.High, f.Severity);
        Assert.Equal($"arn:aws:iam::{OtherAccount}:root", f.Principal);
    }

    [Fact]
    public void Silent_for_an_external_role_the_policy_names()
    {
        var policy = P.Doc(P.Root(), P.Use(RoleArn("Partner", OtherAccount), "Allow partner role"));
        RuleHarness.Run(Create(policy), Decrypt("ev-use", 10, Role("Partner", account: OtherAccount))).None(Rule);
    }

    [Fact]
    public void High_when_nothing_explains_a_successful_call()
    {
        // No root delegation: only the admin and the application role are allowed, yet bob's call succeeded.
        var policy = P.Doc(P.Admin(RoleArn("KeyAdmin")), P.Use(RoleArn("AppRole")));
        var findings = RuleHarness.Run(Create(policy), Decrypt("ev-use", 10, User("bob")));
        var f = findings.Single(Rule);
        Assert.Equal(Severity.High, f.Severity);
        Assert.Equal(new AuthorizationResult(Decision.ImplicitDeny, AuthorizationPath.None), f.Authorization);
        f.Names(KeyArn, UserArn("bob"), "nothing in the key policy");
    }

    [Fact]
    public void Silent_when_the_baseline_lists_the_caller_with_a_wildcard()
    {
        var baseline = RuleHarness.BaselineOf(KeyArn, $"arn:aws:iam::{Account}:user/b*");
        var findings = RuleHarness.Run([Create(), Decrypt("ev-use", 10, User("bob"))], baseline: baseline);
        findings.None(Rule);
    }

    [Fact]
    public void Baseline_wildcard_does_not_cover_other_principals()
    {
        var baseline = RuleHarness.BaselineOf(KeyArn, $"arn:aws:iam::{Account}:user/b*");
        var findings = RuleHarness.Run([Create(), Decrypt("ev-use", 10, User("carol"))], baseline: baseline);
        Assert.Equal(UserArn("carol"), findings.Single(Rule).Principal);
    }

    [Fact]
    public void Silent_when_the_baseline_names_the_key_by_alias()
    {
        var baseline = RuleHarness.BaselineOf("alias/billing", UserArn("bob"));
        var findings = RuleHarness.Run([Create(), Alias("ev-alias", "CreateAlias", 1, Role("KeyAdmin"), "alias/billing", KeyArn), Decrypt("ev-use", 10, User("bob"))], baseline: baseline);
        findings.None(Rule);
    }

    [Fact]
    public void Silent_when_the_key_policy_is_unknown()
    {
        // No CreateKey, PutKeyPolicy or inventory: the auditor cannot know who the policy names.
        var findings = RuleHarness.Run(Decrypt("ev-use", 10, User("bob")));
        findings.None(Rule);
    }

    [Fact]
    public void Silent_when_the_authorization_is_undetermined()
    {
        // A statement for everyone in the account, restricted to calls through S3. The record's source is
        // "AWS Internal" with no invokedBy, so kms:ViaService is unknown: the statement may or may not apply.
        var policy = P.Doc(P.Root(), P.Allow("Allow via S3", "\"*\"", """["kms:Decrypt"]""",
            $$$"""{"StringEquals":{"kms:ViaService":"s3.{{{Region}}}.amazonaws.com","kms:CallerAccount":"{{{Account}}}"}}"""));
        var call = Decrypt("ev-use", 10, User("bob")) with { SourceIpAddress = "AWS Internal" };
        var findings = RuleHarness.Run(Create(policy), call);
        findings.None(Rule);
    }

    [Fact]
    public void A_direct_call_proves_no_ViaService_so_a_ViaService_statement_does_not_explain_it()
    {
        // Same policy, but the call came from an IP address with no invokedBy: kms:ViaService is known to be
        // absent, the S3-only statement does not apply, and only the root delegation is left — medium.
        var policy = P.Doc(P.Root(), P.Allow("Allow via S3", "\"*\"", """["kms:Decrypt"]""",
            $$$"""{"StringEquals":{"kms:ViaService":"s3.{{{Region}}}.amazonaws.com","kms:CallerAccount":"{{{Account}}}"}}"""));
        var findings = RuleHarness.Run(Create(policy), Decrypt("ev-use", 10, User("bob")));
        var f = findings.Single(Rule);
        Assert.Equal(Severity.Medium, f.Severity);
        Assert.Equal(P.RootSid, f.Authorization.StatementSid);
    }

    [Fact]
    public void Silent_for_a_failed_call()
    {
        var findings = RuleHarness.Run(Create(), Decrypt("ev-use", 10, User("bob")).Failed("AccessDeniedException"));
        findings.None(Rule);
    }

    [Fact]
    public void Silent_when_the_caller_holds_an_active_grant_for_the_operation()
    {
        var findings = RuleHarness.Run(Create(),
            CreateGrant("ev-grant", 5, Role("KeyAdmin"), "grant-bob", UserArn("bob"), ["Decrypt"], retiring: RoleArn("KeyAdmin")),
            Decrypt("ev-use", 10, User("bob")));
        findings.None(Rule);
    }

    [Fact]
    public void A_grant_for_another_operation_does_not_explain_the_call()
    {
        var findings = RuleHarness.Run(Create(),
            CreateGrant("ev-grant", 5, Role("KeyAdmin"), "grant-bob", UserArn("bob"), ["Encrypt"], retiring: RoleArn("KeyAdmin")),
            Decrypt("ev-use", 10, User("bob")));
        Assert.Equal(Severity.Medium, findings.Single(Rule).Severity);
    }

    [Fact]
    public void Silent_on_CreateKey_itself()
    {
        var findings = RuleHarness.Run(CreateKey("ev-create", 0, User("bob"), P.Standard()));
        findings.None(Rule);
    }

    [Fact]
    public void Silent_on_an_aws_managed_key()
    {
        var h = new RuleHarness();
        h.State.Key(KeyArn).AwsManaged = true;
        var findings = h.Process(Create(), Decrypt("ev-use", 10, User("bob")));
        findings.None(Rule);
    }

    [Fact]
    public void Raised_when_the_policy_arrives_in_a_later_batch_than_the_call()
    {
        var h = new RuleHarness();
        h.Process(Decrypt("ev-use", 10, User("bob"))).None(Rule); // policy unknown yet
        var late = h.Process(Create());
        var f = late.Single(Rule);
        Assert.Equal("ev-use", f.EventId);
        Assert.Equal(Severity.Medium, f.Severity);
    }

    [Fact]
    public void Silent_for_a_service_named_by_a_service_principal_statement()
    {
        var policy = P.Doc(P.Root(), P.Allow("Allow CloudTrail to encrypt logs", """{"Service":"cloudtrail.amazonaws.com"}""", """["kms:GenerateDataKey*"]"""));
        var call = Call("ev-use", "GenerateDataKey", 10, Service("cloudtrail.amazonaws.com")) with { SourceIpAddress = "cloudtrail.amazonaws.com" };
        RuleHarness.Run(Create(policy), call).None(Rule);
    }

    [Fact]
    public void High_for_a_service_the_known_policy_does_not_name()
    {
        // A service principal needs the key policy (IAM cannot delegate to it): a success nobody allowed means the known policy is stale.
        var call = Call("ev-use", "GenerateDataKey", 10, Service("cloudtrail.amazonaws.com")) with { SourceIpAddress = "cloudtrail.amazonaws.com" };
        var f = RuleHarness.Run(Create(), call).Single(Rule);
        Assert.Equal(Severity.High, f.Severity);
        Assert.Equal("cloudtrail.amazonaws.com", f.Principal);
    }
}
