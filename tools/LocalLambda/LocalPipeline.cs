using Auditor.Testing;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Auditor.LocalLambda;

/// <summary>A failure of the local run that the user must see in one line (what failed and what to do).</summary>
public sealed class LocalPipelineException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The local pipeline: sample trail objects → trail bucket (s3rver) → SQS batches of their S3 notifications →
/// the native ingest bootstrap (state in dynalite) → findings objects → a summary on the terminal.
/// </summary>
internal sealed class LocalPipeline(LocalOptions options, TextWriter output)
{
    /// <summary>s3rver's built-in key pair (it verifies SigV4 signatures against it); dynalite accepts anything.</summary>
    private const string AccessKey = "S3RVER";
    private const string SecretKey = "S3RVER";
    private static readonly TimeSpan FunctionTimeout = TimeSpan.FromMinutes(5);
    private static readonly string[] SeverityOrder = ["critical", "high", "medium", "low", "info"];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
        {
            ServiceURL = options.S3Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        foreach (var bucket in new[] { options.TrailBucket, options.FindingsBucket })
            await CreateBucketAsync(s3, bucket, cancellationToken);

        var objects = Discover(options.Samples);
        if (objects.Count == 0) throw new LocalPipelineException($"no *.json.gz trail object under {options.Samples}");
        foreach (var (key, file) in objects)
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = options.TrailBucket, Key = key, FilePath = file, UseChunkEncoding = false }, cancellationToken);
        output.WriteLine($"uploaded {objects.Count} trail objects from {options.Samples} to s3://{options.TrailBucket}/AWSLogs/…");

        using var api = new RuntimeApiEmulator();
        using var function = new BootstrapProcess(options.Bootstrap, Environment(api), options.LogFile);
        var ready = await Task.WhenAny(api.FirstNextRequest, api.InitError, function.Exited, Task.Delay(TimeSpan.FromSeconds(60), cancellationToken));
        if (ready != api.FirstNextRequest)
        {
            var why = ready == api.InitError ? $"init error {api.InitError.Result.ErrorTypeHeader}: {api.InitError.Result.Body}" : ready == function.Exited ? "it exited" : "it did not ask for an event within 60 s";
            throw new LocalPipelineException($"the bootstrap did not start ({why}):\n{function.Tail()}");
        }

        var batches = objects.Select((o, i) => (Id: $"msg-{i + 1:D4}", Body: S3Notification(options.TrailBucket, o.Key))).Chunk(options.BatchSize).ToList();
        int failedItems = 0;
        for (int b = 0; b < batches.Count; b++)
        {
            var invocation = api.InvokeAsync(SqsBatch(batches[b]), new InvocationHeaders { Deadline = DateTimeOffset.UtcNow + FunctionTimeout });
            var done = await Task.WhenAny(invocation, function.Exited, Task.Delay(FunctionTimeout + TimeSpan.FromSeconds(30), cancellationToken));
            if (done != invocation) throw new LocalPipelineException($"batch {b + 1} got no answer ({(done == function.Exited ? "the bootstrap exited" : "timeout")}):\n{function.Tail()}");
            var answer = await invocation;
            if (answer.IsError) throw new LocalPipelineException($"batch {b + 1} failed as an invocation ({answer.ErrorTypeHeader}): {answer.Body}");
            var failed = FailedItems(answer.Body);
            failedItems += failed.Count;
            output.WriteLine($"batch {b + 1}/{batches.Count}: {batches[b].Length} messages → {answer.Body}");
        }

        var audited = Logs(function, "object audited");
        long records = audited.Sum(l => l.GetProperty("eventsRead").GetInt64());
        long kms = audited.Sum(l => l.GetProperty("kmsEvents").GetInt64());
        var findings = await ReadFindingsAsync(s3, cancellationToken);
        var lines = findings.SelectMany(f => f.Lines).ToList();

        output.WriteLine();
        output.WriteLine($"ingest read {records:N0} records ({kms:N0} KMS events) from {audited.Count} objects; {failedItems} batch items failed");
        output.WriteLine($"{findings.Count} findings objects in s3://{options.FindingsBucket}/findings/ holding {lines.Count} findings ({lines.Select(l => l.Id).Distinct().Count()} distinct ids):");
        foreach (var partition in findings.GroupBy(f => f.Key.Split('/')[1]).OrderBy(g => g.Key, StringComparer.Ordinal))
            output.WriteLine($"  {partition.Key}: {partition.Count()} objects, {partition.Sum(f => f.Lines.Count)} findings");
        output.WriteLine();
        output.WriteLine("findings by rule:");
        foreach (var rule in lines.GroupBy(l => (l.Rule, l.Severity)).OrderBy(g => Rank(g.Key.Severity)).ThenBy(g => g.Key.Rule, StringComparer.Ordinal))
            output.WriteLine($"  {rule.Count(),4}  {rule.Key.Severity,-8} {rule.Key.Rule}");
        output.WriteLine();
        output.WriteLine($"first {Math.Min(options.Show, lines.Count)} findings (most severe first):");
        foreach (var f in lines.OrderBy(l => Rank(l.Severity)).ThenBy(l => l.EventTime, StringComparer.Ordinal).ThenBy(l => l.Id, StringComparer.Ordinal).Take(options.Show))
            output.WriteLine($"  [{f.Severity}] {f.Rule} {f.EventTime} {f.EventName}: {f.Title}\n      s3://{options.FindingsBucket}/{f.Object}");
        if (options.CompareWith is { } replayFindings) return Compare(lines, replayFindings) && failedItems == 0 ? 0 : 1;
        return failedItems == 0 ? 0 : 1;
    }

    /// <summary>
    /// The findings of the function, de-duplicated by id (as the report and Athena read them: a re-judged finding
    /// is written again by a later object), against <c>auditor replay</c>'s findings.jsonl of the same trails.
    /// </summary>
    private bool Compare(List<FindingLine> lines, string replayFindings)
    {
        var replay = File.ReadLines(replayFindings).Where(l => l.Length > 0).Select(l => FindingLine.Parse(l, "")).ToList();
        var ours = lines.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var theirs = replay.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        output.WriteLine();
        if (ours.SetEquals(theirs))
        {
            output.WriteLine($"same {ours.Count} finding ids as `auditor replay` ({replayFindings})");
            return true;
        }
        output.WriteLine($"DIFFERENT from `auditor replay` ({replayFindings}): {ours.Count} ids here, {theirs.Count} there");
        foreach (var f in lines.Where(l => !theirs.Contains(l.Id)).DistinctBy(l => l.Id)) output.WriteLine($"  only in Lambda: {f.Rule} {f.EventTime} {f.Id}");
        foreach (var f in replay.Where(l => !ours.Contains(l.Id))) output.WriteLine($"  only in replay: {f.Rule} {f.EventTime} {f.Id}");
        return false;
    }

    private Dictionary<string, string> Environment(RuntimeApiEmulator api) => new()
    {
        ["AWS_LAMBDA_RUNTIME_API"] = api.Address,
        ["_HANDLER"] = "ingest",
        ["AWS_LAMBDA_FUNCTION_NAME"] = "auditor-ingest",
        ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
        ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_ENDPOINT_URL_S3"] = options.S3Endpoint,
        ["AWS_ENDPOINT_URL_DYNAMODB"] = options.DynamoEndpoint,
        ["AUDITOR_FINDINGS_BUCKET"] = options.FindingsBucket,
        ["AUDITOR_STATE_TABLE"] = options.StateTable,
        ["AUDITOR_CREATE_STATE_TABLE"] = "true",
        // One object at a time, in delivery order, as a FIFO-ish trickle would give them: the output is then the same on every run.
        ["AUDITOR_INGEST_PARALLELISM"] = "1",
    };

    private static async Task CreateBucketAsync(AmazonS3Client s3, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            throw new LocalPipelineException($"could not create bucket {bucket} on {s3.Config.ServiceURL}: {e.Message}", e);
        }
    }

    /// <summary>Every gzip trail object under the samples, keyed as CloudTrail keys it (from <c>AWSLogs/</c>), in delivery order.</summary>
    internal static List<(string Key, string File)> Discover(string samples)
    {
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(samples, "*.json.gz", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(samples, file).Replace('\\', '/');
            int at = relative.StartsWith("AWSLogs/", StringComparison.Ordinal) ? 0 : relative.IndexOf("/AWSLogs/", StringComparison.Ordinal) + 1;
            var key = at > 0 || relative.StartsWith("AWSLogs/", StringComparison.Ordinal) ? relative[at..] : relative;
            // CloudTrail names are unique per object; a copy under two scenarios keeps its scenario as a prefix.
            if (!byKey.TryAdd(key, file)) byKey[relative] = file;
        }
        return byKey.Select(kv => (kv.Key, kv.Value))
            .OrderBy(o => DeliveryStamp(o.Key), StringComparer.Ordinal).ThenBy(o => o.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The <c>YYYYMMDDTHHmmZ</c> of a CloudTrail object name (when it was delivered), else the name.</summary>
    private static string DeliveryStamp(string key)
    {
        var parts = Path.GetFileName(key).Split('_');
        return parts.Length >= 5 ? parts[3] : Path.GetFileName(key);
    }

    private async Task<List<FindingsObject>> ReadFindingsAsync(AmazonS3Client s3, CancellationToken cancellationToken)
    {
        var result = new List<FindingsObject>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.FindingsBucket, Prefix = "findings/", ContinuationToken = token }, cancellationToken);
            foreach (var o in page.S3Objects ?? [])
            {
                using var get = await s3.GetObjectAsync(options.FindingsBucket, o.Key, cancellationToken);
                using var reader = new StreamReader(get.ResponseStream);
                var lines = new List<FindingLine>();
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                    if (line.Length > 0) lines.Add(FindingLine.Parse(line, o.Key));
                result.Add(new FindingsObject(o.Key, lines));
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
        return result;
    }

    private static int Rank(string severity) => Array.IndexOf(SeverityOrder, severity) is var i and >= 0 ? i : SeverityOrder.Length;

    private static List<JsonElement> Logs(BootstrapProcess function, string message) =>
        function.Stdout.Select(TryParse).OfType<JsonElement>()
            .Where(l => l.TryGetProperty("message", out var m) && m.GetString() == message).ToList();

    private static JsonElement? TryParse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<string> FailedItems(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("batchItemFailures", out var f)
            ? f.EnumerateArray().Select(e => e.GetProperty("itemIdentifier").GetString() ?? "").ToList()
            : [];
    }

    internal static string S3Notification(string bucket, string key) =>
        "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",\"eventTime\":" + Str(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture)) + ","
        + "\"eventName\":\"ObjectCreated:Put\",\"userIdentity\":{\"principalId\":\"AWS:AROAEXAMPLE:cloudtrail\"},"
        + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"trail\",\"bucket\":{\"name\":" + Str(bucket) + ",\"arn\":" + Str("arn:aws:s3:::" + bucket) + "},"
        + "\"object\":{\"key\":" + Str(WebUtility.UrlEncode(key)) + ",\"size\":1,\"sequencer\":\"0A\"}}}]}";

    internal static string SqsBatch(IEnumerable<(string Id, string Body)> messages) =>
        "{\"Records\":[" + string.Join(",", messages.Select(m =>
            "{\"messageId\":" + Str(m.Id) + ",\"receiptHandle\":\"local\",\"body\":" + Str(m.Body)
            + ",\"attributes\":{\"ApproximateReceiveCount\":\"1\"},\"eventSource\":\"aws:sqs\",\"eventSourceARN\":\"arn:aws:sqs:us-east-1:111122223333:auditor-trail-objects\",\"awsRegion\":\"us-east-1\"}")) + "]}";

    private static string Str(string s) => JsonSerializer.Serialize(s, LocalJson.Default.String);

    private sealed record FindingsObject(string Key, List<FindingLine> Lines);

    private sealed record FindingLine(string Id, string Rule, string Severity, string EventTime, string EventName, string Title, string Object)
    {
        public static FindingLine Parse(string line, string objectKey)
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            string Get(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            return new FindingLine(Get("id"), Get("rule"), Get("severity"), Get("eventTime"), Get("eventName"), Get("title"), objectKey);
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class LocalJson : System.Text.Json.Serialization.JsonSerializerContext;
