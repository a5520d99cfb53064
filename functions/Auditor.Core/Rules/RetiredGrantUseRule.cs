using Auditor.Core.Findings;

namespace Auditor.Core.Rules;

/// <summary>
/// <c>retired-grant-use</c> (CONTRACT section 6): a successful call that matches a grant (grantee, operation,
/// constraints) retired or revoked before it, where no key-policy statement names the caller for that
/// operation and no active grant explains it. Beyond the grace period it is high; within it at most info,
/// since grant changes take effect with eventual consistency. Also raised when the retirement arrives
/// in a later log file than the call (the engine re-judges the call).
/// </summary>
public sealed class RetiredGrantUseRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "retired-grant-use", Severity.High,
        "Retiring or revoking a grant is how access is taken away; a successful use after that means the access was not removed — a stale grant token, a retirement that never took effect, or a trail that does not match reality.",
        "Check with ListGrants that the grant is gone; find what still authorizes the caller (grant tokens, IAM policies) and remove it; review the calls made after the retirement.",
        DependsOnAuthorization: true);

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        var j = input.Judgement;
        if (!e.Succeeded || !j.PolicyKnown || j.EndedGrant is not { EndedAt: { } ended } grant || j.ActiveGrant is not null || j.PolicyAllowsCallerForAction) return;
        var after = e.EventTime - ended;
        bool withinGrace = after <= input.Options.GrantGrace;
        var how = grant.End == State.GrantEnd.Revoked ? "revoked" : "retired";
        var evidence = new List<string>();
        if (grant.EndedEventId is not null) evidence.Add(grant.EndedEventId);
        if (grant.CreatedEventId is not null) evidence.Add(grant.CreatedEventId);
        var explanation = $"{input.Principal} called {e.EventName} on key {input.KeyName} through grant {grant.GrantId}, which {grant.EndedBy ?? "someone"} {how} at {FindingJson.FormatTime(ended)} ({Minutes(after)} before the call, event {grant.EndedEventId}); no key-policy statement names the caller for {e.EventName}.";
        explanation += withinGrace
            ? $" This is within the {Minutes(input.Options.GrantGrace)} grace for grant eventual consistency, so it is informational."
            : " The grant should no longer have allowed this call.";
        output.Add(input.Finding(Descriptor,
            withinGrace ? $"Grant {grant.GrantId} used just after it was {how}" : $"Grant {grant.GrantId} used after it was {how}",
            explanation,
            severity: withinGrace ? Severity.Info : Severity.High,
            evidence: evidence,
            discriminator: grant.GrantId,
            authorization: j.Authorization));
    }

    private static string Minutes(TimeSpan t) => t.TotalMinutes >= 120 ? $"{t.TotalHours:F1} hours" : t.TotalSeconds < 120 ? $"{t.TotalSeconds:F0} seconds" : $"{t.TotalMinutes:F0} minutes";
}
