using Auditor.Core.Authorization;
using Auditor.Core.Grants;
using Auditor.Core.Policy;

namespace Auditor.Core.Tests.Policy;

public class GrantMatcherTests
{
    private static Grant G(string? retiring = null, params string[] ops) => new()
    {
        GrantId = "g", KeyId = TestRequests.KeyArn, GranteePrincipal = "arn:aws:iam::111122223333:role/ops/App",
        RetiringPrincipal = retiring, Operations = ops.Length == 0 ? ["Decrypt"] : ops, IssuingAccount = "arn:aws:iam::111122223333:root",
    };

    private static CallerPrincipal Caller(string arn, string? roleArn = null) => TestRequests.For(arn, "kms:RetireGrant", roleArn: roleArn).Caller;

    [Fact]
    public void Retiring_principal_may_retire() =>
        Assert.Equal(Tri.True, GrantMatcher.MayRetire(G("arn:aws:iam::111122223333:user/Ops"), Caller("arn:aws:iam::111122223333:user/Ops"), "111122223333"));

    [Fact]
    public void Grantee_may_retire_only_with_the_RetireGrant_operation()
    {
        var session = Caller("arn:aws:sts::111122223333:assumed-role/App/s", "arn:aws:iam::111122223333:role/ops/App");
        Assert.Equal(Tri.True, GrantMatcher.MayRetire(G(null, "Decrypt", "RetireGrant"), session, "111122223333"));
        // Without it, only the account's IAM policies could still allow it: unknown here.
        Assert.Equal(Tri.Unknown, GrantMatcher.MayRetire(G(null, "Decrypt"), session, "111122223333"));
    }

    [Fact]
    public void Root_user_of_the_issuing_account_may_retire() =>
        Assert.Equal(Tri.True, GrantMatcher.MayRetire(G(), Caller("arn:aws:iam::111122223333:root"), "111122223333"));

    [Fact]
    public void Principal_of_another_account_may_not_retire() =>
        Assert.Equal(Tri.False, GrantMatcher.MayRetire(G(), Caller("arn:aws:iam::444455556666:user/Eve"), "111122223333"));

    [Fact]
    public void Grantee_role_with_a_path_is_undetermined_from_a_session_arn_alone()
    {
        var request = TestRequests.For("arn:aws:sts::111122223333:assumed-role/App/s", "kms:Decrypt");
        var m = GrantMatcher.FindMatching([G()], request);
        Assert.Equal(Tri.Unknown, m.Allows);
        var known = TestRequests.For("arn:aws:sts::111122223333:assumed-role/App/s", "kms:Decrypt", roleArn: "arn:aws:iam::111122223333:role/ops/App");
        Assert.Equal(Tri.True, GrantMatcher.FindMatching([G()], known).Allows);
    }

    [Fact]
    public void Service_created_grantee_matches_the_principal_id()
    {
        var grant = G() with { GranteePrincipal = "111122223333:aws:ec2-infrastructure:i-0abc" };
        var request = new RequestContext
        {
            Action = "kms:Decrypt", Resource = TestRequests.KeyArn,
            Caller = new CallerPrincipal { Arn = "arn:aws:sts::111122223333:assumed-role/aws:ec2-infrastructure/i-0abc", PrincipalId = "111122223333:aws:ec2-infrastructure:i-0abc", AccountId = "111122223333" },
        };
        Assert.Equal(Tri.True, GrantMatcher.FindMatching([grant], request).Allows);
    }

    [Fact]
    public void Constraints_do_not_apply_to_operations_without_an_encryption_context()
    {
        var constraints = new GrantConstraints { EncryptionContextEquals = new Dictionary<string, string> { ["k"] = "v" } };
        var request = TestRequests.For("arn:aws:iam::111122223333:user/A", "kms:DescribeKey");
        Assert.True(GrantMatcher.ConstraintsSatisfied(constraints, "DescribeKey", request));
        Assert.True(GrantMatcher.ConstraintsSatisfied(constraints, "RetireGrant", request));
        Assert.False(GrantMatcher.ConstraintsSatisfied(constraints, "Decrypt", request));
    }
}
