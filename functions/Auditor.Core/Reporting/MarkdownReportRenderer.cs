using System.Text;
using Auditor.Core.Authorization;
using Auditor.Core.Findings;

namespace Auditor.Core.Reporting;

/// <summary>
/// The report as GitHub-flavoured Markdown for pull requests and wikis: the same sections as the HTML page,
/// with tables instead of charts. Every value from the input goes through <see cref="ReportText.Markdown"/>,
/// so a hostile principal name cannot break a table or inject a link or HTML.
/// </summary>
public static class MarkdownReportRenderer
{
    public static void Render(ComplianceReport r, Stream output)
    {
        using var w = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        string M(string? s) => ReportText.Markdown(s);

        w.WriteLine("# KMS key usage and findings");
        w.WriteLine();
        w.WriteLine($"**Period covered:** {M(ReportText.Period(r.Period))} (UTC)  ");
        w.WriteLine($"Generated {M(ReportText.Time(r.GeneratedAt))} from {Code(r.Sources.FindingsDir)}"
            + (r.Sources.TrailPaths.Count > 0 ? $" and {r.Sources.TrailPaths.Count} trail path(s), {ReportText.Number(r.Sources.TrailFilesRead)} log files read" : "") + ".");
        w.WriteLine();
        w.WriteLine("## Summary");
        w.WriteLine();
        w.WriteLine("| Keys | Principals | KMS calls | Failed calls | Findings |");
        w.WriteLine("|---:|---:|---:|---:|---:|");
        w.WriteLine($"| {ReportText.Number(r.Totals.Keys)} | {ReportText.Number(r.Totals.Principals)} | {(r.Coverage.UsageAssessed ? ReportText.Number(r.Totals.Calls) : "not assessed")} | {(r.Coverage.UsageAssessed ? ReportText.Number(r.Totals.FailedCalls) : "")} | {ReportText.Number(r.Totals.Findings)} |");
        w.WriteLine();
        w.WriteLine("| " + string.Join(" | ", r.Totals.FindingsBySeverity.Select(s => s.Name)) + " |");
        w.WriteLine("|" + string.Concat(r.Totals.FindingsBySeverity.Select(_ => "---:|")));
        w.WriteLine("| " + string.Join(" | ", r.Totals.FindingsBySeverity.Select(s => ReportText.Number(s.Count))) + " |");
        w.WriteLine();

        w.WriteLine("## Coverage gaps");
        w.WriteLine();
        var c = r.Coverage;
        if (!c.UsageAssessed) w.WriteLine("- Usage not assessed: no `--trail` was given.");
        w.WriteLine(c.KeysWithUnknownPolicy.Count == 0 ? "- Keys whose policy is unknown: none." : $"- **{c.KeysWithUnknownPolicy.Count} key(s) called while their policy was unknown** (calls not judged):");
        foreach (var k in c.KeysWithUnknownPolicy) w.WriteLine($"  - {Code(k.Name)}: {ReportText.Number(k.Count)} calls");
        w.WriteLine(c.DaysWithoutLogFiles is null ? "- Days without log files: not assessed."
            : c.DaysWithoutLogFiles.Count == 0 ? "- Days without log files: none."
            : $"- **{c.DaysWithoutLogFiles.Count} day(s) without any log file:** {M(string.Join(", ", ReportText.DayRanges(c.DaysWithoutLogFiles)))}");
        w.WriteLine(c.FailedFiles.Count == 0 ? "- Files that failed: none." : $"- **{c.FailedFiles.Count} input(s) could not be read:**");
        foreach (var f in c.FailedFiles.Take(100)) w.WriteLine($"  - {Code(f.File)}: {M(f.Error)}");
        if (c.FailedFiles.Count > 100) w.WriteLine($"  - … and {c.FailedFiles.Count - 100} more");
        w.WriteLine();

        w.WriteLine("## Log-file integrity");
        w.WriteLine();
        if (r.Integrity is not { } i) w.WriteLine("Not checked: no `--trail` was given.");
        else
        {
            w.WriteLine($"{i.DigestFiles} digest file(s) read. Log files: **{i.Matched} matched**, **{i.Mismatched} mismatched**, **{i.NotCovered} not covered** by any digest.");
            foreach (var f in i.Files.Where(f => f.Status == IntegrityStatus.Mismatched))
                w.WriteLine($"- MISMATCH {Code(f.File)}: content SHA-256 `{f.ActualSha256}`, digest lists {Code(f.ExpectedSha256)}");
            if (i.ListedNotRead.Count > 0) w.WriteLine($"- {i.ListedNotRead.Count} log file(s) listed in the digests were not among the files read.");
            foreach (var e in i.DigestErrors) w.WriteLine($"- digest {Code(e.File)} could not be read: {M(e.Error)}");
            w.WriteLine();
            w.WriteLine($"_{M(LogFileIntegrityReport.SignatureNote)}_");
        }
        w.WriteLine();

        w.WriteLine("## Findings per rule");
        w.WriteLine();
        if (r.FindingsByRule.Count == 0) w.WriteLine("None.");
        else
        {
            w.WriteLine("| Rule | Findings |");
            w.WriteLine("|---|---:|");
            foreach (var x in r.FindingsByRule) w.WriteLine($"| {Code(x.Name)} | {ReportText.Number(x.Count)} |");
        }
        w.WriteLine();

        w.WriteLine("## Findings");
        w.WriteLine();
        Findings(w, r.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f, Comparer<Finding>.Create(Finding.Compare)).ToList(), showKey: true);

        w.WriteLine("## Keys");
        foreach (var k in r.Keys)
        {
            w.WriteLine();
            w.WriteLine($"### {M(k.Label)}");
            w.WriteLine();
            if (k.KeyArn is not null)
            {
                w.WriteLine($"- Key ARN: {Code(k.KeyArn)}");
                w.WriteLine($"- Aliases: {(k.Aliases.Count == 0 ? "none seen" : string.Join(", ", k.Aliases.Select(a => $"{Code(a)}")))}");
                w.WriteLine($"- State at end of period: {M(k.Status)}");
            }
            w.WriteLine($"- Calls: {ReportText.Number(k.Calls)}" + (k.CallsWithUnknownPolicy > 0 ? $" ({ReportText.Number(k.CallsWithUnknownPolicy)} while the policy was unknown)" : ""));
            w.WriteLine();
            if (k.KeyArn is not null) Policy(w, k);
            if (k.Grants.Count > 0)
            {
                w.WriteLine("#### Grants");
                w.WriteLine();
                w.WriteLine("| Status | Grant | Grantee | Operations | Constraints | Retiring principal | Created | Ended | Lifetime |");
                w.WriteLine("|---|---|---|---|---|---|---|---|---|");
                foreach (var g in k.Grants)
                    w.WriteLine($"| {g.Status} | {Code(g.GrantId)} | {Code(g.Grantee)} | {M(string.Join(", ", g.Operations))} | {M(g.Constraints ?? "none")} | {(g.RetiringPrincipal is null ? "none" : $"{Code(g.RetiringPrincipal)}")} | {ReportText.Time(g.CreatedAt)} | {ReportText.Time(g.EndedAt)} | {ReportText.Duration(g.Lifetime)} |");
                w.WriteLine();
            }
            if (k.Usage.Count > 0)
            {
                w.WriteLine("#### Usage (principal × operation)");
                w.WriteLine();
                w.WriteLine("| Principal | Operation | Calls | Failed | First seen | Last seen | Authorization |");
                w.WriteLine("|---|---|---:|---:|---|---|---|");
                foreach (var u in k.Usage)
                    w.WriteLine($"| {Code(u.Principal)} | {M(u.Operation)} | {ReportText.Number(u.Count)} | {ReportText.Number(u.Failed)} | {ReportText.Time(u.FirstSeen)} | {ReportText.Time(u.LastSeen)} | {M(u.AuthorizationText)} |");
                w.WriteLine();
                if (k.CallsPerDay.Count > 0)
                    w.WriteLine("Calls per day: " + string.Join(", ", k.CallsPerDay.Select(d => $"{ReportText.Day(d.Day)}: {ReportText.Number(d.Count)}")));
                w.WriteLine();
            }
            if (k.Findings.Count > 0)
            {
                w.WriteLine($"#### Findings on this key ({k.Findings.Count})");
                w.WriteLine();
                Findings(w, k.Findings, showKey: false);
            }
        }
    }

    private static void Policy(StreamWriter w, KeyReport k)
    {
        w.WriteLine("#### Key policy");
        w.WriteLine();
        if (k.Policy is not { } p) { w.WriteLine("Unknown: no CreateKey or PutKeyPolicy in the trail and no inventory. Calls on this key were not judged."); w.WriteLine(); return; }
        w.WriteLine($"In force at the end of the period: {ReportText.Markdown(p.Source)}; {p.StatementCount} statement(s).");
        w.WriteLine();
        if (p.ParseError is not null) { w.WriteLine($"The policy could not be read: {ReportText.Markdown(p.ParseError)}"); w.WriteLine(); return; }
        w.WriteLine("| | Principals |");
        w.WriteLine("|---|---|");
        w.WriteLine($"| Administrators | {Grantees(p.Administrators)} |");
        w.WriteLine($"| Users | {Grantees(p.Users)} |");
        w.WriteLine($"| Grant creators | {Grantees(p.GrantCreators)} |");
        w.WriteLine($"| Delegation to IAM | {(p.IamDelegation.Count == 0 ? "no" : "yes, by " + string.Join(", ", p.IamDelegation.Select(s => $"\"{ReportText.Markdown(s)}\"")))} |");
        w.WriteLine($"| External accounts | {Grantees(p.ExternalAccounts)} |");
        w.WriteLine($"| Public statements | {Grantees(p.PublicStatements)} |");
        w.WriteLine($"| Deny statements | {Grantees(p.Denies)} |");
        w.WriteLine();
    }

    private static string Grantees(IReadOnlyList<PolicyGrantee> list) => list.Count == 0 ? "none" :
        string.Join("<br>", list.Select(g => $"{Code(g.Principal)} by \"{ReportText.Markdown(g.Statement)}\": {ReportText.Markdown(string.Join(", ", g.Actions))}"
            + (g.Conditions.Count > 0 ? $" if {ReportText.Markdown(g.ConditionText)}" : "")));

    private static void Findings(StreamWriter w, IReadOnlyList<Finding> findings, bool showKey)
    {
        if (findings.Count == 0) { w.WriteLine("None."); w.WriteLine(); return; }
        w.WriteLine("| Severity | Rule | Time | " + (showKey ? "Key | " : "") + "Principal | Finding | Authorization |");
        w.WriteLine("|---|---|---|" + (showKey ? "---|" : "") + "---|---|---|");
        foreach (var f in findings)
            w.WriteLine($"| {SeverityNames.Of(f.Severity)} | {Code(f.Rule)} | {ReportText.Time(f.EventTime)} {ReportText.Markdown(f.EventName)} | "
                + (showKey ? $"{Code(f.KeyArn is null ? "" : State.Arns.KeyIdOf(f.KeyArn))} | " : "")
                + $"{Code(f.Principal)} | **{ReportText.Markdown(f.Title)}** {ReportText.Markdown(f.Explanation)} | {AuthorizationNames.Of(f.Authorization.Decision)} / {AuthorizationNames.Of(f.Authorization.Path)} |");
        w.WriteLine();
    }

    /// <summary>
    /// Identifiers (ARNs, file names) from the input. Not put in code spans: some wiki renderers pass raw HTML
    /// through even there, and a backtick in the value would end the span; escaped text is inert everywhere.
    /// </summary>
    private static string Code(string? s) => ReportText.Markdown(s);
}
