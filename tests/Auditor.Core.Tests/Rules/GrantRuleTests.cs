using Auditor.Core.Findings;
using Auditor.Core.Trail;
using static Auditor.Core.Tests.Rules.TestTrail;
using P = Auditor.Core.Tests.Rules.TestPolicies;

namespace Auditor.Core.Tests.Rules;

/// <summary>Grant rules: <c>grant-external-principal</c> and the shapes of directly created grants.</summary>
public sealed class GrantRuleTests
{
    private static readonly Dictionary<string, string> Billing = Context(("app", "billing"));

    private static IReadOnlyList<Finding> Run(KmsEvent grant) =>
        RuleHarness.Run(CreateKey("ev-create", 0, Role("KeyAdmin"), P.Standard()), grant);

    private static KmsEvent Grant(string grantee, IReadOnlyList<string> ops, string? retiring = null, Dictionary<string, string>? subset = null, UserIdentity? by = null) =>
        CreateGrant("ev-grant", 5, by ?? Role("KeyAdmin"), "grant-1", grantee, ops, retiring, subset);

    // ---- grant-external-principal --------------------------------------------------------------

    [Fact]
    public void External_grantee_fires()
    {
        var f = Run(Grant($"arn:aws:iam::{OtherAccount}:role/Partner", ["Decrypt"], RoleArn("KeyAdmin"), Billing)).Single("grant-external-principal");
        Assert.Equal(RuleDefaults.SeverityOf("grant-external-principal"), f.Severity);
        Assert.Equal("ev-grant", f.EventId);
        Assert.Equal(KeyArn, f.KeyArn);
        Assert.Equal(RoleArn("KeyAdmin"), f.Principal);
        f.Names("grant-1", KeyArn, $"arn:aws:iam::{OtherAccount}:role/Partner", OtherAccount, "Decrypt");
    }

    [Fact]
    public void External_retiring_principal_fires()
    {
        var f = Run(Grant(UserArn("bob"), ["Decrypt"], $"arn:aws:iam::{OtherAccount}:root", Billing)).Single("grant-external-principal");
        f.Names("retiring principal", OtherAccount);
    }

    [Fact]
    public void External_silent_when_grantee_and_retiring_principal_are_in_the_key_account()
    {
        Run(Grant(UserArn("bob"), ["Decrypt"], RoleArn("KeyAdmin"), Billing)).None("grant-external-principal");
    }

    [Fact]
    public void External_silent_for_a_service_grantee_of_the_key_account()
    {
        // EBS names grantees like ACCOUNT:aws:ec2-infrastructure.
        Run(Grant($"{Account}:aws:ec2-infrastructure:i-0abc", ["Decrypt"], RoleArn("KeyAdmin"), Billing)).None("grant-external-principal");
    }

    [Fact]
    public void External_silent_for_a_failed_CreateGrant()
    {
        Run(Grant($"arn:aws:iam::{OtherAccount}:role/Partner", ["Decrypt"]).Failed("AccessDeniedException")).None("grant-external-principal");
    }

    // ---- grant-allows-create-grant -------------------------------------------------------------

    [Fact]
    public void CreateGrant_in_operations_fires()
    {
        var f = Run(Grant(UserArn("bob"), ["Decrypt", "CreateGrant"], RoleArn("KeyAdmin"), Billing)).Single("grant-allows-create-grant");
        Assert.Equal(Severity.Medium, f.Severity);
        f.Names("grant-1", KeyArn, UserArn("bob"), "CreateGrant");
    }

    [Fact]
    public void CreateGrant_in_operations_silent_when_a_service_created_the_grant()
    {
        Run(Grant(UserArn("bob"), ["Decrypt", "CreateGrant"], RoleArn("KeyAdmin"), Billing, by: Role("AppRole")).Via("ec2.amazonaws.com")).None("grant-allows-create-grant");
    }

    [Fact]
    public void CreateGrant_rule_silent_without_CreateGrant_in_operations()
    {
        Run(Grant(UserArn("bob"), ["Decrypt", "DescribeKey"], RoleArn("KeyAdmin"), Billing)).None("grant-allows-create-grant");
    }

    // ---- grant-without-constraints -------------------------------------------------------------

    [Fact]
    public void Unconstrained_cryptographic_grant_fires()
    {
        var f = Run(Grant(UserArn("bob"), ["Decrypt"], RoleArn("KeyAdmin"))).Single("grant-without-constraints");
        Assert.Equal(Severity.Low, f.Severity);
        f.Names("grant-1", KeyArn, UserArn("bob"), "Decrypt");
    }

    [Fact]
    public void Constrained_grant_is_silent()
    {
        Run(Grant(UserArn("bob"), ["Decrypt"], RoleArn("KeyAdmin"), Billing)).None("grant-without-constraints");
    }

    [Fact]
    public void Unconstrained_grant_for_non_cryptographic_operations_is_silent()
    {
        Run(Grant(UserArn("bob"), ["DescribeKey", "RetireGrant"], RoleArn("KeyAdmin"))).None("grant-without-constraints");
    }

    // ---- grant-without-retiring-principal ------------------------------------------------------

    [Fact]
    public void Grant_without_retiring_principal_fires()
    {
        var f = Run(Grant(UserArn("bob"), ["Decrypt"], null, Billing)).Single("grant-without-retiring-principal");
        Assert.Equal(Severity.Low, f.Severity);
        f.Names("grant-1", KeyArn, UserArn("bob"));
    }

    [Fact]
    public void Grant_with_retiring_principal_is_silent()
    {
        Run(Grant(UserArn("bob"), ["Decrypt"], RoleArn("KeyAdmin"), Billing)).None("grant-without-retiring-principal");
    }

    [Fact]
    public void Service_created_grant_without_retiring_principal_is_silent()
    {
        Run(Grant($"{Account}:aws:ec2-infrastructure:i-0abc", ["Decrypt"], null, null, by: Role("AppRole")).Via("ec2.amazonaws.com")).None("grant-without-retiring-principal");
    }
}

/// <summary><c>grant-outside-aws-resource-condition</c>: grants made by hand by principals the policy lets create grants only for AWS resources.</summary>
public sealed class DirectGrantForAwsResourceRuleTests
{
    private const string Rule = "grant-outside-aws-resource-condition";
    private static readonly Dictionary<string, string> Billing = Context(("app", "billing"));

    private static IReadOnlyList<Finding> Run(KmsEvent grant) =>
        RuleHarness.Run(CreateKey("ev-create", 0, Role("KeyAdmin"), P.Standard()), grant);

    [Fact]
    public void Fires_when_a_key_user_creates_a_grant_directly()
    {
        var f = Run(CreateGrant("ev-grant", 5, Role("AppRole"), "grant-1", UserArn("bob"), ["Decrypt"], RoleArn("AppRole"), Billing)).Single(Rule);
        Assert.Equal("ev-grant", f.EventId);
        Assert.Equal(RoleArn("AppRole"), f.Principal);
        f.Names("grant-1", KeyArn, "kms:GrantIsForAWSResource", TestPolicies.GrantSid);
    }

    [Fact]
    public void Silent_when_an_aws_service_creates_the_grant_on_the_users_behalf()
    {
        Run(CreateGrant("ev-grant", 5, Role("AppRole"), "grant-1", UserArn("bob"), ["Decrypt"], RoleArn("AppRole"), Billing).Via("ec2.amazonaws.com")).None(Rule);
    }

    [Fact]
    public void Silent_when_the_caller_is_a_key_administrator_allowed_to_create_grants()
    {
        Run(CreateGrant("ev-grant", 5, Role("KeyAdmin"), "grant-1", UserArn("bob"), ["Decrypt"], RoleArn("KeyAdmin"), Billing)).None(Rule);
    }
}
