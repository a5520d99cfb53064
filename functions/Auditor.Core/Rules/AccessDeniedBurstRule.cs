using Auditor.Core.Authorization;
using Auditor.Core.Findings;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Core.Rules;

/// <summary>
/// <c>access-denied-burst</c>: five or more KMS calls by one principal denied within ten minutes, one finding
/// per burst. Bursts are worked out from the principal's denials sorted by time — never from their arrival
/// order — so log files delivered late or out of order give the same burst, on the same triggering call (the
/// denial that reached the threshold), with every other denial of the burst as evidence. A burst goes on
/// while denials keep coming within the window of the previous one, so a long probing run is one finding.
/// </summary>
public sealed class AccessDeniedBurstRule : IRule
{
    /// <summary>Denials kept per principal; a principal denied more often than this is reported long before.</summary>
    private const int MaxDenialsKept = 10_000;

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

        var denials = history.Recent;
        int at = denials.Count;
        while (at > 0 && KmsEvent.CompareByTime(denials[at - 1], e) > 0) at--;
        if (at > 0 && denials[at - 1].EventId == e.EventId) return;
        denials.Insert(at, e);
        var horizon = Horizon(denials[^1].EventTime, input.Options.RecentCallWindow);
        int drop = 0;
        while (drop < denials.Count && (denials[drop].EventTime < horizon || denials.Count - drop > MaxDenialsKept)) drop++;
        if (drop > 0) denials.RemoveRange(0, drop);

        foreach (var burst in Bursts(denials, input.Options))
            if (burst.Contains(e))
                output.Add(FindingFor(input, principal, burst));
    }

    /// <summary>The oldest time still kept: <paramref name="latest"/> less the window, saturating at the earliest representable time.</summary>
    internal static DateTimeOffset Horizon(DateTimeOffset latest, TimeSpan window) =>
        latest.UtcTicks - DateTimeOffset.MinValue.UtcTicks > window.Ticks ? latest - window : DateTimeOffset.MinValue;

    /// <summary>Bursts over time-sorted denials: one starts on the denial that completes the threshold within the window, and lasts while gaps stay within it.</summary>
    private static IEnumerable<List<KmsEvent>> Bursts(List<KmsEvent> denials, AuditOptions options)
    {
        var window = options.DeniedBurstWindow;
        int start = 0;
        for (int i = 0; i < denials.Count; i++)
        {
            while (denials[i].EventTime - denials[start].EventTime > window) start++;
            if (i - start + 1 < options.DeniedBurstCount) continue;
            // Denials [start..i] complete a burst triggered by denial i; extend it while the next denial follows within the window.
            int end = i;
            while (end + 1 < denials.Count && denials[end + 1].EventTime - denials[end].EventTime <= window) end++;
            var burst = denials.GetRange(start, end - start + 1);
            burst.Remove(denials[i]);
            burst.Insert(0, denials[i]); // the trigger first
            yield return burst;
            i = end;
            start = end + 1;
        }
    }

    private Finding FindingFor(RuleInput input, string principal, List<KmsEvent> burst)
    {
        var trigger = burst[0];
        var sorted = burst.OrderBy(d => d, Comparer<KmsEvent>.Create(KmsEvent.CompareByTime)).ToList();
        var keyArn = KeyResolver.Resolve(trigger, input.State.Aliases);
        var operations = string.Join(", ", burst.Select(d => d.EventName).Distinct().Order(StringComparer.Ordinal));
        var keys = burst.Select(d => KeyResolver.Resolve(d, input.State.Aliases) ?? d.Request.KeyId).Where(k => k is not null).Distinct().Count();
        bool explicitDeny = trigger.ErrorMessage?.Contains("explicit deny", StringComparison.OrdinalIgnoreCase) == true;
        return new Finding
        {
            Id = FindingIds.For(Descriptor.Id, trigger.EventId, keyArn),
            Rule = Descriptor.Id,
            Severity = Descriptor.Severity,
            EventId = trigger.EventId,
            EventTime = trigger.EventTime,
            EventName = trigger.EventName,
            AwsRegion = trigger.AwsRegion,
            KeyArn = keyArn ?? trigger.Request.KeyId,
            Principal = principal,
            SessionArn = PrincipalNames.Session(trigger.UserIdentity),
            Authorization = new AuthorizationResult(explicitDeny ? Decision.ExplicitDeny : Decision.ImplicitDeny, AuthorizationPath.None),
            Title = $"Burst of denied KMS calls by {principal}",
            Explanation = $"{principal} was denied {burst.Count} KMS calls ({operations}) on {keys} key(s) between {FindingJson.FormatTime(sorted[0].EventTime)} and {FindingJson.FormatTime(sorted[^1].EventTime)}; the last error was {sorted[^1].ErrorCode}" +
                (explicitDeny ? " (an explicit deny)." : "."),
            Evidence = sorted.Where(d => d.EventId != trigger.EventId).Select(d => d.EventId).ToList(),
        };
    }
}
