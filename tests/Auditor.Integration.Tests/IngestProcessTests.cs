using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Auditor.Testing;
using Xunit.Abstractions;

namespace Auditor.Integration.Tests;

/// <summary>The published native bootstrap, run as a process under a Runtime API emulator, against a real s3rver.</summary>
[Collection(LambdaCollection.Name)]
public sealed class IngestProcessTests : IDisposable
{
    private const string RealKey = "AWSLogs/650992545562/CloudTrail/us-west-2/2022/01/03/650992545562_CloudTrail_us-west-2_20220103T1915Z_LwA4RXRzImDPnQAL.json.gz";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly LambdaEnvironment _env;
    private readonly ITestOutputHelper _output;
    private readonly AmazonS3Client _s3;
    private readonly RuntimeApiEmulator _api = new();
    private readonly string _trailBucket = "trail-" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _findingsBucket = "findings-" + Guid.NewGuid().ToString("N")[..10];
    private FunctionProcess? _function;

    public IngestProcessTests(LambdaEnvironment env, ITestOutputHelper output)
    {
        _env = env;
        _output = output;
        _s3 = env.S3.CreateClient();
        _s3.PutBucketAsync(_trailBucket).GetAwaiter().GetResult();
        _s3.PutBucketAsync(_findingsBucket).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (_function is not null) _output.WriteLine(_function.Transcript());
        _function?.Dispose();
        _api.Dispose();
        _s3.Dispose();
    }

    private FunctionProcess Start(Action<Dictionary<string, string>>? configure = null)
    {
        var vars = _env.IngestEnvironment(_api, _findingsBucket);
        configure?.Invoke(vars);
        return _function = new FunctionProcess(_env.Bootstrap.Path_, vars);
    }

    /// <summary>The runtime's answer; fails at once with the transcript when the process dies first.</summary>
    private async Task<InvocationOutcome> Answered(Task<InvocationOutcome> outcome)
    {
        var function = _function ?? throw new InvalidOperationException("start the function first");
        var first = await Task.WhenAny(outcome, function.Exited, Task.Delay(Patience));
        if (first == outcome) return await outcome;
        throw new Xunit.Sdk.XunitException((first == function.Exited ? "bootstrap exited before answering" : $"no answer within {Patience}") + ":\n" + function.Transcript());
    }

    private static byte[] RealObject() => File.ReadAllBytes(Path.Combine(RepoPaths.RealTrails, "cribl-controltower-2022", RealKey));

    private async Task PutAsync(string key, byte[] bytes) =>
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _trailBucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false });

    private string ExpectedFindingsKey(string day, string key) =>
        $"findings/dt={day}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_trailBucket + "/" + key)))}.jsonl";

    private async Task<List<S3Object>> FindingsObjectsAsync() =>
        (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _findingsBucket, Prefix = "findings/" })).S3Objects ?? [];

    private async Task<string> ReadAsync(string bucket, string key)
    {
        using var response = await _s3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private static string[] FailedIds(InvocationOutcome outcome)
    {
        Assert.False(outcome.IsError, outcome.Body);
        using var doc = JsonDocument.Parse(outcome.Body);
        return doc.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(e => e.GetProperty("itemIdentifier").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task A_trail_objects_s3_event_writes_its_findings_object_with_the_readers_counts()
    {
        await PutAsync(RealKey, RealObject());
        var function = Start(v => v["AUDITOR_EXPECTED_BUCKET_OWNER"] = "111122223333");

        var outcome = await Answered(_api.InvokeAsync(Events.S3Notification(_trailBucket, RealKey), new InvocationHeaders { RequestId = "req-s3-1" }));
        double coldStartMs = Stopwatch.GetElapsedTime(function.StartedAt).TotalMilliseconds;

        Assert.False(outcome.IsError, outcome.Body + function.Transcript());
        Assert.Equal("""{"objects":1,"findings":0,"ignored":0}""", outcome.Body);
        var expectedKey = ExpectedFindingsKey("2022-01-03", RealKey);
        Assert.Equal([expectedKey], (await FindingsObjectsAsync()).Select(o => o.Key));
        // The one Decrypt is on a key the state knows nothing about (no policy): no authorization finding can be made.
        Assert.Equal("", await ReadAsync(_findingsBucket, expectedKey));

        // The reader's counts, from the function's own log, against an independent count of the same object.
        using var gz = new GZipStream(new MemoryStream(RealObject()), CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        var records = doc.RootElement.GetProperty("Records").EnumerateArray().ToList();
        var audited = Assert.Single(function.Logs("object audited"));
        Assert.Equal(records.Count, audited.GetProperty("eventsRead").GetInt64());
        Assert.Equal(records.Count(r => r.GetProperty("eventSource").GetString() == "kms.amazonaws.com"), audited.GetProperty("kmsEvents").GetInt64());
        Assert.Equal("req-s3-1", audited.GetProperty("requestId").GetString());
        var emf = function.JsonLines().Single(l => l.TryGetProperty("_aws", out _) && l.TryGetProperty("EventsRead", out _));
        Assert.Equal(records.Count, emf.GetProperty("EventsRead").GetInt64());
        Assert.Equal(0, emf.GetProperty("ObjectsFailed").GetInt32());
        _output.WriteLine($"cold start (process start to first invocation answered): {coldStartMs:F0} ms");
    }

    [Fact]
    public async Task Redelivery_of_the_same_notification_overwrites_instead_of_duplicating()
    {
        await PutAsync(RealKey, RealObject());
        Start();
        var message = Events.S3Notification(_trailBucket, RealKey);

        var first = await Answered(_api.InvokeAsync(Events.SqsBatch(("m-1", message))));
        var afterFirst = await FindingsObjectsAsync();
        var second = await Answered(_api.InvokeAsync(Events.SqsBatch(("m-1", message))));
        var afterSecond = await FindingsObjectsAsync();

        Assert.Empty(FailedIds(first));
        Assert.Empty(FailedIds(second));
        Assert.Single(afterFirst);
        Assert.Equal(afterFirst.Select(o => (o.Key, o.ETag)), afterSecond.Select(o => (o.Key, o.ETag)));
        // The redelivery is recognised (same key and ETag) and skipped; the findings object stands as written.
        Assert.Single(_function!.Logs("object audited"));
        Assert.Single(_function!.Logs("object skipped"));
    }

    [Fact]
    public async Task A_poison_object_a_missing_object_and_a_garbage_message_fail_only_their_batch_items()
    {
        var good = "AWSLogs/650992545562/CloudTrail/us-west-2/2022/01/03/good.json.gz";
        var poison = "AWSLogs/650992545562/CloudTrail/us-west-2/2022/01/03/poison.json.gz";
        var bytes = RealObject();
        await PutAsync(good, bytes);
        await PutAsync(poison, bytes[..(bytes.Length / 2)]); // a truncated gzip stream
        var function = Start();

        var outcome = await Answered(_api.InvokeAsync(Events.SqsBatch(
            ("ok", Events.S3Notification(_trailBucket, good)),
            ("poison", Events.S3Notification(_trailBucket, poison)),
            ("missing", Events.S3Notification(_trailBucket, "AWSLogs/650992545562/CloudTrail/us-west-2/2022/01/03/never-written.json.gz")),
            ("garbage", "this is not json at all {{{"))));

        Assert.Equal(["garbage", "missing", "poison"], FailedIds(outcome));
        Assert.Contains(ExpectedFindingsKey("2022-01-03", good), (await FindingsObjectsAsync()).Select(o => o.Key));
        var failures = function.Logs("object failed").Select(l => l.GetProperty("reason").GetString()!).ToList();
        Assert.Contains(failures, r => r.Contains($"s3://{_trailBucket}/{poison}", StringComparison.Ordinal));
        Assert.Contains(failures, r => r.Contains("never-written.json.gz", StringComparison.Ordinal) && r.Contains("NoSuchKey", StringComparison.Ordinal));

        // The process survived the bad batch and serves the next invocation.
        var next = await Answered(_api.InvokeAsync(Events.SqsBatch(("again", Events.S3Notification(_trailBucket, good)))));
        Assert.Empty(FailedIds(next));
        Assert.False(function.HasExited);
    }

    [Fact]
    public async Task A_key_with_spaces_and_plus_signs_is_decoded_to_the_stored_object()
    {
        var key = "AWSLogs/650992545562/CloudTrail/us-west-2/2022/01/03/copy of c++ trail.json.gz";
        await PutAsync(key, RealObject());
        Start();

        var outcome = await Answered(_api.InvokeAsync(Events.SqsBatch(("m", Events.S3Notification(_trailBucket, key)))));

        Assert.Empty(FailedIds(outcome));
        Assert.Equal([ExpectedFindingsKey("2022-01-03", key)], (await FindingsObjectsAsync()).Select(o => o.Key));
    }

    [Fact]
    public async Task The_gc_heap_is_capped_from_the_function_memory_size()
    {
        var function = Start();
        await _api.FirstNextRequest.WaitAsync(Patience);
        var ready = Assert.Single(function.Logs("ready"));

        ulong expected = 256UL * 1024 * 1024 * 8 / 10;
        Assert.Equal(expected, ready.GetProperty("gcHeapHardLimit").GetUInt64());
        // What the GC itself now reports: proof the limit took effect in the native-AOT runtime, not just that we asked.
        Assert.Equal((long)expected, ready.GetProperty("gcTotalAvailableBytes").GetInt64());
    }

    [Fact]
    public async Task A_misconfigured_handler_is_an_init_error_and_the_process_exits()
    {
        var function = Start(v =>
        {
            v["_HANDLER"] = "snapshot";
            v.Remove("AUDITOR_STATE_TABLE");
        });

        var init = await _api.InitError.WaitAsync(Patience);

        Assert.Equal("Runtime.InvalidConfiguration", init.ErrorTypeHeader);
        Assert.Contains("AUDITOR_STATE_TABLE", init.Body);
        Assert.Equal(1, function.WaitForExit(Patience));
    }

    [Fact]
    public async Task A_retirement_delivered_later_makes_a_later_invocation_report_the_earlier_calls()
    {
        var scenario = Path.Combine(RepoPaths.Root, "sample-events", "grants-lifecycle");
        var files = Directory.GetFiles(scenario, "*.json.gz", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(scenario, p).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        var retire = files.Single(f => f.Contains("20261008T1125Z", StringComparison.Ordinal));
        foreach (var f in files) await PutAsync(f, File.ReadAllBytes(Path.Combine(scenario, f)));
        Start();

        foreach (var f in files.Where(f => f != retire))
            Assert.Empty(FailedIds(await Answered(_api.InvokeAsync(Events.SqsBatch(("m-" + f[^20..], Events.S3Notification(_trailBucket, f)))))));
        Assert.Empty(FailedIds(await Answered(_api.InvokeAsync(Events.SqsBatch(("m-retire", Events.S3Notification(_trailBucket, retire)))))));

        var late = await ReadAsync(_findingsBucket, ExpectedFindingsKey("2026-10-08", retire));
        var rules = late.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("rule").GetString(), e.GetProperty("eventId").GetString(), e.GetProperty("severity").GetString())).ToList();
        Assert.Contains(("retired-grant-use", "43982b75-0eb2-46cb-90cc-afeac90f557f", "high"), rules);
        Assert.Contains(("retired-grant-use", "029432cb-d15a-482d-b97a-1745352975c2", "high"), rules);

        // Redelivery of the late object: the same bytes, no new object.
        var before = await FindingsObjectsAsync();
        Assert.Empty(FailedIds(await Answered(_api.InvokeAsync(Events.SqsBatch(("m-retire-2", Events.S3Notification(_trailBucket, retire)))))));
        Assert.Equal(late, await ReadAsync(_findingsBucket, ExpectedFindingsKey("2026-10-08", retire)));
        Assert.Equal(before.Count, (await FindingsObjectsAsync()).Count);
    }
}
