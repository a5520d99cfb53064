namespace Auditor.Aws.S3;

/// <summary>Where CloudTrail log objects are read from (S3 in production, fakes in tests).</summary>
public interface ITrailObjectSource
{
    /// <summary>Opens an object for streaming; the caller disposes it.</summary>
    /// <exception cref="ObjectStoreException">The object is missing, forbidden, or the store keeps failing.</exception>
    Task<TrailObject> OpenAsync(string bucket, string key, CancellationToken cancellationToken);
}

/// <summary>An open object: its bytes as a stream (read once, front to back) and what the store says about it.</summary>
public sealed class TrailObject(Stream content, DateTimeOffset? lastModified, long? contentLength, IDisposable? owner = null, string? eTag = null) : IDisposable
{
    /// <summary>The object's entity tag: the same bytes under the same key have the same ETag.</summary>
    public string? ETag { get; } = eTag;

    /// <summary>The object's bytes, exactly as stored (gzip or not).</summary>
    public Stream Content { get; } = content;
    public DateTimeOffset? LastModified { get; } = lastModified;
    public long? ContentLength { get; } = contentLength;

    /// <inheritdoc />
    public void Dispose()
    {
        Content.Dispose();
        owner?.Dispose();
    }
}

/// <summary>Where findings objects are written.</summary>
public interface IFindingsSink
{
    /// <summary>Where objects go, for logs: <c>s3://bucket</c>.</summary>
    string Location { get; }

    /// <summary>Writes (or overwrites) one object under the sink's bucket.</summary>
    /// <exception cref="ObjectStoreException">The write was refused or the store keeps failing.</exception>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);
}

/// <summary>A store operation that failed after the SDK's retries; the message names the object and the reason.</summary>
public sealed class ObjectStoreException(string message, bool notFound = false, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The object (or bucket) does not exist: retrying will not help until it does.</summary>
    public bool NotFound { get; } = notFound;
}
