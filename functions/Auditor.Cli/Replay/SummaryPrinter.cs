using Auditor.Core.Findings;

namespace Auditor.Cli.Replay;

/// <summary>The readable summary a replay prints: what was read, what failed, and the findings worth reading first.</summary>
internal static class SummaryPrinter
{
    public static void Print(TextWriter w, ReplayResult result, string outDir, TimeSpan elapsed)
    {
        var s = result.Summary;
        w.WriteLine($"KMS Trail Auditor — replay finished in {elapsed.TotalSeconds:F1}s");
        w.WriteLine($"  files read      {s.FilesRead,10:N0}   skipped {s.FilesSkipped:N0} (digests {s.DigestFiles:N0})   errors {s.Errors.Count:N0}");
        w.WriteLine($"  records read    {s.EventsRead,10:N0}   {s.BytesRead / 1e6:F1} MB uncompressed");
        w.WriteLine($"  KMS events      {s.KmsEvents,10:N0}   (duplicates dropped {s.DuplicateEvents:N0})");
        if (s.ByEventName.Count > 0)
            w.WriteLine("    " + string.Join("  ", s.ByEventName.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(8).Select(kv => $"{kv.Key} {kv.Value:N0}")));
        w.WriteLine($"  findings        {s.Findings,10:N0}   " + string.Join("  ", Enum.GetValues<Severity>().Reverse().Select(SeverityNames.Of).Where(s.BySeverity.ContainsKey).Select(k => $"{k} {s.BySeverity[k]:N0}")));
        int width = s.ByRule.Count == 0 ? 0 : s.ByRule.Keys.Max(k => k.Length);
        foreach (var (rule, n) in s.ByRule) w.WriteLine($"    {rule.PadRight(width)} {n,6:N0}");

        var top = result.MostSevere;
        if (top.Count > 0)
        {
            w.WriteLine();
            w.WriteLine(top.Count < s.Findings ? $"Most severe {top.Count} of {s.Findings:N0} findings:" : "Findings:");
            foreach (var f in top)
            {
                w.WriteLine($"  [{SeverityNames.Of(f.Severity).ToUpperInvariant(),-8}] {f.Rule}  {FindingJson.FormatTime(f.EventTime)}  {f.EventName}  event {f.EventId}");
                w.WriteLine($"             {f.Explanation}");
                w.WriteLine($"             authorization: {f.Authorization.Describe()}");
            }
        }
        if (s.Errors.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"{s.Errors.Count} input problem(s); the rest was processed:");
            foreach (var (file, error) in s.Errors.Take(20)) w.WriteLine($"  {file}: {error}");
            if (s.Errors.Count > 20) w.WriteLine($"  … and {s.Errors.Count - 20} more in summary.json");
        }
        w.WriteLine();
        w.WriteLine($"Wrote {Path.Combine(outDir, "findings.jsonl")} and {Path.Combine(outDir, "summary.json")}");
    }
}
