using Auditor.Core.Authorization;
using Auditor.Core.Findings;
using Auditor.Core.State;

namespace Auditor.Core.Rules;

/// <summary>
/// <c>unexpected-principal</c> (CONTRACT section 6): a successful call by a principal that no key-policy
/// statement names (other than the account-root delegation), that holds no active grant for the
/// operation, and that the baseline does not list. High when the caller is in another account or
/// nothing explains the call; medium when only the root delegation (IAM) explains it. Never raised
/// when the key's policy is unknown or the authorization is undetermined.
/// </summary>
public sealed class UnexpectedPrincipalRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "unexpected-principal", Severity.High,
        "Key policies name the principals a key is meant for; a caller that is allowed only through broad IAM delegation, or by nothing the auditor can see, is the first sign of over-broad IAM permissions, credential misuse, or an incomplete inventory.",
        "If the principal is legitimate, name it in the key policy (or a grant) or list it in the baseline; otherwise remove the IAM permission that lets it use the key and investigate the calls.",
        DependsOnAuthorization: true);

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        var j = input.Judgement;
        // CreateKey is authorized by IAM alone: there is no key policy until it succeeds.
        if (!e.Succeeded || e.EventName == "CreateKey" || !j.PolicyKnown || input.KeyArn is null || input.Key is null || input.Key.AwsManaged) return;
        if (j.PolicyNamesCaller || j.HoldsActiveGrantForOperation || j.ActiveGrant is not null) return;
        // Within the grace after a grant ended, the grant may still be in effect (eventual consistency): not unexpected.
        if (j.EndedGrant is { EndedAt: { } ended } && e.EventTime - ended <= input.Options.GrantGrace) return;
        var decision = j.Authorization.Decision;
        if (decision is Decision.Undetermined or Decision.ExplicitDeny or Decision.Allow) return;
        if (input.Baseline.Expects(input.KeyArn, input.State.Aliases.NamesFor(input.KeyArn), input.Principal, j.Context?.Caller.Arn)) return;

        var callerAccount = e.UserIdentity.AccountId ?? Arns.PrincipalAccount(input.Principal);
        bool external = callerAccount is not null && input.Key.AccountId is not null && callerAccount != input.Key.AccountId;
        bool unexplained = decision == Decision.ImplicitDeny;
        var severity = external || unexplained ? Severity.High : Severity.Medium;
        var how = unexplained
            ? "nothing in the key policy or its active grants allows this call, yet it succeeded — the policy the auditor knows may be stale, or access came from somewhere it cannot see"
            : $"only the account-root statement{(j.Authorization.StatementSid is { } sid ? $" \"{sid}\"" : "")} covers it, so the access came from the caller's IAM policies";
        var where = external ? $" The caller is in account {callerAccount}, not the key's account {input.Key.AccountId}." : "";
        output.Add(input.Finding(Descriptor,
            $"{input.Principal} used key {input.KeyName} without being named in its policy",
            $"{input.Principal} called {e.EventName} on key {input.KeyName}; no key-policy statement names it and it holds no active grant for {e.EventName}: {how}.{where} Policy: {j.Policy!.Describe()}.",
            severity: severity));
    }
}
