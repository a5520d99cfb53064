using Auditor.Core.Baselines;
using Auditor.Core.Findings;
using Auditor.Core.Rules;
using Auditor.Core.State;
using Auditor.Core.Trail;

namespace Auditor.Core.Pipeline;

/// <summary>
/// The one pipeline every host runs: events in, findings out. A batch is de-duplicated by eventID and put
/// in one total order (eventTime, eventID); its state changes are applied first, each at its own event
/// time, then every call is judged against the state in force at its time. Calls from earlier batches
/// that a late change affects (a RetireGrant or PutKeyPolicy delivered hours after the calls) are
/// re-judged, so the order in which log files arrive never changes the findings.
/// </summary>
public sealed class AuditEngine(AuditState state, IReadOnlyList<IRule> rules, ICallJudge judge, AuditOptions? options = null, Baseline? baseline = null)
{
    private readonly AuditOptions _options = options ?? AuditOptions.Default;
    private readonly Baseline _baseline = baseline ?? Baseline.Empty;

    public AuditState State => state;

    /// <summary>
    /// The calls from earlier batches that the last <see cref="Process"/> re-judged. A host that keeps
    /// findings across batches replaces those calls' authorization-dependent findings with the new ones,
    /// so a late CreateGrant withdraws an <c>unexpected-principal</c> it now explains.
    /// </summary>
    public IReadOnlySet<string> LastRejudged { get; private set; } = new HashSet<string>();

    /// <summary>Merges a batch's findings into findings kept from earlier batches (see <see cref="LastRejudged"/>).</summary>
    public void MergeInto(Dictionary<string, Finding> kept, IEnumerable<Finding> batch)
    {
        var dependent = rules.Where(r => r.Descriptor.DependsOnAuthorization).Select(r => r.Descriptor.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, f) in kept.ToList())
            if (LastRejudged.Contains(f.EventId) && dependent.Contains(f.Rule)) kept.Remove(id);
        foreach (var f in batch) kept[f.Id] = f;
    }

    /// <summary>Processes one batch; returns its findings (new and re-judged), sorted, without duplicates.</summary>
    public IReadOnlyList<Finding> Process(IEnumerable<KmsEvent> events)
    {
        var batch = new List<KmsEvent>();
        var seen = _options.DeduplicateAcrossBatches ? state.SeenEvents : new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
            if (seen.Add(e.EventId)) batch.Add(e);
        batch.Sort(KmsEvent.CompareByTime);
        var inBatch = new HashSet<string>(batch.Select(e => e.EventId), StringComparer.Ordinal);

        var lateChanges = new List<(KmsEvent Change, KeyState Key)>();
        foreach (var e in batch)
            if (StateChangeApplier.Apply(state, e) is { } key && StateChangeApplier.AffectsAuthorization(e))
                lateChanges.Add((e, key));

        var findings = new Dictionary<string, Finding>(StringComparer.Ordinal);
        foreach (var e in batch) Judge(e, rejudge: false, findings);

        // Calls judged in earlier batches that a change in this batch now explains differently.
        var again = new Dictionary<string, KmsEvent>(StringComparer.Ordinal);
        foreach (var (change, key) in lateChanges)
            foreach (var call in key.RecentCalls)
                if (call.EventTime >= change.EventTime && !inBatch.Contains(call.EventId)) again.TryAdd(call.EventId, call);
        var rejudged = again.Values.ToList();
        rejudged.Sort(KmsEvent.CompareByTime);
        foreach (var e in rejudged) Judge(e, rejudge: true, findings);
        LastRejudged = rejudged.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);

        var result = findings.Values.ToList();
        result.Sort(Finding.Compare);
        return result;
    }

    private void Judge(KmsEvent e, bool rejudge, Dictionary<string, Finding> findings)
    {
        var keyArn = KeyResolver.Resolve(e, state.Aliases);
        var key = Arns.IsKeyArn(keyArn) ? state.Key(keyArn!) : null;
        var input = new RuleInput
        {
            Event = e,
            KeyArn = keyArn,
            Key = key,
            Judgement = judge.Judge(e, keyArn, key),
            State = state,
            Options = _options,
            Baseline = _baseline,
        };
        var output = new List<Finding>();
        foreach (var rule in rules)
            if (!rejudge || rule.Descriptor.DependsOnAuthorization)
                rule.Evaluate(input, output);
        foreach (var f in output) findings[f.Id] = f;

        if (!rejudge && key is not null && e.Succeeded) Remember(key, e);
    }

    /// <summary>Keeps the call for re-judging, within the documented bounds.</summary>
    private void Remember(KeyState key, KmsEvent e)
    {
        if (KmsOperations.Cryptographic.Contains(e.EventName) && (key.LastUse is null || KmsEvent.CompareByTime(e, key.LastUse) > 0))
            key.LastUse = e;
        var calls = key.RecentCalls;
        int at = calls.Count;
        while (at > 0 && KmsEvent.CompareByTime(calls[at - 1], e) > 0) at--;
        calls.Insert(at, e);
        var horizon = Rules.AccessDeniedBurstRule.Horizon(calls[^1].EventTime, _options.RecentCallWindow);
        int drop = 0;
        while (drop < calls.Count && (calls[drop].EventTime < horizon || calls.Count - drop > _options.RecentCallsPerKey)) drop++;
        if (drop > 0) calls.RemoveRange(0, drop);
    }
}
