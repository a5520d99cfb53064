using System.CommandLine;

namespace Auditor.Cli.Commands;

/// <summary><c>auditor report</c> (CONTRACT section 1).</summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("report", "Not built yet.");
        command.SetAction(_ =>
        {
            console.Error.WriteLine("auditor report: not built yet");
            return CliConsole.Usage;
        });
        return command;
    }
}
