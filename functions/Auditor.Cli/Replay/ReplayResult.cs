using Auditor.Core.Findings;

namespace Auditor.Cli.Replay;

/// <summary>
/// The outcome of a replay: its summary, the most severe findings (for the terminal; all of them are in
/// <c>findings.jsonl</c>), and the exit code CONTRACT section 1 fixes.
/// </summary>
public sealed record ReplayResult(RunSummary Summary, IReadOnlyList<Finding> MostSevere, int ExitCode);
