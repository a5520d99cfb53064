using System.Globalization;
using System.Text.RegularExpressions;
using Constructs;

namespace Auditor.Infra;

/// <summary>How new trail objects reach the ingest queue.</summary>
public enum TrailNotification
{
    /// <summary>An S3 event notification on the trail bucket sends to the queue directly.</summary>
    S3,

    /// <summary>
    /// The bucket sends its events to EventBridge and a rule forwards them to the queue. Used when the bucket already
    /// notifies another consumer: S3 refuses two notification configurations whose prefixes overlap for one event type.
    /// </summary>
    EventBridge,
}

/// <summary>
/// The deployment's settings, read from CDK context (<c>infra/cdk.json</c>, <c>cdk.context.json</c>, <c>-c key=value</c>).
/// Every value is validated here so a mistake is reported by name before anything is synthesized.
/// </summary>
public sealed partial record InfraSettings
{
    /// <summary>Default location of the arm64 native-AOT publish output, relative to the repository root.</summary>
    public const string DefaultFunctionAsset = "functions/Auditor.Functions/bin/publish-arm64";

    /// <summary>An existing trail bucket; null means the stack creates its own trail and bucket.</summary>
    public string? TrailBucketName { get; init; }

    /// <summary>The trail's S3 key prefix as CloudTrail is configured with it (<c>S3KeyPrefix</c>), possibly empty.</summary>
    public string TrailKeyPrefix { get; init; } = "";

    /// <summary>The KMS key the trail encrypts its log files with (SSE-KMS), when it does.</summary>
    public string? TrailKmsKeyArn { get; init; }

    /// <summary>The organization id (<c>o-…</c>) of an organization trail; its objects lie under <c>AWSLogs/o-…/</c>.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>How new objects are announced.</summary>
    public TrailNotification Notification { get; init; } = TrailNotification.S3;

    /// <summary>Directory holding the published <c>bootstrap</c>; absolute, resolved against the repository root.</summary>
    public required string FunctionAsset { get; init; }

    /// <summary>Email address subscribed to the alarm topic, if any.</summary>
    public string? AlarmEmail { get; init; }

    /// <summary>Ceiling of concurrent ingest invocations fed by the queue (SQS event source MaximumConcurrency, 2–1000).</summary>
    public int IngestMaxConcurrency { get; init; } = 10;

    /// <summary>Ceiling of concurrent child executions (and so ingest invocations) of a backfill (1–10000).</summary>
    public int BackfillMaxConcurrency { get; init; } = 50;

    /// <summary>Days findings objects are kept; null keeps them (compliance evidence is usually kept for years).</summary>
    public int? FindingsRetentionDays { get; init; }

    /// <summary>Target account; null synthesizes an environment-agnostic stack.</summary>
    public string? Account { get; init; }

    /// <summary>Target region; null synthesizes an environment-agnostic stack.</summary>
    public string? Region { get; init; }

    /// <summary>The CloudFormation stack name.</summary>
    public string StackName { get; init; } = "KmsTrailAuditor";

    /// <summary>True when the stack creates the trail and its bucket.</summary>
    public bool CreatesTrail => TrailBucketName is null;

    /// <summary>
    /// The key prefix under which this trail's log objects lie: <c>[S3KeyPrefix/]AWSLogs/[o-…/]</c>. Notifications, reads
    /// and backfills are confined to it.
    /// </summary>
    public string TrailObjectPrefix
    {
        get
        {
            var prefix = TrailKeyPrefix.Trim('/');
            var head = prefix.Length == 0 ? "" : prefix + "/";
            return OrganizationId is null ? $"{head}AWSLogs/" : $"{head}AWSLogs/{OrganizationId}/";
        }
    }

    /// <summary>Reads and validates the settings from a construct's context.</summary>
    /// <param name="node">Any node of the app (context is inherited).</param>
    /// <param name="repositoryRoot">Where relative <c>functionAsset</c> paths are resolved.</param>
    /// <exception cref="InfraConfigurationException">A value is missing its companion or is malformed.</exception>
    public static InfraSettings FromContext(Node node, string repositoryRoot)
    {
        string? Text(string key)
        {
            var value = node.TryGetContext(key);
            var text = value switch
            {
                null => null,
                string s => s,
                bool b => b ? "true" : "false",
                IConvertible c => c.ToString(CultureInfo.InvariantCulture),
                _ => throw new InfraConfigurationException(key, $"expected a string or number, got {value.GetType().Name}"),
            };
            return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        }

        int? Integer(string key, int min, int max)
        {
            var text = Text(key);
            if (text is null)
            {
                return null;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                || number != Math.Floor(number) || number < min || number > max)
            {
                throw new InfraConfigurationException(key, $"'{text}' is not a whole number from {min} to {max}");
            }

            return (int)number;
        }

        var bucket = Text("trailBucketName");
        if (bucket is not null && !BucketNamePattern().IsMatch(bucket))
        {
            throw new InfraConfigurationException("trailBucketName", $"'{bucket}' is not a valid S3 bucket name");
        }

        var keyPrefix = Text("trailKeyPrefix") ?? "";
        if (keyPrefix.Contains('*') || keyPrefix.Contains('?'))
        {
            throw new InfraConfigurationException("trailKeyPrefix", $"'{keyPrefix}' must be a literal prefix, without wildcards");
        }

        var kmsKey = Text("trailKmsKeyArn");
        if (kmsKey is not null)
        {
            if (bucket is null)
            {
                throw new InfraConfigurationException("trailKmsKeyArn", "is only meaningful with trailBucketName (an existing trail)");
            }

            if (!KeyArnPattern().IsMatch(kmsKey))
            {
                throw new InfraConfigurationException(
                    "trailKmsKeyArn", $"'{kmsKey}' is not a key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); an alias cannot scope an IAM policy");
            }
        }

        var organization = Text("organizationId");
        if (organization is not null && !OrganizationIdPattern().IsMatch(organization))
        {
            throw new InfraConfigurationException("organizationId", $"'{organization}' is not an organization id (o-…)");
        }

        var notification = Text("trailNotification")?.ToLowerInvariant() switch
        {
            null or "s3" => TrailNotification.S3,
            "eventbridge" => TrailNotification.EventBridge,
            var other => throw new InfraConfigurationException("trailNotification", $"'{other}' must be 's3' or 'eventbridge'"),
        };

        var asset = Text("functionAsset") ?? DefaultFunctionAsset;
        asset = Path.GetFullPath(Path.IsPathRooted(asset) ? asset : Path.Combine(repositoryRoot, asset));

        var account = Text("account");
        if (account is not null && !AccountPattern().IsMatch(account))
        {
            throw new InfraConfigurationException("account", $"'{account}' is not a 12-digit account id");
        }

        var region = Text("region");
        if (region is not null && !RegionPattern().IsMatch(region))
        {
            throw new InfraConfigurationException("region", $"'{region}' is not a region name");
        }

        var stackName = Text("stackName") ?? "KmsTrailAuditor";
        if (!StackNamePattern().IsMatch(stackName))
        {
            throw new InfraConfigurationException("stackName", $"'{stackName}' is not a CloudFormation stack name (letters, digits, '-', up to 64)");
        }

        return new InfraSettings
        {
            TrailBucketName = bucket,
            TrailKeyPrefix = keyPrefix,
            TrailKmsKeyArn = kmsKey,
            OrganizationId = organization,
            Notification = notification,
            FunctionAsset = asset,
            AlarmEmail = Text("alarmEmail"),
            IngestMaxConcurrency = Integer("ingestMaxConcurrency", 2, 1000) ?? 10,
            BackfillMaxConcurrency = Integer("backfillMaxConcurrency", 1, 10000) ?? 50,
            FindingsRetentionDays = Integer("findingsRetentionDays", 1, 36500),
            Account = account,
            Region = region,
            StackName = stackName,
        };
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketNamePattern();

    [GeneratedRegex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$")]
    private static partial Regex KeyArnPattern();

    [GeneratedRegex("^o-[a-z0-9]{10,32}$")]
    private static partial Regex OrganizationIdPattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,63}$")]
    private static partial Regex StackNamePattern();
}
