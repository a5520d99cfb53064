namespace Auditor.Cli.Input;

/// <summary>One input to read: a file, or standard input.</summary>
public sealed record TrailSource(string Name, string? Path)
{
    public bool IsStdin => Path is null;

    public Stream Open() => Path is null ? Console.OpenStandardInput() : new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
}
