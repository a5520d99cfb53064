using Amazon.S3;
using Amazon.S3.Model;

namespace Auditor.Aws.S3;

/// <summary>
/// Writes findings objects with <c>PutObject</c>. Each put replaces the whole object, which is what makes a
/// redelivered source object overwrite its findings instead of adding to them. When an expected owner is
/// configured, S3 refuses the write unless the bucket belongs to that account (protection against a bucket
/// deleted and re-created by someone else under the same name).
/// </summary>
public sealed class S3FindingsSink(IAmazonS3 s3, string bucket, string? expectedBucketOwner) : IFindingsSink
{
    /// <inheritdoc />
    public string Location => $"s3://{bucket}";

    /// <inheritdoc />
    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content.ToArray(), writable: false);
        var request = BuildRequest(key, body, contentType);
        try
        {
            await s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw new ObjectStoreException($"s3://{bucket}/{key}: PutObject failed: {e.ErrorCode ?? e.StatusCode.ToString()} ({(int)e.StatusCode}) {e.Message}", e.StatusCode == System.Net.HttpStatusCode.NotFound, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            throw new ObjectStoreException($"s3://{bucket}/{key}: PutObject failed: {e.Message}", inner: e);
        }
    }

    /// <summary>The request as sent: a plain (not aws-chunked) body, so local S3 servers accept it.</summary>
    public PutObjectRequest BuildRequest(string key, Stream body, string contentType)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = body,
            ContentType = contentType,
            UseChunkEncoding = false,
            AutoCloseStream = false,
        };
        if (!string.IsNullOrEmpty(expectedBucketOwner)) request.ExpectedBucketOwner = expectedBucketOwner;
        return request;
    }
}
