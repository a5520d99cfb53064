namespace Auditor.Core.Inventory;

/// <summary>An inventory file that is not in CONTRACT section 4's format; the message names the file and the problem.</summary>
public sealed class InventoryFormatException(string source, string problem, Exception? inner = null)
    : Exception($"{source}: {problem}", inner)
{
    /// <summary>The file (or stream name) that is malformed.</summary>
    public string FileName { get; } = source;

    /// <summary>What is wrong, with the JSON path where it is.</summary>
    public string Problem { get; } = problem;
}
