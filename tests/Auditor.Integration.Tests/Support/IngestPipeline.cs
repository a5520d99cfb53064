using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;

namespace Auditor.Testing;

/// <summary>
/// A trail bucket holding sample scenarios, and runs of the published <c>ingest</c> bootstrap over SQS batches of
/// their S3 notifications, each run into its own findings bucket and state table (so a faulty run and a fault-free
/// run of the same objects can be compared: the findings object key depends only on the trail bucket and key).
/// </summary>
public sealed class IngestPipeline : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly LambdaEnvironment _env;
    private readonly List<IDisposable> _owned = [];

    public IngestPipeline(LambdaEnvironment env, params string[] scenarios)
    {
        _env = env;
        S3 = env.S3.CreateClient();
        S3.PutBucketAsync(TrailBucket).GetAwaiter().GetResult();
        var objects = new List<string>();
        foreach (var scenario in scenarios)
        {
            var dir = Path.Combine(RepoPaths.Root, "sample-events", scenario);
            foreach (var file in Directory.GetFiles(dir, "*.json.gz", SearchOption.AllDirectories))
            {
                // The scenario as a prefix keeps keys unique across scenarios; the CloudTrail date path stays intact.
                var key = scenario + "/" + Path.GetRelativePath(dir, file).Replace('\\', '/');
                S3.PutObjectAsync(new PutObjectRequest { BucketName = TrailBucket, Key = key, FilePath = file, UseChunkEncoding = false }).GetAwaiter().GetResult();
                objects.Add(key);
            }
        }
        // Delivery order: the time CloudTrail stamped in the file name, then the key (deterministic across runs).
        Keys = objects.OrderBy(k => Path.GetFileName(k).Split('_')[3], StringComparer.Ordinal).ThenBy(k => k, StringComparer.Ordinal).ToList();
    }

    public string TrailBucket { get; } = "trail-" + Guid.NewGuid().ToString("N")[..10];
    public AmazonS3Client S3 { get; }

    /// <summary>The objects in delivery order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The SQS batches (at most 10 messages each, message id <c>m-INDEX</c>) that deliver <see cref="Keys"/>.</summary>
    public IReadOnlyList<string> Batches(int size = 10) =>
        Keys.Select((k, i) => (Id: $"m-{i:D3}", Body: Events.S3Notification(TrailBucket, k)))
            .Chunk(size).Select(chunk => Events.SqsBatch(chunk)).ToList();

    /// <summary>A fresh findings bucket (the state table is named after it).</summary>
    public string NewFindingsBucket()
    {
        var bucket = "findings-" + Guid.NewGuid().ToString("N")[..10];
        S3.PutBucketAsync(bucket).GetAwaiter().GetResult();
        return bucket;
    }

    /// <summary>Starts a bootstrap (with its own Runtime API emulator) for a findings bucket; S3 and DynamoDB reached directly or through the endpoints given.</summary>
    public (FunctionProcess Function, RuntimeApiEmulator Api) Start(string findingsBucket, string? s3Endpoint = null, string? dynamoEndpoint = null)
    {
        var api = new RuntimeApiEmulator();
        var vars = _env.IngestEnvironment(api, findingsBucket);
        if (s3Endpoint is not null) vars["AWS_ENDPOINT_URL_S3"] = s3Endpoint;
        if (dynamoEndpoint is not null) vars["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoEndpoint;
        // One object at a time: the order in which objects reach the state decides which findings object a re-judged
        // finding lands in, so comparing runs byte for byte needs the same order.
        vars["AUDITOR_INGEST_PARALLELISM"] = "1";
        var function = new FunctionProcess(_env.Bootstrap.Path_, vars);
        _owned.Add(function);
        _owned.Add(api);
        return (function, api);
    }

    /// <summary>Invokes and waits for the answer; fails at once with the transcript when the process dies first.</summary>
    public static async Task<InvocationOutcome> InvokeAsync(FunctionProcess function, RuntimeApiEmulator api, string payload, DateTimeOffset? deadline = null)
    {
        var outcome = api.InvokeAsync(payload, new InvocationHeaders { Deadline = deadline });
        var first = await Task.WhenAny(outcome, function.Exited, Task.Delay(Patience));
        if (first == outcome) return await outcome;
        throw new Xunit.Sdk.XunitException((first == function.Exited ? "bootstrap exited before answering" : $"no answer within {Patience}") + ":\n" + function.Transcript());
    }

    /// <summary>A fault-free run of every batch into a new findings bucket: the reference the faulty runs must equal.</summary>
    public async Task<SortedDictionary<string, string>> ReferenceRunAsync()
    {
        var bucket = NewFindingsBucket();
        var (function, api) = Start(bucket);
        foreach (var batch in Batches())
            Assert.Empty(FailedItems(await InvokeAsync(function, api, batch)));
        function.Dispose();
        return await FindingsAsync(bucket);
    }

    /// <summary>The message ids an SQS answer lists in <c>batchItemFailures</c>, sorted.</summary>
    public static string[] FailedItems(InvocationOutcome outcome)
    {
        Assert.False(outcome.IsError, outcome.Body);
        using var doc = JsonDocument.Parse(outcome.Body);
        return doc.RootElement.GetProperty("batchItemFailures").EnumerateArray()
            .Select(e => e.GetProperty("itemIdentifier").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every findings object of a bucket: key → content.</summary>
    public async Task<SortedDictionary<string, string>> FindingsAsync(string findingsBucket)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = findingsBucket, Prefix = "findings/", ContinuationToken = token });
            foreach (var o in page.S3Objects ?? [])
            {
                using var get = await S3.GetObjectAsync(findingsBucket, o.Key);
                using var reader = new StreamReader(get.ResponseStream);
                all[o.Key] = await reader.ReadToEndAsync();
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
        return all;
    }

    /// <summary>The finding lines of a run (all objects), for counting and duplicate checks.</summary>
    public static List<string> Lines(SortedDictionary<string, string> findings) =>
        findings.Values.SelectMany(v => v.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();

    /// <summary>Sum of <c>eventsRead</c> over the function's "object audited" logs (records the function read).</summary>
    public static long EventsRead(FunctionProcess function) =>
        function.Logs("object audited").Sum(l => l.GetProperty("eventsRead").GetInt64());

    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned)) d.Dispose();
        S3.Dispose();
    }
}
