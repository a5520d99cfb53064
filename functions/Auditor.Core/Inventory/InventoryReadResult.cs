namespace Auditor.Core.Inventory;

/// <summary>What <see cref="InventoryReader.ReadPath"/> found: the snapshots it could read, and each file it could not.</summary>
public sealed record InventoryReadResult
{
    /// <summary>Snapshots in file-path order (ordinal), so the same directory always reads the same way.</summary>
    public IReadOnlyList<InventorySnapshot> Snapshots { get; init; } = [];

    /// <summary>One entry per unreadable file, naming it and the problem.</summary>
    public IReadOnlyList<InventoryFileError> Errors { get; init; } = [];
}

/// <summary>An inventory file that could not be read, and why (the shape of summary.json's <c>errors</c>).</summary>
public sealed record InventoryFileError(string File, string Error);
