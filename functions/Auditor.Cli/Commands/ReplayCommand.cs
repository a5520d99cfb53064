using System.CommandLine;
using System.Diagnostics;
using Auditor.Cli.Replay;
using Auditor.Core.Findings;
using Auditor.Core.State;

namespace Auditor.Cli.Commands;

/// <summary><c>auditor replay &lt;path&gt;... [options]</c> (CONTRACT section 1).</summary>
internal static class ReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var paths = new Argument<string[]>("path") { Description = "CloudTrail log files (.json, .json.gz), directories (read recursively), or - for standard input.", Arity = ArgumentArity.OneOrMore };
        var inventory = new Option<string?>("--inventory") { Description = "Key inventory snapshot file or directory (CONTRACT section 4)." };
        var baseline = new Option<string?>("--baseline") { Description = "Expected principals per key (CONTRACT section 5)." };
        var outDir = new Option<string>("--out") { Description = "Directory for findings.jsonl and summary.json.", DefaultValueFactory = _ => "./audit-out" };
        var failOn = new Option<string?>("--fail-on") { Description = "Exit 1 when a finding has this severity or higher (info, low, medium, high, critical)." };
        var grace = new Option<double>("--grant-grace") { Description = "Minutes after a grant's retirement during which a use is at most info.", DefaultValueFactory = _ => 5 };
        var format = new Option<string>("--format") { Description = "Also write findings as OCSF 1.6 Detection Findings (findings.ocsf.jsonl) or AWS Security Finding Format (findings.asff.jsonl, for Security Hub BatchImportFindings): jsonl (default), ocsf, asff.", DefaultValueFactory = _ => "jsonl" };
        var stateDir = new Option<string?>("--state") { Description = "Directory keeping correlation state and findings between runs (replay today's files, then tomorrow's)." };
        var verbose = new Option<bool>("--verbose") { Description = "Show skipped files and stack traces." };
        var quiet = new Option<bool>("--quiet") { Description = "Print nothing but errors." };

        var command = new Command("replay", "Read CloudTrail log files and write findings.") { paths, inventory, baseline, outDir, failOn, grace, format, stateDir, verbose, quiet };
        command.SetAction(parse =>
        {
            Severity? threshold = null;
            if (parse.GetValue(failOn) is { } f)
            {
                if (!SeverityNames.TryParse(f, out var sev))
                {
                    console.Error.WriteLine($"error: --fail-on must be one of info, low, medium, high, critical (got \"{f}\")");
                    return CliConsole.Usage;
                }
                threshold = sev;
            }
            var graceMinutes = parse.GetValue(grace);
            if (graceMinutes < 0 || double.IsNaN(graceMinutes))
            {
                console.Error.WriteLine("error: --grant-grace must be zero or more minutes");
                return CliConsole.Usage;
            }
            var fmt = parse.GetValue(format)!;
            if (fmt is not ("jsonl" or "ocsf" or "asff"))
            {
                console.Error.WriteLine($"error: --format must be jsonl, ocsf or asff (got \"{fmt}\")");
                return CliConsole.Usage;
            }
            var options = new ReplayOptions
            {
                Paths = parse.GetValue(paths)!,
                OutDir = parse.GetValue(outDir)!,
                InventoryPath = parse.GetValue(inventory),
                BaselinePath = parse.GetValue(baseline),
                StateDir = parse.GetValue(stateDir),
                FailOn = threshold,
                Format = fmt,
                Audit = AuditOptions.Default with { GrantGrace = TimeSpan.FromMinutes(graceMinutes) },
                Verbose = parse.GetValue(verbose),
                Quiet = parse.GetValue(quiet),
            };
            var clock = Stopwatch.StartNew();
            try
            {
                var result = new ReplayRunner(console).Run(options);
                if (!options.Quiet && result.ExitCode != CliConsole.Usage) SummaryPrinter.Print(console.Out, result, options.OutDir, clock.Elapsed);
                return result.ExitCode;
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
}
