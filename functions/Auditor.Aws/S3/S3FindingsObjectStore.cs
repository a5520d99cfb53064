using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Auditor.Aws.S3;

/// <summary>
/// Lists (<c>ListObjectsV2</c>, every page) and reads (<c>GetObject</c>) findings objects in one bucket. When an
/// expected owner is configured every request carries it, so S3 refuses to serve a bucket of another account
/// (a findings bucket deleted and re-created by someone else under the same name cannot feed a report).
/// </summary>
public sealed class S3FindingsObjectStore(IAmazonS3 s3, string bucket, string? expectedBucketOwner) : IFindingsObjectStore
{
    /// <inheritdoc />
    public string Location => $"s3://{bucket}";

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredObjectInfo>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<StoredObjectInfo>();
        var request = BuildListRequest(prefix);
        while (true)
        {
            ListObjectsV2Response page;
            try
            {
                page = await s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e)
            {
                throw new ObjectStoreException($"s3://{bucket}/{prefix}: ListObjectsV2 failed: {e.ErrorCode ?? e.StatusCode.ToString()} ({(int)e.StatusCode}) {e.Message}", e.StatusCode == HttpStatusCode.NotFound, e);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
            {
                throw new ObjectStoreException($"s3://{bucket}/{prefix}: ListObjectsV2 failed: {e.Message}", inner: e);
            }
            foreach (var o in page.S3Objects ?? [])
                objects.Add(new StoredObjectInfo(o.Key, o.LastModified is { } lm ? new DateTimeOffset(lm.ToUniversalTime(), TimeSpan.Zero) : null, o.Size));
            // SDK v4 leaves IsTruncated null when the field is absent; only an explicit true with a token continues.
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken)) break;
            request.ContinuationToken = page.NextContinuationToken;
        }
        objects.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return objects;
    }

    /// <summary>The first page's request as sent.</summary>
    public ListObjectsV2Request BuildListRequest(string prefix)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        if (!string.IsNullOrEmpty(expectedBucketOwner)) request.ExpectedBucketOwner = expectedBucketOwner;
        return request;
    }

    /// <inheritdoc />
    public async Task<TrailObject> OpenAsync(string key, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = bucket, Key = key };
        if (!string.IsNullOrEmpty(expectedBucketOwner)) request.ExpectedBucketOwner = expectedBucketOwner;
        GetObjectResponse response;
        try
        {
            response = await s3.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e)
        {
            throw new ObjectStoreException($"s3://{bucket}/{key}: GetObject failed: {e.ErrorCode ?? e.StatusCode.ToString()} ({(int)e.StatusCode}) {e.Message}", e.StatusCode == HttpStatusCode.NotFound, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException)
        {
            throw new ObjectStoreException($"s3://{bucket}/{key}: GetObject failed: {e.Message}", inner: e);
        }
        return new TrailObject(response.ResponseStream, response.LastModified is { } lm ? new DateTimeOffset(lm.ToUniversalTime(), TimeSpan.Zero) : null, response.ContentLength, response);
    }
}
