using System.CommandLine;

namespace Auditor.Cli.Commands;

/// <summary><c>auditor evaluate</c> (CONTRACT section 1).</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("evaluate", "Not built yet.");
        command.SetAction(_ =>
        {
            console.Error.WriteLine("auditor evaluate: not built yet");
            return CliConsole.Usage;
        });
        return command;
    }
}
