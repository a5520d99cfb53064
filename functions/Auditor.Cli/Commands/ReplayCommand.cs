using System.CommandLine;

namespace Auditor.Cli.Commands;

/// <summary><c>auditor replay</c> (CONTRACT section 1).</summary>
internal static class ReplayCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("replay", "Not built yet.");
        command.SetAction(_ =>
        {
            console.Error.WriteLine("auditor replay: not built yet");
            return CliConsole.Usage;
        });
        return command;
    }
}
