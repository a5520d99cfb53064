using Amazon;
using Amazon.DynamoDBv2;

namespace Auditor.Aws.DynamoDb;

/// <summary>
/// Builds the DynamoDB client from the standard AWS variables (CONTRACT section 7): <c>AWS_ENDPOINT_URL_DYNAMODB</c>,
/// else <c>AWS_ENDPOINT_URL</c>, overrides the endpoint (local stand-ins such as dynalite); else the region's endpoint.
/// </summary>
public static class DynamoDbClientFactory
{
    /// <summary>The configuration the variables describe. <paramref name="getVariable"/> returns null for unset.</summary>
    public static AmazonDynamoDBConfig CreateConfig(Func<string, string?> getVariable)
    {
        var config = new AmazonDynamoDBConfig();
        var region = getVariable("AWS_REGION") ?? getVariable("AWS_DEFAULT_REGION");
        var endpoint = getVariable("AWS_ENDPOINT_URL_DYNAMODB") ?? getVariable("AWS_ENDPOINT_URL");
        if (endpoint is not null)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out _))
                throw new ArgumentException($"the DynamoDB endpoint override '{endpoint}' is not an absolute URL");
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return config;
    }

    /// <summary>A client with the default credential chain (in Lambda: the execution role's variables).</summary>
    public static AmazonDynamoDBClient Create(Func<string, string?> getVariable) => new(CreateConfig(getVariable));
}
