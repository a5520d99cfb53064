using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Auditor.Aws.S3;

/// <summary>
/// Builds the S3 client from the standard AWS variables (CONTRACT section 7). With an endpoint override
/// (<c>AWS_ENDPOINT_URL_S3</c>, else <c>AWS_ENDPOINT_URL</c>) it addresses buckets path-style, which local S3
/// servers need, and computes checksums only when an operation requires them: SDK v4 otherwise adds CRC32
/// trailers in aws-chunked bodies that s3rver does not understand.
/// </summary>
public static class S3ClientFactory
{
    /// <summary>The configuration the variables describe. <paramref name="getVariable"/> returns null for unset.</summary>
    public static AmazonS3Config CreateConfig(Func<string, string?> getVariable)
    {
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        var region = getVariable("AWS_REGION") ?? getVariable("AWS_DEFAULT_REGION");
        var endpoint = getVariable("AWS_ENDPOINT_URL_S3") ?? getVariable("AWS_ENDPOINT_URL");
        if (endpoint is not null)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out _))
                throw new ArgumentException($"the S3 endpoint override '{endpoint}' is not an absolute URL");
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return config;
    }

    /// <summary>A client with the default credential chain (in Lambda: the execution role's variables).</summary>
    public static AmazonS3Client Create(Func<string, string?> getVariable) => new(CreateConfig(getVariable));
}
