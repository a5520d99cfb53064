using Auditor.Core.Findings;
using Auditor.Core.State;

namespace Auditor.Core.Reporting;

/// <summary>Assembles a <see cref="ComplianceReport"/> from the replay output, the usage and the key state.</summary>
public static class ReportBuilder
{
    /// <summary>Above this many days the "days without log files" list is not computed (a typo in --from, not a real period).</summary>
    private const int MaxDaysAssessed = 3660;

    public static ComplianceReport Build(ReportInputs input)
    {
        var given = new ReportPeriod(input.From, input.To, input.From is not null, input.To is not null);
        var findings = input.Replay.Findings.Where(f => given.Contains(f.EventTime)).ToList();
        findings.Sort(Finding.Compare);
        var usage = input.Usage;

        DateTimeOffset? from = input.From ?? Min(usage?.First, findings.Count > 0 ? findings[0].EventTime : null);
        DateTimeOffset? to = input.To ?? Max(usage?.Last, findings.Count > 0 ? findings.Max(f => f.EventTime) : null);
        var period = given with { From = from, To = to };
        var end = to ?? DateTimeOffset.MaxValue;

        // Keys: every key called, every key a finding names, every key whose state the trail revealed.
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (usage is not null) keys.UnionWith(usage.Keys);
        foreach (var f in findings) keys.Add(f.KeyArn ?? UsageCollector.NoKey);
        if (input.State is { } st)
            foreach (var (arn, k) in st.Keys)
                if (!given.FromGiven && !given.ToGiven || ChangedWithin(k, given)) keys.Add(arn);

        var sections = keys.Select(k => BuildKey(k, input, usage, findings, period, end))
            .OrderBy(k => k.KeyArn is null ? 1 : 0).ThenByDescending(k => k.Calls).ThenByDescending(k => k.Findings.Count)
            .ThenBy(k => k.KeyArn, StringComparer.Ordinal).ToList();

        var principals = new HashSet<string>(usage?.Principals ?? [], StringComparer.Ordinal);
        foreach (var f in findings) if (f.Principal is not null) principals.Add(f.Principal);

        var failed = new List<FileError>();
        failed.AddRange(input.Replay.ReplayErrors);
        failed.AddRange(input.Replay.FindingErrors);
        failed.AddRange(input.TrailErrors);

        IReadOnlyList<DateOnly>? missingDays = null;
        if (input.DaysWithLogFiles is { } days && period.From is { } f0 && period.To is { } t0 && (t0 - f0).TotalDays <= MaxDaysAssessed)
            missingDays = [.. period.Days().Where(d => !days.Contains(d))];

        return new ComplianceReport
        {
            GeneratedAt = input.GeneratedAt,
            Period = period,
            Totals = new ReportTotals
            {
                Keys = sections.Count(k => k.KeyArn is not null),
                Principals = principals.Count,
                Calls = usage?.Calls ?? 0,
                FailedCalls = usage?.FailedCalls ?? 0,
                Findings = findings.Count,
                FindingsBySeverity = [.. Enum.GetValues<Severity>().Reverse().Select(s => new NamedCount(SeverityNames.Of(s), findings.Count(f => f.Severity == s)))],
            },
            Coverage = new CoverageGaps
            {
                KeysWithUnknownPolicy = [.. sections.Where(k => k.KeyArn is not null && k.CallsWithUnknownPolicy > 0)
                    .Select(k => new NamedCount(k.KeyArn!, k.CallsWithUnknownPolicy))],
                DaysWithoutLogFiles = missingDays,
                FailedFiles = failed,
                UsageAssessed = usage is not null,
            },
            Keys = sections,
            Findings = findings,
            FindingsByRule = [.. findings.GroupBy(f => f.Rule).Select(g => new NamedCount(g.Key, g.Count()))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.Ordinal)],
            Integrity = input.Integrity,
            Sources = new ReportSources
            {
                FindingsDir = input.FindingsDir,
                TrailPaths = input.TrailPaths,
                InventoryPath = input.InventoryPath,
                ReplayFilesRead = input.Replay.FilesRead,
                ReplayEventsRead = input.Replay.EventsRead,
                ReplayKmsEvents = input.Replay.KmsEvents,
                TrailFilesRead = input.TrailFilesRead,
            },
        };
    }

    private static KeyReport BuildKey(string key, ReportInputs input, UsageCollector? usage, List<Finding> findings, ReportPeriod period, DateTimeOffset end)
    {
        bool noKey = key == UsageCollector.NoKey;
        var state = noKey ? null : input.State?.FindKey(key);
        var policy = state?.PolicyAt(end);
        return new KeyReport
        {
            KeyArn = noKey ? null : key,
            Aliases = noKey || input.State is null ? [] : [.. input.State.Aliases.NamesFor(key)],
            Status = state is null ? "Unknown" : state.StatusAt(end).ToString(),
            Policy = policy is null ? null : PolicySummarizer.Summarize(policy, state!.AccountId),
            PolicyChanges = state is null ? [] : [.. state.Policies.Where(p => period.Contains(p.EffectiveAt)).Select(p => new PolicyChange(p.EffectiveAt, p.Describe(), p.EventId))],
            Grants = state is null ? [] : [.. state.Grants.Values.Where(g => (g.CreatedAt is null || g.CreatedAt <= end) && !(period.FromGiven && g.EndedAt < period.From))
                .Select(g => Lifetime(g, end, period.To)).OrderBy(g => g.CreatedAt ?? DateTimeOffset.MinValue).ThenBy(g => g.GrantId, StringComparer.Ordinal)],
            Usage = usage?.CellsFor(key) ?? [],
            CallsPerDay = usage?.CallsPerDay(key) ?? [],
            Findings = [.. findings.Where(f => (f.KeyArn ?? UsageCollector.NoKey) == key)],
            Calls = usage?.CallsOn(key) ?? 0,
            CallsWithUnknownPolicy = usage?.CallsWithUnknownPolicy(key) ?? 0,
        };
    }

    /// <summary>A key with no call in a requested period still belongs in it when its policy, state or grants changed then.</summary>
    private static bool ChangedWithin(KeyState k, ReportPeriod p) =>
        k.Policies.Exists(v => p.Contains(v.EffectiveAt)) || k.Statuses.Exists(s => p.Contains(s.At))
        || k.Grants.Values.Any(g => g.CreatedAt is { } c && p.Contains(c) || g.EndedAt is { } e && p.Contains(e));

    private static GrantLifetime Lifetime(GrantRecord g, DateTimeOffset end, DateTimeOffset? periodEnd)
    {
        bool ended = g.EndedAt is { } e && e <= end;
        var c = g.Grant?.Constraints;
        string? constraints = c is null ? null
            : c.EncryptionContextEquals is { } eq ? "EncryptionContextEquals " + Pairs(eq)
            : c.EncryptionContextSubset is { } sub ? "EncryptionContextSubset " + Pairs(sub) : null;
        DateTimeOffset? until = ended ? g.EndedAt : periodEnd;
        return new GrantLifetime
        {
            GrantId = g.GrantId,
            Name = g.Grant?.Name,
            Grantee = g.Grant?.GranteePrincipal,
            RetiringPrincipal = g.Grant?.RetiringPrincipal,
            Operations = g.Grant?.Operations ?? [],
            Constraints = constraints,
            CreatedAt = g.CreatedAt,
            CreatedBy = g.CreatedBy,
            EndedAt = ended ? g.EndedAt : null,
            EndedBy = ended ? g.EndedBy : null,
            Status = !ended ? "active" : g.End == GrantEnd.Revoked ? "revoked" : "retired",
            Lifetime = g.CreatedAt is { } from && until is { } u && u >= from ? u - from : null,
        };
    }

    private static string Pairs(IReadOnlyDictionary<string, string> d) =>
        "{" + string.Join(", ", d.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")) + "}";

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
