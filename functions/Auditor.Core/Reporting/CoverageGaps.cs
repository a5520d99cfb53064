namespace Auditor.Core.Reporting;

/// <summary>
/// What the report cannot vouch for: keys whose policy was unknown when they were called (so nothing was
/// judged for them), days of the period with no log file at all, and inputs that could not be read.
/// An auditor reads these before trusting the absence of findings.
/// </summary>
public sealed record CoverageGaps
{
    /// <summary>Keys called while their policy was unknown, with how many calls that concerns.</summary>
    public required IReadOnlyList<NamedCount> KeysWithUnknownPolicy { get; init; }
    /// <summary>Days of the period (UTC) without any log file; null when not assessed (no <c>--trail</c>).</summary>
    public IReadOnlyList<DateOnly>? DaysWithoutLogFiles { get; init; }
    /// <summary>Inputs that failed, from the replay's <c>summary.json</c> and from the report's own reading.</summary>
    public required IReadOnlyList<FileError> FailedFiles { get; init; }
    /// <summary>True when usage (the matrix, calls per day) was built from the trail; false when only findings were given.</summary>
    public required bool UsageAssessed { get; init; }

    public bool IsEmpty => KeysWithUnknownPolicy.Count == 0 && (DaysWithoutLogFiles is null || DaysWithoutLogFiles.Count == 0) && FailedFiles.Count == 0;
}

/// <summary>An input that could not be read, and why.</summary>
public sealed record FileError(string File, string Error);
