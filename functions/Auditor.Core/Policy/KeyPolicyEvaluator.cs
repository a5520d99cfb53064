using Auditor.Core.Authorization;

namespace Auditor.Core.Policy;

/// <summary>
/// Evaluates one policy document against one request (IAM User Guide, "Policy evaluation logic";
/// KMS Developer Guide, "Troubleshooting key access"): every statement is checked, a Deny that applies
/// wins over any Allow, and Allows are split into those naming the caller and those naming only its
/// account (which delegate to IAM). The same code evaluates identity policies, whose statements have
/// no Principal and so apply to the caller directly. Allocation-free apart from policy variables.
/// </summary>
public static class KeyPolicyEvaluator
{
    public static KeyPolicyResult Evaluate(PolicyDocument policy, RequestContext request)
    {
        Tri deny = Tri.False, direct = Tri.False, account = Tri.False;
        PolicyStatement? denyS = null, directS = null, accountS = null;
        var statements = policy.Statements;
        for (int i = 0; i < statements.Count; i++)
        {
            var s = statements[i];
            s.Applies(request, out var d, out var a);
            if (s.Effect == PolicyEffect.Deny)
            {
                var applies = TriLogic.Or(d, a); // a Deny naming the account denies everyone in it
                if (applies > deny) { deny = applies; denyS = s; }
                if (deny == Tri.True) break; // explicit deny decides; nothing after it matters
            }
            else
            {
                if (d > direct) { direct = d; directS = s; }
                if (a > account) { account = a; accountS = s; }
            }
        }
        return new KeyPolicyResult(deny, denyS, direct, directS, account, accountS);
    }

    /// <summary>
    /// The first Allow statement whose Principal names the caller itself (not only its account),
    /// whatever its actions and conditions — what a reviewer means by "the policy names this principal".
    /// </summary>
    public static PolicyStatement? FindStatementNamingCaller(PolicyDocument policy, CallerPrincipal caller)
    {
        foreach (var s in policy.Statements)
        {
            if (s.Effect != PolicyEffect.Allow || s.Principal is null) continue;
            s.Principal.Match(caller, out var direct, out _);
            if (direct == Tri.True && !s.Principal.NamesEveryone) return s;
        }
        return null;
    }
}
