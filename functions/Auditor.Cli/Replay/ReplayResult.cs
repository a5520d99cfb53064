using Auditor.Core.Findings;

namespace Auditor.Cli.Replay;

/// <summary>The outcome of a replay: its summary, its findings, and the exit code CONTRACT section 1 fixes.</summary>
public sealed record ReplayResult(RunSummary Summary, IReadOnlyList<Finding> Findings, int ExitCode);
