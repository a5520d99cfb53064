using Auditor.Core.Reporting;

namespace Auditor.Functions.Reporting;

/// <summary>
/// What one <c>report</c> invocation produces: the findings whose eventTime is in [<see cref="From"/>,
/// <see cref="To"/>) (UTC, end exclusive), rendered as <see cref="Format"/>.
/// </summary>
/// <param name="From">Start of the period, inclusive.</param>
/// <param name="To">End of the period, exclusive.</param>
/// <param name="Format">The report format.</param>
/// <param name="Trigger">How the period was chosen: <c>schedule</c>, <c>request</c> or <c>default</c> (for the log).</param>
public sealed record ReportRequest(DateTimeOffset From, DateTimeOffset To, ReportFormat Format, string Trigger)
{
    /// <summary>The UTC days the period touches, first to last.</summary>
    public IReadOnlyList<DateOnly> Days()
    {
        var days = new List<DateOnly>();
        var last = DateOnly.FromDateTime(To.UtcDateTime.AddTicks(-1));
        for (var d = DateOnly.FromDateTime(From.UtcDateTime); d <= last; d = d.AddDays(1)) days.Add(d);
        return days;
    }
}
