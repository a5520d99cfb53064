using System.Text;
using Auditor.Core.Authorization;
using Auditor.Core.Findings;

namespace Auditor.Core.Reporting;

/// <summary>
/// The report as one self-contained HTML page: inline CSS and SVG, no script and no external resource of
/// any kind. A Content-Security-Policy of <c>default-src 'none'</c> makes the browser refuse any fetch or
/// script, so even text that slipped past escaping could not run or phone home. Every value from the
/// input goes through <see cref="ReportText.Html"/>.
/// </summary>
public static class HtmlReportRenderer
{
    private const int MaxIntegrityRows = 500;

    private static readonly Dictionary<Severity, string> SeverityColor = new()
    {
        [Severity.Critical] = "#7b1fa2", [Severity.High] = "#c62828", [Severity.Medium] = "#ef6c00", [Severity.Low] = "#1565c0", [Severity.Info] = "#546e7a",
    };

    public static void Render(ComplianceReport r, Stream output)
    {
        using var w = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        string E(string? s) => ReportText.Html(s);

        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        w.WriteLine("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">");
        w.WriteLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        w.WriteLine("<meta name=\"referrer\" content=\"no-referrer\">");
        w.WriteLine($"<title>KMS key usage and findings — {E(ReportText.Period(r.Period))}</title>");
        w.WriteLine("<style>" + Css + "</style></head><body>");

        // --- For the auditor: what, when, how much, what is wrong, what is missing ---------------------
        w.WriteLine("<header><h1>KMS key usage and findings</h1>");
        w.WriteLine($"<p class=\"period\">Period covered: <strong id=\"period\">{E(ReportText.Period(r.Period))}</strong> (UTC){(r.Period.FromGiven || r.Period.ToGiven ? " — as requested" : " — first to last event seen")}</p>");
        w.WriteLine($"<p class=\"meta\">Generated {E(ReportText.Time(r.GeneratedAt))} by KMS Trail Auditor from <code>{E(r.Sources.FindingsDir)}</code>"
            + (r.Sources.TrailPaths.Count > 0 ? $" and {r.Sources.TrailPaths.Count} trail path(s) ({ReportText.Number(r.Sources.TrailFilesRead)} log files read)" : "")
            + (r.Sources.InventoryPath is { } inv ? $", inventory <code>{E(inv)}</code>" : "") + ".</p></header>");

        w.WriteLine("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
        Card(w, "keys", "Keys", ReportText.Number(r.Totals.Keys));
        Card(w, "principals", "Principals", ReportText.Number(r.Totals.Principals));
        Card(w, "calls", "KMS calls", r.Coverage.UsageAssessed ? ReportText.Number(r.Totals.Calls) : "—",
            r.Coverage.UsageAssessed ? $"{ReportText.Number(r.Totals.FailedCalls)} failed" : "not assessed: no --trail given");
        Card(w, "findings", "Findings", ReportText.Number(r.Totals.Findings));
        w.WriteLine("</div><table class=\"severity\" id=\"findings-by-severity\"><tr>");
        foreach (var s in r.Totals.FindingsBySeverity)
        {
            SeverityNames.TryParse(s.Name, out var sev);
            w.Write($"<td class=\"sev {(s.Count > 0 ? "nonzero" : "zero")}\" style=\"--c:{SeverityColor[sev]}\"><span class=\"n\">{ReportText.Number(s.Count)}</span> {E(s.Name)}</td>");
        }
        w.WriteLine("</tr></table></section>");

        Coverage(w, r);
        Integrity(w, r);

        // --- Charts -----------------------------------------------------------------------------------------
        var days = r.Period.Days().Take(3660).ToList();
        var keyed = r.Keys.Where(k => k.Calls > 0).ToList();
        var series = keyed.Take(7).Select(k => new SvgCharts.Series(k.Label, k.CallsPerDay)).ToList();
        if (keyed.Count > 7)
            series.Add(new SvgCharts.Series($"{keyed.Count - 7} other keys", [.. keyed.Skip(7).SelectMany(k => k.CallsPerDay).GroupBy(d => d.Day).Select(g => new DayCount(g.Key, g.Sum(d => d.Count)))]));
        w.WriteLine("<section id=\"charts\"><h2>Activity</h2>");
        w.WriteLine("<h3>Calls per day per key</h3>");
        w.WriteLine(r.Coverage.UsageAssessed ? SvgCharts.CallsPerDay("chart-calls-per-day", series, days) : "<p class=\"muted\">Not assessed: give the trail with <code>--trail</code> to count calls.</p>");
        w.WriteLine("<h3>Findings per rule</h3>");
        var ruleColor = r.FindingsByRule.ToDictionary(x => x.Name, x => SeverityColor[r.Findings.Where(f => f.Rule == x.Name).Max(f => f.Severity)], StringComparer.Ordinal);
        w.WriteLine(SvgCharts.FindingsPerRule("chart-findings-per-rule", r.FindingsByRule, ruleColor));
        w.WriteLine("</section>");

        // --- All findings, most severe first --------------------------------------------------------------
        w.WriteLine("<section id=\"findings\"><h2>Findings</h2>");
        FindingsTable(w, r.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f, Comparer<Finding>.Create(Finding.Compare)).ToList(), showKey: true);
        w.WriteLine("</section>");

        // --- Per key -------------------------------------------------------------------------------------
        w.WriteLine("<section id=\"keys\"><h2>Keys</h2>");
        if (r.Keys.Count > 1)
        {
            w.WriteLine("<nav><ul class=\"toc\">");
            for (int i = 0; i < r.Keys.Count; i++)
                w.WriteLine($"<li><a href=\"#key-{i + 1}\">{E(r.Keys[i].Label)}</a> <span class=\"muted\">{ReportText.Number(r.Keys[i].Calls)} calls, {r.Keys[i].Findings.Count} findings</span></li>");
            w.WriteLine("</ul></nav>");
        }
        for (int i = 0; i < r.Keys.Count; i++) Key(w, r.Keys[i], i + 1, days, r.Coverage.UsageAssessed);
        w.WriteLine("</section>");

        w.WriteLine("<footer><p>Authorization paths follow the contract's vocabulary: <code>key-policy</code> (a statement naming the caller), "
            + "<code>grant</code>, <code>iam-delegation</code> (only the account-root statement applies, so the caller's IAM policies decide), "
            + "<code>none</code>, <code>unknown</code> (the key policy was unknown, or the outcome depends on what CloudTrail does not record). "
            + "Every call is judged against the policy and grants in force at its eventTime.</p></footer>");
        w.WriteLine("</body></html>");
    }

    private static void Card(StreamWriter w, string id, string label, string value, string? sub = null) =>
        w.WriteLine($"<div class=\"card\" id=\"total-{id}\"><div class=\"v\">{value}</div><div class=\"l\">{ReportText.Html(label)}</div>{(sub is null ? "" : $"<div class=\"s\">{ReportText.Html(sub)}</div>")}</div>");

    private static void Coverage(StreamWriter w, ComplianceReport r)
    {
        var c = r.Coverage;
        w.WriteLine($"<section id=\"coverage\" class=\"{(c.IsEmpty && c.UsageAssessed ? "ok" : "warn")}\"><h2>Coverage gaps</h2>");
        w.WriteLine("<p class=\"muted\">What this report cannot vouch for. Read this before relying on the absence of findings.</p><ul>");
        if (!c.UsageAssessed) w.WriteLine("<li>Usage not assessed: no <code>--trail</code> was given, so calls, principals and the authorization matrix come only from findings.</li>");
        if (c.KeysWithUnknownPolicy.Count == 0) w.WriteLine("<li id=\"gap-policy\">Keys whose policy is unknown: none" + (c.UsageAssessed ? "" : " (not assessed)") + ".</li>");
        else
        {
            w.WriteLine($"<li id=\"gap-policy\"><strong>{c.KeysWithUnknownPolicy.Count} key(s) called while their policy was unknown</strong> — those calls could not be judged (give <code>--inventory</code>):<ul>");
            foreach (var k in c.KeysWithUnknownPolicy) w.WriteLine($"<li><code>{ReportText.Html(k.Name)}</code>: {ReportText.Number(k.Count)} calls</li>");
            w.WriteLine("</ul></li>");
        }
        if (c.DaysWithoutLogFiles is null) w.WriteLine("<li id=\"gap-days\">Days without log files: not assessed (needs <code>--trail</code> and a known period).</li>");
        else if (c.DaysWithoutLogFiles.Count == 0) w.WriteLine("<li id=\"gap-days\">Days without log files: none.</li>");
        else w.WriteLine($"<li id=\"gap-days\"><strong>{c.DaysWithoutLogFiles.Count} day(s) without any log file</strong>: {ReportText.Html(string.Join(", ", ReportText.DayRanges(c.DaysWithoutLogFiles)))}.</li>");
        if (c.FailedFiles.Count == 0) w.WriteLine("<li id=\"gap-files\">Files that failed: none.</li>");
        else
        {
            w.WriteLine($"<li id=\"gap-files\"><strong>{c.FailedFiles.Count} input(s) could not be read</strong> (their events are missing):<table class=\"small\"><tr><th>File</th><th>Error</th></tr>");
            foreach (var f in c.FailedFiles.Take(200)) w.WriteLine($"<tr><td><code>{ReportText.Html(f.File)}</code></td><td>{ReportText.Html(f.Error)}</td></tr>");
            if (c.FailedFiles.Count > 200) w.WriteLine($"<tr><td colspan=\"2\">… and {c.FailedFiles.Count - 200} more (see the JSON report).</td></tr>");
            w.WriteLine("</table></li>");
        }
        w.WriteLine("</ul></section>");
    }

    private static void Integrity(StreamWriter w, ComplianceReport r)
    {
        w.WriteLine("<section id=\"integrity\"><h2>Log-file integrity</h2>");
        if (r.Integrity is not { } i)
        {
            w.WriteLine("<p class=\"muted\">Not checked: no <code>--trail</code> was given.</p></section>");
            return;
        }
        string cls = i.Mismatched > 0 ? "bad" : i.DigestFiles == 0 ? "warn" : "ok";
        w.WriteLine($"<p class=\"{cls}\">{i.DigestFiles} digest file(s) read. Log files: <strong id=\"integrity-matched\">{i.Matched} matched</strong>, "
            + $"<strong id=\"integrity-mismatched\">{i.Mismatched} mismatched</strong>, <strong id=\"integrity-not-covered\">{i.NotCovered} not covered</strong> by any digest.</p>");
        if (i.DigestFiles == 0) w.WriteLine("<p>No CloudTrail digest files were among the trail paths, so no log file could be checked. Include the <code>CloudTrail-Digest/</code> folders to check them.</p>");
        w.WriteLine($"<p class=\"muted\">{ReportText.Html(LogFileIntegrityReport.SignatureNote)}</p>");
        var mismatched = i.Files.Where(f => f.Status == IntegrityStatus.Mismatched).ToList();
        if (mismatched.Count > 0)
        {
            w.WriteLine("<table class=\"small\" id=\"integrity-mismatched-files\"><tr><th>Changed after delivery</th><th>SHA-256 of content</th><th>Digest lists</th><th>Digest</th></tr>");
            foreach (var f in mismatched.Take(MaxIntegrityRows))
                w.WriteLine($"<tr class=\"mismatched\"><td><code>{ReportText.Html(f.File)}</code></td><td><code>{f.ActualSha256}</code></td><td><code>{ReportText.Html(f.ExpectedSha256)}</code></td><td><code>{ReportText.Html(f.DigestFile)}</code></td></tr>");
            w.WriteLine("</table>");
        }
        var rows = i.Files.OrderBy(f => f.Status == IntegrityStatus.Mismatched ? 0 : f.Status == IntegrityStatus.NotCovered ? 1 : 2).ThenBy(f => f.File, StringComparer.Ordinal).Take(MaxIntegrityRows).ToList();
        if (rows.Count > 0)
        {
            w.WriteLine($"<details><summary>All {i.Files.Count} log files</summary><table class=\"small\" id=\"integrity-files\"><tr><th>Status</th><th>File</th><th>SHA-256 of content</th><th>Digest lists</th></tr>");
            foreach (var f in rows)
                w.WriteLine($"<tr class=\"{JsonReportRenderer.StatusName(f.Status)}\"><td>{JsonReportRenderer.StatusName(f.Status)}</td><td><code>{ReportText.Html(f.File)}</code></td><td><code>{f.ActualSha256}</code></td><td><code>{ReportText.Html(f.ExpectedSha256)}</code></td></tr>");
            if (i.Files.Count > MaxIntegrityRows) w.WriteLine($"<tr><td colspan=\"4\">… {i.Files.Count - MaxIntegrityRows} more in the JSON report.</td></tr>");
            w.WriteLine("</table></details>");
        }
        if (i.ListedNotRead.Count > 0)
            w.WriteLine($"<p>{i.ListedNotRead.Count} log file(s) listed in the digests were not among the files read (deleted, or not copied): "
                + string.Join(", ", i.ListedNotRead.Take(20).Select(x => $"<code>{ReportText.Html(x)}</code>")) + (i.ListedNotRead.Count > 20 ? ", …" : "") + "</p>");
        foreach (var e in i.DigestErrors) w.WriteLine($"<p class=\"bad\">Digest <code>{ReportText.Html(e.File)}</code> could not be read: {ReportText.Html(e.Error)}</p>");
        w.WriteLine("</section>");
    }

    private static void Key(StreamWriter w, KeyReport k, int n, List<DateOnly> days, bool usageAssessed)
    {
        string E(string? s) => ReportText.Html(s);
        w.WriteLine($"<section class=\"key\" id=\"key-{n}\"><h3>{E(k.Label)}</h3>");
        w.WriteLine("<dl class=\"facts\">");
        if (k.KeyArn is not null) w.WriteLine($"<dt>Key ARN</dt><dd><code>{E(k.KeyArn)}</code></dd>");
        if (k.KeyArn is not null) w.WriteLine($"<dt>Aliases</dt><dd>{(k.Aliases.Count == 0 ? "<span class=\"muted\">none seen</span>" : string.Join(", ", k.Aliases.Select(a => $"<code>{E(a)}</code>")))}</dd>");
        if (k.KeyArn is not null) w.WriteLine($"<dt>State at end of period</dt><dd>{E(k.Status)}</dd>");
        w.WriteLine($"<dt>Calls</dt><dd>{ReportText.Number(k.Calls)}{(k.CallsWithUnknownPolicy > 0 ? $" <span class=\"warn-text\">({ReportText.Number(k.CallsWithUnknownPolicy)} while the policy was unknown)</span>" : "")}</dd>");
        w.WriteLine("</dl>");

        if (k.KeyArn is not null) Policy(w, k);
        if (k.Grants.Count > 0 || k.KeyArn is not null) Grants(w, k);

        if (usageAssessed && k.Calls > 0)
        {
            w.WriteLine("<h4>Calls per day</h4>");
            w.WriteLine(SvgCharts.CallsPerDay($"chart-calls-key-{n}", [new SvgCharts.Series(k.Label, k.CallsPerDay)], days, height: 160, legend: false));
        }
        Matrix(w, k, n, usageAssessed);

        w.WriteLine($"<h4>Findings on this key ({k.Findings.Count})</h4>");
        FindingsTable(w, k.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f, Comparer<Finding>.Create(Finding.Compare)).ToList(), showKey: false);
        w.WriteLine("</section>");
    }

    private static void Policy(StreamWriter w, KeyReport k)
    {
        w.WriteLine("<h4>Key policy</h4>");
        if (k.Policy is not { } p)
        {
            w.WriteLine("<p class=\"warn-text\">Unknown: the trail holds no CreateKey or PutKeyPolicy for this key and no inventory was given. Calls on it were not judged.</p>");
            return;
        }
        w.WriteLine($"<p class=\"muted\">In force at the end of the period: {ReportText.Html(p.Source)}; {p.StatementCount} statement(s).</p>");
        if (p.ParseError is not null) { w.WriteLine($"<p class=\"bad\">The policy could not be read: {ReportText.Html(p.ParseError)}</p>"); return; }
        w.WriteLine("<table class=\"policy\">");
        PolicyRow(w, "Administrators", "allowed key-management actions", p.Administrators);
        PolicyRow(w, "Users", "allowed cryptographic operations", p.Users);
        PolicyRow(w, "Grant creators", "allowed kms:CreateGrant", p.GrantCreators);
        w.WriteLine($"<tr><th>Delegation to IAM</th><td>{(p.IamDelegation.Count == 0 ? "<span class=\"muted\">no — only the principals named here can use the key</span>" : "yes, by " + string.Join(", ", p.IamDelegation.Select(s => $"<q>{ReportText.Html(s)}</q>")) + " — any principal of the account whose IAM policies allow it")}</td></tr>");
        PolicyRow(w, "External accounts", "principals of other accounts", p.ExternalAccounts, bad: true);
        PolicyRow(w, "Public statements", "Allow for every principal", p.PublicStatements, bad: true);
        PolicyRow(w, "Deny statements", "override every allow", p.Denies);
        w.WriteLine("</table>");
        if (k.PolicyChanges.Count > 0)
        {
            w.WriteLine("<p>Policy changes in the period:</p><ul>");
            foreach (var c in k.PolicyChanges) w.WriteLine($"<li>{ReportText.Html(ReportText.Time(c.At))}: {ReportText.Html(c.Source)}</li>");
            w.WriteLine("</ul>");
        }
    }

    private static void PolicyRow(StreamWriter w, string title, string hint, IReadOnlyList<PolicyGrantee> list, bool bad = false)
    {
        w.Write($"<tr><th>{title}<div class=\"hint\">{hint}</div></th><td>");
        if (list.Count == 0) w.Write("<span class=\"muted\">none</span>");
        else
        {
            w.Write(bad ? "<ul class=\"bad-list\">" : "<ul>");
            foreach (var g in list)
                w.Write($"<li><code>{ReportText.Html(g.Principal)}</code> <span class=\"muted\">by <q>{ReportText.Html(g.Statement)}</q>: {ReportText.Html(string.Join(", ", g.Actions))}</span>"
                    + (g.Conditions.Count > 0 ? $" <span class=\"cond\">if {ReportText.Html(g.ConditionText)}</span>" : bad ? " <strong>no conditions</strong>" : "") + "</li>");
            w.Write("</ul>");
        }
        w.WriteLine("</td></tr>");
    }

    private static void Grants(StreamWriter w, KeyReport k)
    {
        var active = k.Grants.Count(g => g.Status == "active");
        w.WriteLine($"<h4>Grants ({active} active, {k.Grants.Count - active} retired or revoked)</h4>");
        if (k.Grants.Count == 0) { w.WriteLine("<p class=\"muted\">No grants seen.</p>"); return; }
        w.WriteLine("<table class=\"grants small\"><tr><th>Status</th><th>Grant</th><th>Grantee</th><th>Operations</th><th>Constraints</th><th>Retiring principal</th><th>Created</th><th>Ended</th><th>Lifetime</th></tr>");
        foreach (var g in k.Grants)
            w.WriteLine($"<tr class=\"{g.Status}\"><td>{g.Status}</td><td><code title=\"{ReportText.Html(g.GrantId)}\">{ReportText.Html(Short(g.GrantId))}</code>{(g.Name is null ? "" : $"<div class=\"muted\">{ReportText.Html(g.Name)}</div>")}</td>"
                + $"<td><code>{ReportText.Html(g.Grantee)}</code></td><td>{ReportText.Html(string.Join(", ", g.Operations))}</td><td>{(g.Constraints is null ? "<span class=\"warn-text\">none</span>" : ReportText.Html(g.Constraints))}</td>"
                + $"<td>{(g.RetiringPrincipal is null ? "<span class=\"muted\">none</span>" : $"<code>{ReportText.Html(g.RetiringPrincipal)}</code>")}</td>"
                + $"<td>{ReportText.Html(ReportText.Time(g.CreatedAt))}<div class=\"muted\">{ReportText.Html(g.CreatedBy)}</div></td>"
                + $"<td>{ReportText.Html(ReportText.Time(g.EndedAt))}<div class=\"muted\">{ReportText.Html(g.EndedBy)}</div></td><td>{ReportText.Duration(g.Lifetime)}{(g.Status == "active" && g.Lifetime is not null ? "+" : "")}</td></tr>");
        w.WriteLine("</table>");
    }

    private static void Matrix(StreamWriter w, KeyReport k, int n, bool usageAssessed)
    {
        w.WriteLine("<h4>Who used the key, how, and what authorized it</h4>");
        if (!usageAssessed) { w.WriteLine("<p class=\"muted\">Not assessed: no <code>--trail</code> given.</p>"); return; }
        if (k.Usage.Count == 0) { w.WriteLine("<p class=\"muted\">No calls in the period.</p>"); return; }
        var ops = k.Usage.Select(c => c.Operation).Distinct().Order(StringComparer.Ordinal).ToList();
        var byPrincipal = k.Usage.GroupBy(c => c.Principal).OrderByDescending(g => g.Sum(c => c.Count)).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        w.WriteLine($"<div class=\"scroll\"><table class=\"matrix\" id=\"matrix-key-{n}\"><thead><tr><th>Principal \\ operation</th>");
        foreach (var op in ops) w.Write($"<th>{ReportText.Html(op)}</th>");
        w.WriteLine("</tr></thead><tbody>");
        foreach (var row in byPrincipal)
        {
            w.Write($"<tr><th><code>{ReportText.Html(row.Key)}</code></th>");
            var cells = row.ToDictionary(c => c.Operation, StringComparer.Ordinal);
            foreach (var op in ops)
            {
                if (!cells.TryGetValue(op, out var c)) { w.Write("<td class=\"empty\"></td>"); continue; }
                string cls = c.Authorizations.Any(a => a.Decision is "ImplicitDeny" or "ExplicitDeny") ? "deny"
                    : c.Authorizations.Any(a => a.Path == "unknown") ? "unknown" : c.Authorizations[0].Path;
                w.Write($"<td class=\"cell {ReportText.Html(cls)}\" data-count=\"{c.Count}\" title=\"first {ReportText.Time(c.FirstSeen)}, last {ReportText.Time(c.LastSeen)}\">"
                    + $"<span class=\"n\">{ReportText.Number(c.Count)}</span>{(c.Failed > 0 ? $" <span class=\"failed\">{ReportText.Number(c.Failed)} failed</span>" : "")}"
                    + $"<span class=\"path\">{ReportText.Html(c.AuthorizationText)}</span></td>");
            }
            w.WriteLine("</tr>");
        }
        w.WriteLine("</tbody></table></div>");
    }

    private static void FindingsTable(StreamWriter w, IReadOnlyList<Finding> findings, bool showKey)
    {
        if (findings.Count == 0) { w.WriteLine("<p class=\"muted\">None.</p>"); return; }
        w.WriteLine("<table class=\"findings small\"><tr><th>Severity</th><th>Rule</th><th>Time</th>" + (showKey ? "<th>Key</th>" : "") + "<th>Principal</th><th>What happened</th><th>Authorization</th></tr>");
        foreach (var f in findings)
        {
            w.WriteLine($"<tr class=\"finding\"><td><span class=\"badge\" style=\"--c:{SeverityColor[f.Severity]}\">{SeverityNames.Of(f.Severity)}</span></td><td><code>{ReportText.Html(f.Rule)}</code></td>"
                + $"<td>{ReportText.Html(ReportText.Time(f.EventTime))}<div class=\"muted\">{ReportText.Html(f.EventName)} {ReportText.Html(f.EventId)}</div></td>"
                + (showKey ? $"<td><code>{ReportText.Html(f.KeyArn is null ? "" : State.Arns.KeyIdOf(f.KeyArn))}</code></td>" : "")
                + $"<td><code>{ReportText.Html(f.Principal)}</code></td><td><strong>{ReportText.Html(f.Title)}</strong><div>{ReportText.Html(f.Explanation)}</div>"
                + (f.Evidence.Count > 0 ? $"<div class=\"muted\">evidence: {ReportText.Html(string.Join(", ", f.Evidence))}</div>" : "") + "</td>"
                + $"<td>{ReportText.Html(AuthorizationNames.Of(f.Authorization.Decision))} / {ReportText.Html(AuthorizationNames.Of(f.Authorization.Path))}"
                + $"<div class=\"muted\">{ReportText.Html(f.Authorization.Describe())}</div></td></tr>");
        }
        w.WriteLine("</table>");
    }

    private static string Short(string id) => id.Length > 16 ? id[..12] + "…" : id;

    private const string Css = """
        :root{--fg:#1d2430;--muted:#5f6b7a;--line:#d9dee5;--bg:#fff;--soft:#f5f7fa;--ok:#2e7d32;--warn:#ef6c00;--bad:#c62828}
        *{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;padding:24px 32px;max-width:1280px}
        h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}h3{font-size:17px;margin:24px 0 6px}h4{font-size:14px;margin:18px 0 6px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
        code{font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
        .muted,.meta{color:var(--muted)}.period{font-size:16px;margin:4px 0}
        .cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:160px;background:var(--soft)}
        .card .v{font-size:28px;font-weight:650}.card .l{color:var(--muted)}.card .s{font-size:12px;color:var(--muted)}
        table{border-collapse:collapse;margin:6px 0 12px;width:100%}th,td{border:1px solid var(--line);padding:5px 8px;vertical-align:top;text-align:left}th{background:var(--soft);font-weight:600}
        table.small{font-size:13px}table.severity{width:auto;margin-top:12px}table.severity td{border:none;padding:4px 14px 4px 0}
        .sev .n{display:inline-block;min-width:2.2em;text-align:center;padding:2px 6px;border-radius:4px;color:#fff;background:var(--c);font-weight:650}.sev.zero .n{background:#cfd6de;color:#fff}
        .badge{display:inline-block;padding:1px 7px;border-radius:4px;color:#fff;background:var(--c);font-size:12px;font-weight:600}
        #coverage{border-left:4px solid var(--warn);padding-left:12px}#coverage.ok{border-left-color:var(--ok)}
        p.ok{color:var(--ok)}p.warn,.warn-text{color:var(--warn)}p.bad,.bad-list{color:var(--bad)}
        tr.mismatched td{background:#fdecea}tr.retired td,tr.revoked td{color:var(--muted)}
        .policy th{width:200px}.hint{font-weight:400;font-size:12px;color:var(--muted)}.cond{font-size:12px;color:#4a148c}
        .scroll{overflow-x:auto}table.matrix td.cell{min-width:110px}table.matrix .n{font-weight:650;font-size:15px}table.matrix .path{display:block;font-size:11px;color:var(--muted)}
        table.matrix td.key-policy{background:#e8f1fb}table.matrix td.grant{background:#e9f6ef}table.matrix td.iam-delegation{background:#fff6e0}table.matrix td.unknown{background:#f1f1f1}table.matrix td.deny{background:#fdecea}
        .failed{color:var(--bad);font-size:12px}section.key{border-top:1px solid var(--line);margin-top:24px}
        dl.facts{display:grid;grid-template-columns:200px 1fr;gap:2px 12px;margin:6px 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
        svg.chart{display:block;margin:6px 0 12px}svg .grid{stroke:#e6e9ee}svg .axis-line{stroke:#9aa5b1}svg text{font:11px system-ui,sans-serif;fill:#4a5563}svg .label{font-size:12px;fill:#1d2430}svg .value{font-size:12px;font-weight:600}svg .empty{font-size:13px}
        ul.toc{columns:2}footer{margin-top:40px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
        @media print{body{padding:0}details{display:block}.scroll{overflow:visible}}
        """;
}
