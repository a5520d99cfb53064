namespace Auditor.Core.Findings;

/// <summary>Finding severities, ordered so that a threshold (<c>--fail-on</c>) is a comparison.</summary>
public enum Severity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>Wire names of <see cref="Severity"/> (lower case, CONTRACT section 3).</summary>
public static class SeverityNames
{
    public static string Of(Severity s) => s switch
    {
        Severity.Info => "info",
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        _ => "critical",
    };

    public static bool TryParse(string? s, out Severity severity)
    {
        foreach (var v in Enum.GetValues<Severity>())
            if (string.Equals(Of(v), s, StringComparison.OrdinalIgnoreCase)) { severity = v; return true; }
        severity = Severity.Info;
        return false;
    }
}
