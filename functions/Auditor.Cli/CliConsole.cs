namespace Auditor.Cli;

/// <summary>The writers a command prints to; a test passes its own.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    /// <summary>Exit codes fixed by CONTRACT section 1.</summary>
    public const int Ok = 0, Threshold = 1, Usage = 2, PartialInput = 3;
}
