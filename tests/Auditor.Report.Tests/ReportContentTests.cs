using System.Text.Json;

namespace Auditor.Report.Tests;

/// <summary>What each format of <c>auditor report</c> says about the replayed scenario (<see cref="ReportScenario"/>).</summary>
public sealed class ReportContentTests(ReportScenario scenario) : IClassFixture<ReportScenario>
{
    [Fact]
    public void Replay_of_the_scenario_succeeds()
    {
        Assert.True(scenario.Replay.ExitCode == 0, scenario.Replay.Error);
    }

    [Fact]
    public void Json_report_has_the_period_totals_and_coverage_gaps()
    {
        var (run, text) = scenario.Report("report.json", "--from", "2026-10-01", "--to", "2026-10-05");
        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("2026-11-01T00:00:00Z", root.GetProperty("generatedAt").GetString());
        Assert.Equal("2026-10-01T00:00:00Z", root.GetProperty("period").GetProperty("from").GetString());
        Assert.Equal("2026-10-05T23:59:59Z", root.GetProperty("period").GetProperty("to").GetString());

        var totals = root.GetProperty("totals");
        Assert.Equal(13, totals.GetProperty("calls").GetInt64()); // the doc examples are years earlier: outside the period
        Assert.Equal(2, totals.GetProperty("failedCalls").GetInt64());
        Assert.Equal(1, totals.GetProperty("keys").GetInt32());
        Assert.Equal(5, totals.GetProperty("principals").GetInt32()); // admin, app, worker, hostile user, formula user
        Assert.Equal(1, totals.GetProperty("findingsByRule").GetProperty("key-disabled").GetInt64());

        var coverage = root.GetProperty("coverage");
        var missing = coverage.GetProperty("daysWithoutLogFiles").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Equal(["2026-10-03", "2026-10-05"], missing);
        Assert.Empty(coverage.GetProperty("keysWithUnknownPolicy").EnumerateArray()); // the policy came with CreateKey
    }

    [Fact]
    public void Json_report_describes_the_key_policy_grants_and_usage_matrix()
    {
        var (_, text) = scenario.Report("key.json", "--from", "2026-10-01", "--to", "2026-10-05");
        using var doc = JsonDocument.Parse(text);
        var key = doc.RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("keyArn").GetString() == ReportScenario.KeyArn);
        Assert.Equal(["alias/payments"], key.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("Disabled", key.GetProperty("status").GetString());

        var policy = key.GetProperty("policy");
        Assert.Contains(policy.GetProperty("administrators").EnumerateArray(), a => a.GetProperty("principal").GetString() == ReportScenario.AdminRole);
        Assert.DoesNotContain(policy.GetProperty("administrators").EnumerateArray(), a => a.GetProperty("principal").GetString() == ReportScenario.AppRole);
        Assert.Contains(policy.GetProperty("users").EnumerateArray(), a => a.GetProperty("principal").GetString() == ReportScenario.AppRole);
        Assert.Equal(["Enable IAM User Permissions"], policy.GetProperty("iamDelegation").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("arn:aws:iam::444455556666:role/partner-reader", policy.GetProperty("externalAccounts").EnumerateArray().Single().GetProperty("principal").GetString());
        var pub = policy.GetProperty("publicStatements").EnumerateArray().Single();
        Assert.Equal("Describe for the organization", pub.GetProperty("statement").GetString());
        Assert.Contains("kms:CallerAccount", pub.GetProperty("conditions")[0].GetString());

        var grant = key.GetProperty("grants").EnumerateArray().Single();
        Assert.Equal(ReportScenario.GrantId, grant.GetProperty("grantId").GetString());
        Assert.Equal("retired", grant.GetProperty("status").GetString());
        Assert.Equal(16 * 3600, grant.GetProperty("lifetimeSeconds").GetInt64()); // 10:00 on the 1st to 02:00 on the 2nd
        Assert.Equal("EncryptionContextSubset {tenant=acme}", grant.GetProperty("constraints").GetString());

        var usage = key.GetProperty("usage").EnumerateArray().ToList();
        var appDecrypt = usage.Single(u => u.GetProperty("principal").GetString() == ReportScenario.AppRole && u.GetProperty("operation").GetString() == "Decrypt");
        Assert.Equal(2, appDecrypt.GetProperty("count").GetInt64());
        Assert.Equal("2026-10-01T09:00:00Z", appDecrypt.GetProperty("firstSeen").GetString());
        Assert.Equal("2026-10-01T09:05:00Z", appDecrypt.GetProperty("lastSeen").GetString());
        var paths = appDecrypt.GetProperty("authorizations").EnumerateArray().ToList();
        Assert.Equal(2, paths.Sum(p => p.GetProperty("count").GetInt64()));
        Assert.All(paths, p => Assert.Contains(p.GetProperty("path").GetString(), new[] { "key-policy", "grant", "iam-delegation", "none", "unknown" }));
        var hostile = usage.Single(u => u.GetProperty("principal").GetString() == ReportScenario.HostileUser);
        Assert.Equal(1, hostile.GetProperty("failed").GetInt64());

        var perDay = key.GetProperty("callsPerDay");
        Assert.Equal(6, perDay.GetProperty("2026-10-01").GetInt64());
        Assert.Equal(5, perDay.GetProperty("2026-10-02").GetInt64());
        Assert.Equal(2, perDay.GetProperty("2026-10-04").GetInt64());
    }

    [Fact]
    public void Json_report_checks_log_files_against_their_digest()
    {
        var (_, text) = scenario.Report("integrity.json");
        using var doc = JsonDocument.Parse(text);
        var integrity = doc.RootElement.GetProperty("integrity");
        Assert.Equal(1, integrity.GetProperty("digestFiles").GetInt32());
        Assert.Equal(1, integrity.GetProperty("matched").GetInt32());
        Assert.Equal(1, integrity.GetProperty("mismatched").GetInt32());
        Assert.False(integrity.GetProperty("signaturesVerified").GetBoolean());
        var files = integrity.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("file").GetString()!, f => f.GetProperty("status").GetString());
        Assert.Equal("matched", files[scenario.MatchedFile]);
        Assert.Equal("mismatched", files[scenario.TamperedFile]);
        Assert.Equal("not-covered", files[scenario.UncoveredFile]);
    }

    [Fact]
    public void Csv_report_has_one_quoted_row_per_finding_with_the_contract_columns()
    {
        var (run, text) = scenario.Report("findings.csv");
        Assert.True(run.ExitCode == 0, run.Error);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("rule,severity,eventId,eventTime,keyArn,principal,", lines[0]);
        var findings = File.ReadAllLines(Path.Combine(scenario.ReplayOut, "findings.jsonl")).Length;
        Assert.Equal(findings + 1, lines.Length); // no finding text holds a line break, so one line per row
        Assert.Contains(lines, l => l.StartsWith($"key-disabled,high,e-0302,2026-10-04T18:00:00Z,{ReportScenario.KeyArn},{ReportScenario.AdminRole},", StringComparison.Ordinal)
            || l.StartsWith($"key-disabled,medium,e-0302,2026-10-04T18:00:00Z,{ReportScenario.KeyArn},{ReportScenario.AdminRole},", StringComparison.Ordinal));
    }

    [Fact]
    public void Usage_csv_has_a_row_per_key_principal_operation_with_a_neutralised_formula()
    {
        var usagePath = Path.Combine(scenario.ReportDir, "usage.csv");
        var (run, _) = scenario.Report("with-usage.md", "--usage-csv", usagePath, "--from", "2026-10-01", "--to", "2026-10-05");
        Assert.True(run.ExitCode == 0, run.Error);
        var lines = File.ReadAllText(usagePath).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("keyArn,aliases,principal,operation,count,failed,firstSeen,lastSeen,authorizationPaths,authorization", lines[0]);
        Assert.Contains(lines, l => l.StartsWith($"{ReportScenario.KeyArn},alias/payments,{ReportScenario.AppRole},Decrypt,2,0,2026-10-01T09:00:00Z,2026-10-01T09:05:00Z,", StringComparison.Ordinal));
        // The formula principal starts with '=': prefixed with a quote, and quoted because it holds quotes and a comma.
        Assert.Contains(lines, l => l.Contains(",\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\",Decrypt,1,1,", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(",=HYPERLINK", StringComparison.Ordinal));
        // The hostile ARN holds a double quote: the field is quoted with the quote doubled.
        Assert.Contains(lines, l => l.Contains("\"arn:aws:iam::111122223333:user/<img src=x onerror=alert(1)>\"\"x'\"", StringComparison.Ordinal));
        // admin: CreateKey, CreateAlias, CreateGrant, DisableKey; app: Decrypt, GenerateDataKey, Encrypt; worker: Decrypt, RetireGrant; two denied users.
        Assert.Equal(11 + 1, lines.Length);
    }

    [Fact]
    public void Markdown_report_has_the_sections_and_escapes_hostile_text()
    {
        var (run, text) = scenario.Report("report.md", "--from", "2026-10-01", "--to", "2026-10-05");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("# KMS key usage and findings", text);
        foreach (var heading in new[] { "## Summary", "## Coverage gaps", "## Log-file integrity", "## Findings per rule", "## Findings", "## Keys", "#### Key policy", "#### Grants", "#### Usage (principal × operation)" })
            Assert.Contains("\n" + heading + "\n", text);
        Assert.Contains("**2 day(s) without any log file:** 2026-10-03, 2026-10-05", text);
        Assert.Contains("**1 matched**, **1 mismatched**, **71 not covered**", text); // 70 documentation examples and the file of the 4th
        Assert.DoesNotContain("<img", text);
        // Escaped text is inert in every renderer; a pipe would split the table row, so none is left unescaped.
        var hostileRows = text.Split('\n').Where(l => l.StartsWith("| arn:aws:iam::111122223333:user/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(hostileRows);
        foreach (var row in hostileRows)
            Assert.Equal(8, row.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'));
    }

    [Fact]
    public void Html_report_is_one_self_contained_page_with_matrix_charts_and_sections()
    {
        var (run, html) = scenario.Report("report.html", "--from", "2026-10-01", "--to", "2026-10-05");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("default-src 'none'", html);
        Assert.Contains("id=\"chart-calls-per-day\"", html);
        Assert.Contains("id=\"chart-findings-per-rule\"", html);
        Assert.Contains("class=\"matrix\"", html);
        Assert.Contains("<section id=\"coverage\"", html);
        Assert.Contains("2026-10-03", html);
        Assert.Contains("retired", html);
        // Nothing is fetched: no external URL in any src/href, no script element, no stylesheet link.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"(src|href)\s*=\s*""(https?:)?//", html);
    }

    [Fact]
    public void Html_report_encodes_a_hostile_principal_name()
    {
        var (_, html) = scenario.Report("hostile.html");
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("user/&lt;img src=x onerror=alert(1)&gt;&quot;x&#39;", html);
    }

    [Fact]
    public void Report_without_trail_says_usage_was_not_assessed()
    {
        var outPath = Path.Combine(scenario.Root, "only-findings.json");
        var run = CliRun.Of("report", "--findings", scenario.ReplayOut, "--out", outPath);
        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(File.ReadAllText(outPath));
        Assert.False(doc.RootElement.GetProperty("coverage").GetProperty("usageAssessed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("integrity").ValueKind);
        Assert.True(doc.RootElement.GetProperty("totals").GetProperty("findings").GetInt32() > 0);
    }

    [Fact]
    public void Unknown_extension_is_a_usage_error_naming_the_formats()
    {
        var run = CliRun.Of("report", "--findings", scenario.ReplayOut, "--out", Path.Combine(scenario.Root, "r.pdf"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(".html, .md, .csv or .json", run.Error);
    }

    [Fact]
    public void Missing_findings_dir_is_a_usage_error_naming_the_file()
    {
        var run = CliRun.Of("report", "--findings", Path.Combine(scenario.Root, "nope"), "--out", Path.Combine(scenario.Root, "r.html"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("findings.jsonl", run.Error);
    }

    [Fact]
    public void Bad_from_is_a_usage_error()
    {
        var run = CliRun.Of("report", "--findings", scenario.ReplayOut, "--from", "last tuesday", "--out", Path.Combine(scenario.Root, "r.html"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--from", run.Error);
    }

    [Fact]
    public void Failed_replay_inputs_appear_as_coverage_gaps()
    {
        var dir = Path.Combine(scenario.Root, "replay-with-errors");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(scenario.ReplayOut, "findings.jsonl"), Path.Combine(dir, "findings.jsonl"), overwrite: true);
        File.WriteAllText(Path.Combine(dir, "summary.json"), """{"filesRead": 3, "errors": [{"file": "AWSLogs/x/broken.json.gz", "error": "corrupt gzip data"}], "eventsRead": 10, "kmsEvents": 4}""");
        var outPath = Path.Combine(dir, "r.json");
        var run = CliRun.Of("report", "--findings", dir, "--out", outPath);
        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(File.ReadAllText(outPath));
        var failed = doc.RootElement.GetProperty("coverage").GetProperty("failedFiles").EnumerateArray().Single();
        Assert.Equal("AWSLogs/x/broken.json.gz", failed.GetProperty("file").GetString());
        Assert.Equal("corrupt gzip data", failed.GetProperty("error").GetString());
    }
}
