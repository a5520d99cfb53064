namespace Auditor.Core.Inventory;

/// <summary>
/// A key inventory as of <see cref="CapturedAt"/> (CONTRACT section 4): every key's metadata, policy, grants and
/// aliases in the KMS API's own shapes. Trail events after <see cref="CapturedAt"/> update the state it describes.
/// </summary>
public sealed record InventorySnapshot
{
    /// <summary>The moment the snapshot describes. A collector uses the time it started, so anything that changed
    /// while it ran is also replayed from the trail rather than silently missed.</summary>
    public required DateTimeOffset CapturedAt { get; init; }

    public IReadOnlyList<InventoryKey> Keys { get; init; } = [];

    /// <summary>Where the snapshot came from (a file name, or the collector's description); never written.</summary>
    public string Source { get; init; } = "";

    /// <summary>Parts of the account/region space the collector could not list (for example ListKeys denied in one
    /// region): the keys there are missing from <see cref="Keys"/>, and a report must say so.</summary>
    public IReadOnlyList<InventoryCollectionError> Errors { get; init; } = [];
}

/// <summary>An account and region (or role) the collector could not list at all.</summary>
/// <param name="Scope">What could not be listed, e.g. <c>111122223333/us-east-1</c> or a role ARN.</param>
/// <param name="Error">Why, as the service said it.</param>
public sealed record InventoryCollectionError(string Scope, string Error);
