using System.CommandLine;

namespace Auditor.Cli.Commands;

/// <summary><c>auditor inventory</c> (CONTRACT section 1).</summary>
internal static class InventoryCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("inventory", "Not built yet.");
        command.SetAction(_ =>
        {
            console.Error.WriteLine("auditor inventory: not built yet");
            return CliConsole.Usage;
        });
        return command;
    }
}
