using Auditor.Core.State;

namespace Auditor.Cli.Reporting;

/// <summary>
/// Loads a key inventory (CONTRACT section 4) into the state the report judges calls against. Kept behind
/// an interface because the inventory model lives in Core/Inventory (issue 7); <see cref="ReportInventory.Loader"/>
/// is where that reader plugs in.
/// </summary>
public interface IReportInventory
{
    /// <summary>Applies every snapshot under <paramref name="path"/>; throws <see cref="FormatException"/> or <see cref="IOException"/> naming the file at fault.</summary>
    void ApplyTo(AuditState state, string path);
}

/// <summary>The inventory loader the report uses, if this build has one.</summary>
public static class ReportInventory
{
    /// <summary>Null until the inventory reader of Core/Inventory is wired in; <c>--inventory</c> then fails with a clear message.</summary>
    public static IReportInventory? Loader { get; set; }
}
