using Auditor.Core.Authorization;
using Auditor.Core.Findings;
using Auditor.Core.State;

namespace Auditor.Core.Rules;

/// <summary>
/// <c>access-denied-burst</c>: five or more KMS calls by one principal denied within ten minutes, one finding
/// per burst. A burst stays open while denials keep arriving within the window of the previous one, so a
/// long probing run is one finding, not one per denial.
/// </summary>
public sealed class AccessDeniedBurstRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "access-denied-burst", Severity.Medium,
        "Repeated denials are how stolen credentials probe for keys they can use, and how a broken deployment shows itself; either needs a person to look.",
        "Identify the principal and what it was trying to do (the evidence lists each denied call); if it is not a known misconfiguration, treat its credentials as compromised.");

    public static bool IsAccessDenied(string? errorCode) =>
        errorCode is not null && errorCode.StartsWith("AccessDenied", StringComparison.OrdinalIgnoreCase);

    public void Evaluate(RuleInput input, List<Finding> output)
    {
        var e = input.Event;
        if (!IsAccessDenied(e.ErrorCode)) return;
        var principal = input.Principal;
        if (!input.State.Denials.TryGetValue(principal, out var history))
            input.State.Denials[principal] = history = new DenialHistory();

        var window = input.Options.DeniedBurstWindow;
        history.Recent.RemoveAll(d => e.EventTime - d.EventTime > window);
        history.Recent.Add(e);

        if (history.BurstOpenUntil is { } open && e.EventTime <= open && history.BurstFinding is { } burst)
        {
            // The same burst goes on: re-issue its finding (same id) with this denial as more evidence.
            history.BurstOpenUntil = e.EventTime + window;
            history.BurstEvents.Add(e);
            output.Add(burst with { Explanation = Explain(principal, history.BurstEvents), Evidence = Evidence(history.BurstEvents, burst.EventId) });
            return;
        }
        if (history.Recent.Count < input.Options.DeniedBurstCount) return;

        history.BurstOpenUntil = e.EventTime + window;
        history.BurstEvents.Clear();
        history.BurstEvents.AddRange(history.Recent);
        var finding = input.Finding(Descriptor,
            $"Burst of denied KMS calls by {principal}",
            Explain(principal, history.BurstEvents),
            evidence: Evidence(history.BurstEvents, e.EventId),
            authorization: new AuthorizationResult(e.ErrorCode!.Contains("Explicit", StringComparison.OrdinalIgnoreCase) ? Decision.ExplicitDeny : Decision.ImplicitDeny, input.Judgement.Authorization.Path is AuthorizationPath.Unknown ? AuthorizationPath.None : input.Judgement.Authorization.Path, input.Judgement.Authorization.StatementSid));
        history.BurstFinding = finding;
        output.Add(finding);
    }

    private static List<string> Evidence(List<Trail.KmsEvent> burst, string trigger) => burst.Where(d => d.EventId != trigger).Select(d => d.EventId).ToList();

    private static string Explain(string principal, List<Trail.KmsEvent> burst)
    {
        var operations = string.Join(", ", burst.Select(d => d.EventName).Distinct().Order(StringComparer.Ordinal));
        var keys = burst.Select(d => d.Request.KeyId ?? d.Resources.FirstOrDefault()?.Arn).Where(k => k is not null).Distinct().Count();
        return $"{principal} was denied {burst.Count} KMS calls ({operations}) on {keys} key(s) between {FindingJson.FormatTime(burst[0].EventTime)} and {FindingJson.FormatTime(burst[^1].EventTime)}; the last error was {burst[^1].ErrorCode}.";
    }
}
