using Auditor.Core.Findings;
using Auditor.Core.State;

namespace Auditor.Cli.Replay;

/// <summary>Everything <c>auditor replay</c> was asked to do.</summary>
public sealed record ReplayOptions
{
    public required IReadOnlyList<string> Paths { get; init; }
    public string OutDir { get; init; } = "./audit-out";
    public string? InventoryPath { get; init; }
    public string? BaselinePath { get; init; }
    /// <summary>A directory keeping the correlation state (and findings) between runs.</summary>
    public string? StateDir { get; init; }
    public Severity? FailOn { get; init; }
    public string Format { get; init; } = "jsonl";
    public AuditOptions Audit { get; init; } = AuditOptions.Default;
    public bool Verbose { get; init; }
    public bool Quiet { get; init; }
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
