using Auditor.Core.Inventory;

namespace Auditor.Aws.Kms;

/// <summary>A collection run: the snapshot, and how much of the asked-for space could be listed.</summary>
public sealed record KmsInventoryResult
{
    public required InventorySnapshot Snapshot { get; init; }

    /// <summary>Account × region pairs asked for.</summary>
    public int Scopes { get; init; }

    /// <summary>Account × region pairs whose keys could be listed.</summary>
    public int ScopesListed { get; init; }

    /// <summary>Keys with an <c>Error</c> (some part could not be read).</summary>
    public int KeysWithErrors => Snapshot.Keys.Count(k => k.Error is not null);

    /// <summary>Nothing could be listed anywhere: no access at all.</summary>
    public bool NoAccess => ScopesListed == 0;

    /// <summary>Something was asked for and not read: a scope not listed or a key not fully read.</summary>
    public bool Partial => ScopesListed < Scopes || KeysWithErrors > 0;
}

/// <summary>Progress of the per-key phase, for a display on long runs.</summary>
/// <param name="KeysDone">Keys read so far.</param>
/// <param name="KeysTotal">Keys listed in every scope.</param>
public readonly record struct KmsInventoryProgress(int KeysDone, int KeysTotal);
