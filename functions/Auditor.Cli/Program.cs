using System.CommandLine;
using Auditor.Cli.Commands;

namespace Auditor.Cli;

/// <summary>The <c>auditor</c> command line: replay, evaluate, inventory, report (CONTRACT section 1).</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>The whole CLI behind one call, so tests drive it in-process with their own writers.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var console = new CliConsole(stdout, stderr);
        var root = new RootCommand("KMS Trail Auditor: explains every AWS KMS call in CloudTrail against the key's policy and grants.")
        {
            ReplayCommand.Create(console),
            EvaluateCommand.Create(console),
            InventoryCommand.Create(console),
            ReportCommand.Create(console),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // CONTRACT section 1: a usage error is exit 2 for every command.
            foreach (var error in parsed.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run 'auditor --help' or 'auditor <command> --help' for usage.");
            return CliConsole.Usage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (!args.Contains("--verbose"))
        {
            // No stack trace reaches a user's terminal unless asked for (--verbose).
            stderr.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            stderr.WriteLine("Run again with --verbose for details.");
            return CliConsole.Usage;
        }
    }
}
