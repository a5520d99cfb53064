using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Auditor.Aws.S3;

/// <summary>Streams CloudTrail log objects with <c>GetObject</c>; the body is never buffered whole.</summary>
public sealed class S3TrailObjectSource(IAmazonS3 s3) : ITrailObjectSource
{
    /// <inheritdoc />
    public async Task<TrailObject> OpenAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        GetObjectResponse response;
        try
        {
            response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            bool notFound = e.StatusCode == HttpStatusCode.NotFound;
            throw new ObjectStoreException($"s3://{bucket}/{key}: GetObject failed: {e.ErrorCode ?? e.StatusCode.ToString()} ({(int)e.StatusCode}) {e.Message}", notFound, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            throw new ObjectStoreException($"s3://{bucket}/{key}: GetObject failed: {e.Message}", inner: e);
        }
        return new TrailObject(response.ResponseStream, response.LastModified is { } lm ? new DateTimeOffset(lm.ToUniversalTime(), TimeSpan.Zero) : null, response.ContentLength, response, response.ETag);
    }
}
