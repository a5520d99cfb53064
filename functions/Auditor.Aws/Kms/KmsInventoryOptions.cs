using Amazon.Runtime;

namespace Auditor.Aws.Kms;

/// <summary>What <see cref="KmsInventoryCollector"/> inventories and how it talks to KMS.</summary>
public sealed record KmsInventoryOptions
{
    /// <summary>Regions to inventory, each in every account. At least one.</summary>
    public required IReadOnlyList<string> Regions { get; init; }

    /// <summary>Roles to assume, one per account (an organization from one place). Empty: the base credentials' own account.</summary>
    public IReadOnlyList<string> RoleArns { get; init; } = [];

    /// <summary>The base credentials; null uses the SDK's default chain (environment, profile, SSO, container, IMDS).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>A KMS endpoint override (<c>--endpoint-url</c>, <c>AWS_ENDPOINT_URL_KMS</c>); null: the region's endpoint.</summary>
    public string? KmsEndpointUrl { get; init; }

    /// <summary>An STS endpoint override for <see cref="RoleArns"/>; null: the SDK's own resolution (which honours
    /// <c>AWS_ENDPOINT_URL_STS</c>).</summary>
    public string? StsEndpointUrl { get; init; }

    /// <summary>Keys read at once, across all accounts and regions. KMS's request quotas for these read operations are
    /// shared per account and region (DescribeKey/GetKeyPolicy/ListGrants in the thousands per second in most
    /// regions, lower for ListAliases/ListKeys), so 8 keeps a large inventory fast without throttling storms.</summary>
    public int MaxParallelism { get; init; } = 8;

    /// <summary>Retries per request on throttling and transient faults.</summary>
    public int MaxErrorRetry { get; init; } = 10;

    /// <summary>
    /// The SDK retry mode. Standard (exponential backoff with full jitter, throttling errors retried, a retry quota)
    /// rather than Adaptive: in AWSSDK.Core 4.0.102.19 the adaptive token bucket does not refill while a request waits
    /// for a send token, so a request throttled while it is the only one in flight (the first ListKeys page, a lone
    /// ListGrants pagination) waits 15 times and then fails with "capacity could not be obtained" — the loopback test
    /// <c>Absorbs_throttling_answered_once_through_the_sdk_retry</c> reproduces it. Bounded parallelism
    /// (<see cref="MaxParallelism"/>) does the rate limiting adaptive mode would have done.
    /// </summary>
    public RequestRetryMode RetryMode { get; init; } = RequestRetryMode.Standard;

    /// <summary>The snapshot's <c>capturedAt</c>; null: the moment collection starts (see <see cref="Auditor.Core.Inventory.InventorySnapshot.CapturedAt"/>).</summary>
    public DateTimeOffset? CapturedAt { get; init; }

    /// <summary>Whether to call <c>GetKeyLastUsage</c> (a recent API; its failures never mark a key as unreadable).</summary>
    public bool IncludeLastUsage { get; init; } = true;
}
