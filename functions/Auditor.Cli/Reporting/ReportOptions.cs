namespace Auditor.Cli.Reporting;

/// <summary>Everything <c>auditor report</c> was asked to do.</summary>
public sealed record ReportOptions
{
    public required string FindingsDir { get; init; }
    public required string OutPath { get; init; }
    public IReadOnlyList<string> TrailPaths { get; init; } = [];
    public string? InventoryPath { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? UsageCsvPath { get; init; }
    public bool Verbose { get; init; }
    public bool Quiet { get; init; }
    /// <summary>The "generated at" stamp; tests fix it so output is reproducible.</summary>
    public DateTimeOffset? Now { get; init; }
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
