using System.Runtime.CompilerServices;
using Auditor.Core.Authorization;
using Auditor.Core.Grants;
using Auditor.Core.Policy;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Core.Pipeline;

/// <summary>
/// Judges one call against the key's policy and grants in force at the call's time: builds the request
/// context from the record, evaluates it (three-valued), and collects the facts the rules read — whether
/// a statement names the caller, which active grant explains the call, which ended grant would have.
/// The caller's IAM identity policies are never visible in a trail, so they are always "unknown":
/// a call allowed only through the account-root statement is <see cref="Decision.DelegatedToIam"/>.
/// </summary>
public sealed class CallJudge : ICallJudge
{
    // Policies are parsed once per version, however many calls they judge.
    private readonly ConditionalWeakTable<PolicyVersion, ParsedPolicy> _parsed = new();

    private sealed record ParsedPolicy(PolicyDocument? Document);

    public Judgement Judge(KmsEvent call, string? keyArn, KeyState? key)
    {
        if (key is null || keyArn is null) return Judgement.Unknown;
        var context = RequestContextBuilder.Build(call, keyArn);
        // CreateKey is authorized by the caller's IAM policies alone: no key policy exists before it succeeds.
        if (call.EventName == "CreateKey")
            return Judgement.Unknown with { Authorization = new AuthorizationResult(Decision.DelegatedToIam, AuthorizationPath.IamDelegation), Context = context };
        var version = PolicyInForceFor(key, call);
        var policy = version is null ? null : _parsed.GetValue(version, v => new ParsedPolicy(PolicyInspectorParse(v.PolicyJson))).Document;
        if (version is not null && policy is null)
            return Judgement.Unknown with { Context = context }; // a policy the auditor cannot parse is treated as unknown

        // One pass over the key's grants, unsorted. Ended grants stay on the key, so sorting all of them per call (as
        // an OrderBy did) made replay quadratic in the trail's length. What the evaluator reads of the active grants is
        // the same without it: for every action but RetireGrant only the first grant, in grant-id order, that surely
        // allows the call — else the first that might (GrantMatcher.FindMatching) — so that one grant is found here
        // (the pure grant match is skipped for grants that could not come first) and handed over alone. RetireGrant
        // reads every active grant (which one is retired, who may retire it): it gets them all, in grant-id order.
        bool retire = context.Action.Equals("kms:RetireGrant", StringComparison.OrdinalIgnoreCase);
        var activeForRetire = retire ? new List<GrantRecord>() : null;
        GrantRecord? firstAllowing = null, firstMaybe = null;
        bool holdsGrantForOperation = false;
        string operation = GrantMatcher.OperationOf(context.Action);
        GrantRecord? ended = null;
        var callerTokens = GranteeTokens.Of(context.Caller);
        foreach (var record in key.Grants.Values)
        {
            if (record.Grant is not { } grant) continue;
            // Grants naming someone else cannot match (pre-filter; RetireGrant also needs grants it is the retiring principal of).
            if (!retire && callerTokens is not null && record.GranteeToken is { } token && !callerTokens.Contains(token))
                continue;
            // A RetireGrant or RevokeGrant is judged against the grant it ends, which was active up to that call.
            if (record.IsActiveAt(call.EventTime) || record.EndedEventId == call.EventId)
            {
                if (!holdsGrantForOperation && GrantMatcher.HasOperation(grant, operation) && GrantMatcher.PrincipalMatches(grant.GranteePrincipal, context.Caller) == Tri.True)
                    holdsGrantForOperation = true;
                if (activeForRetire is not null) { activeForRetire.Add(record); continue; }
                if (firstAllowing is not null && string.CompareOrdinal(record.GrantId, firstAllowing.GrantId) >= 0) continue;
                var allows = GrantMatcher.Allows(grant, operation, context);
                if (allows == Tri.True) firstAllowing = record;
                else if (allows == Tri.Unknown && (firstMaybe is null || string.CompareOrdinal(record.GrantId, firstMaybe.GrantId) < 0)) firstMaybe = record;
            }
            // The ended grant that would have allowed the call: the earliest ended, ties to the lowest grant id.
            // The grant match is tried only for a grant that would win, so most ended grants cost two comparisons.
            else if (record.EndedBefore(call.EventTime) && (record.CreatedAt is null || record.CreatedAt <= call.EventTime)
                && (ended is null || record.EndedAt < ended.EndedAt || (record.EndedAt == ended.EndedAt && string.CompareOrdinal(record.GrantId, ended.GrantId) < 0))
                && GrantMatcher.Allows(grant, operation, context) == Tri.True)
            {
                ended = record;
            }
        }
        List<Grant> active;
        if (activeForRetire is not null)
        {
            activeForRetire.Sort(static (a, b) => string.CompareOrdinal(a.GrantId, b.GrantId));
            active = new List<Grant>(activeForRetire.Count);
            foreach (var record in activeForRetire) active.Add(record.Grant!);
        }
        else active = firstAllowing is not null ? [firstAllowing.Grant!] : firstMaybe is not null ? [firstMaybe.Grant!] : [];

        var result = AuthorizationEvaluator.Evaluate(policy, active, identityPolicies: null, context);
        GrantRecord? explaining = result.Path == AuthorizationPath.Grant && result.GrantId is { } gid && key.Grants.TryGetValue(gid, out var g) ? g : null;
        bool names = false, allowsForAction = false;
        if (policy is not null)
        {
            // Only the key owner's own root statement is "mere delegation": a statement naming another
            // account is a deliberate cross-account share, so principals of that account are expected.
            string? callerAccount = PrincipalArns.AccountOf(context.Caller);
            bool external = callerAccount is not null && key.AccountId is not null && callerAccount != key.AccountId;
            var kp = KeyPolicyEvaluator.Evaluate(policy, context);
            names = KeyPolicyEvaluator.FindStatementNamingCaller(policy, context.Caller) is not null
                || (external && NamesAccount(policy, callerAccount!));
            allowsForAction = kp.DirectAllow != Tri.False || (external && kp.AccountAllow != Tri.False);
        }
        return new Judgement
        {
            Authorization = result,
            Policy = version,
            PolicyNamesCaller = names,
            PolicyAllowsCallerForAction = allowsForAction,
            HoldsActiveGrantForOperation = holdsGrantForOperation,
            ActiveGrant = explaining,
            EndedGrant = ended,
            Context = context,
        };
    }

    /// <summary>
    /// The policy a call is judged against: the one in force at its time — except that a PutKeyPolicy (or
    /// CreateKey) is authorized by the policy it replaces, not by the one it sets.
    /// </summary>
    private static PolicyVersion? PolicyInForceFor(KeyState key, KmsEvent call)
    {
        var version = key.PolicyAt(call.EventTime);
        if (version is null || version.EventId != call.EventId) return version;
        int i = key.Policies.IndexOf(version);
        return i > 0 ? key.Policies[i - 1] : null;
    }

    private static bool NamesAccount(PolicyDocument policy, string account) =>
        policy.Statements.Any(s => s.Effect == PolicyEffect.Allow && s.Principal is not null
            && s.Principal.Aws.Any(p => p.Kind == PrincipalRef.RefKind.Account && p.AccountId == account));

    private static PolicyDocument? PolicyInspectorParse(string json) => Rules.Policy.PolicyInspector.TryParse(json);
}
