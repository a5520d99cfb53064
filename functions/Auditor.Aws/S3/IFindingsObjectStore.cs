namespace Auditor.Aws.S3;

/// <summary>
/// Read access to the findings objects <c>ingest</c> wrote (S3 in production, fakes in tests): list one prefix
/// (one <c>dt=</c> partition) and open an object. The <c>report</c> function reads through it.
/// </summary>
public interface IFindingsObjectStore
{
    /// <summary>Where objects are read from, for logs and the report: <c>s3://bucket</c>.</summary>
    string Location { get; }

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, all pages, in key order.</summary>
    /// <exception cref="ObjectStoreException">The listing was refused or the store keeps failing.</exception>
    Task<IReadOnlyList<StoredObjectInfo>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Opens an object for reading; the caller disposes it.</summary>
    /// <exception cref="ObjectStoreException">The object is missing, forbidden, or the store keeps failing.</exception>
    Task<TrailObject> OpenAsync(string key, CancellationToken cancellationToken);
}

/// <summary>An object as a listing describes it.</summary>
/// <param name="Key">The object key.</param>
/// <param name="LastModified">When the object was last written (UTC), when the store says.</param>
/// <param name="Size">Its size in bytes, when the store says.</param>
public sealed record StoredObjectInfo(string Key, DateTimeOffset? LastModified, long? Size);
