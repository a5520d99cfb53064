using System.CommandLine;
using System.Globalization;
using Auditor.Cli.Reporting;

namespace Auditor.Cli.Commands;

/// <summary><c>auditor report --findings DIR [--trail PATH]... [--inventory PATH] [--from T] [--to T] --out FILE</c> (CONTRACT section 1).</summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var findings = new Option<string>("--findings") { Description = "Output directory of `auditor replay` (findings.jsonl, summary.json).", Required = true };
        var trail = new Option<string[]>("--trail") { Description = "CloudTrail log files or directories to count usage from, re-judge calls, and check against CloudTrail digest files. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var inventory = new Option<string?>("--inventory") { Description = "Key inventory snapshot file or directory (CONTRACT section 4)." };
        var from = new Option<string?>("--from") { Description = "Start of the period (ISO 8601, e.g. 2026-10-01 or 2026-10-01T00:00:00Z), inclusive." };
        var to = new Option<string?>("--to") { Description = "End of the period (ISO 8601), inclusive; a bare date means the end of that day." };
        var outPath = new Option<string>("--out") { Description = "The report file; its extension picks the format: .html, .md, .csv (one row per finding), .json.", Required = true };
        var usageCsv = new Option<string?>("--usage-csv") { Description = "Also write one CSV row per key × principal × operation (needs --trail)." };
        var generatedAt = new Option<string?>("--generated-at") { Description = "The generation time to print (ISO 8601), for reproducible reports; default now." };
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces on failure." };
        var quiet = new Option<bool>("--quiet") { Description = "Print nothing but errors." };

        var command = new Command("report", "Write a compliance report: who used which key, how it was authorized, and what was wrong.")
            { findings, trail, inventory, from, to, outPath, usageCsv, generatedAt, verbose, quiet };
        command.SetAction(parse =>
        {
            if (!TryTime(parse.GetValue(from), endOfDay: false, out var fromTime)) return Bad(console, "--from", parse.GetValue(from));
            if (!TryTime(parse.GetValue(to), endOfDay: true, out var toTime)) return Bad(console, "--to", parse.GetValue(to));
            if (!TryTime(parse.GetValue(generatedAt), endOfDay: false, out var now)) return Bad(console, "--generated-at", parse.GetValue(generatedAt));
            var options = new ReportOptions
            {
                FindingsDir = parse.GetValue(findings)!,
                OutPath = parse.GetValue(outPath)!,
                TrailPaths = parse.GetValue(trail) ?? [],
                InventoryPath = parse.GetValue(inventory),
                From = fromTime,
                To = toTime,
                UsageCsvPath = parse.GetValue(usageCsv),
                Verbose = parse.GetValue(verbose),
                Quiet = parse.GetValue(quiet),
                Now = now,
            };
            if (options.UsageCsvPath is not null && options.TrailPaths.Count == 0)
            {
                console.Error.WriteLine("error: --usage-csv needs --trail (usage is counted from the trail)");
                return CliConsole.Usage;
            }
            try
            {
                return new ReportRunner(console).Run(options).ExitCode;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                console.Error.WriteLine($"error: {e.Message}");
                if (options.Verbose) console.Error.WriteLine(e);
                return CliConsole.Usage;
            }
        });
        return command;
    }

    /// <summary>ISO 8601 with or without a time; without an offset it is UTC. A bare date as an end bound means the whole day.</summary>
    internal static bool TryTime(string? text, bool endOfDay, out DateTimeOffset? time)
    {
        time = null;
        if (text is null) return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            time = endOfDay ? start.AddDays(1).AddTicks(-1) : start;
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) && text.Contains('T', StringComparison.Ordinal))
        {
            time = t;
            return true;
        }
        return false;
    }

    private static int Bad(CliConsole console, string option, string? value)
    {
        console.Error.WriteLine($"error: {option} must be an ISO 8601 date or time such as 2026-10-01 or 2026-10-01T12:00:00Z (got \"{value}\")");
        return CliConsole.Usage;
    }
}
