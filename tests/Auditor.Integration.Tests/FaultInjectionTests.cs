using Auditor.Testing;
using Xunit.Abstractions;

namespace Auditor.Integration.Tests;

/// <summary>
/// S3 misbehaving between the function and its buckets (issue 10, item 3): the published bootstrap reaches s3rver
/// through <see cref="FaultProxy"/>, which answers 500/503 or answers late. Every run is compared with a fault-free
/// run of the same objects: the same findings objects, byte for byte, and the same number of records read — no event lost.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class FaultInjectionTests : IDisposable
{
    private static readonly string[] Scenarios = ["grants-lifecycle", "key-deletion", "policy-changes"];

    private readonly LambdaEnvironment _env;
    private readonly ITestOutputHelper _output;
    private readonly IngestPipeline _pipeline;
    private readonly FaultProxy _proxy;
    private FunctionProcess? _function;
    private RuntimeApiEmulator? _lastApi;
    private string? _lastBucket;

    public FaultInjectionTests(LambdaEnvironment env, ITestOutputHelper output)
    {
        _env = env;
        _output = output;
        _pipeline = new IngestPipeline(env, Scenarios);
        _proxy = new FaultProxy(env.S3.Endpoint);
    }

    public void Dispose()
    {
        if (_function is not null) _output.WriteLine(_function.Transcript());
        _proxy.Dispose();
        _pipeline.Dispose();
    }

    /// <summary>Runs every batch through the proxy into a new findings bucket; returns the answers' failed ids and the findings.</summary>
    private async Task<(List<string> Failed, SortedDictionary<string, string> Findings, long EventsRead)> FaultyRunAsync(Func<DateTimeOffset>? deadline = null, string? dynamoEndpoint = null)
    {
        var bucket = _pipeline.NewFindingsBucket();
        var (function, api) = _pipeline.Start(bucket, _proxy.Endpoint, dynamoEndpoint);
        (_function, _lastApi, _lastBucket) = (function, api, bucket);
        var failed = new List<string>();
        foreach (var batch in _pipeline.Batches())
            failed.AddRange(IngestPipeline.FailedItems(await IngestPipeline.InvokeAsync(function, api, batch, (deadline ?? (() => DateTimeOffset.UtcNow.AddMinutes(2)))())));
        Assert.False(function.HasExited, function.Transcript());
        return (failed, await _pipeline.FindingsAsync(bucket), IngestPipeline.EventsRead(function));
    }

    private void Report(string fault)
    {
        var retried = _proxy.Requests.Where(r => r.Outcome == ProxyOutcome.InjectedError).Select(r => (r.Method, r.Path)).Distinct().Count();
        _output.WriteLine($"{fault}: requests {_proxy.Requests.Count}, faults injected {_proxy.FaultsInjected}, delayed {_proxy.Delayed}, paths retried {retried}");
    }

    [Fact]
    public async Task Transient_500_and_503_on_GetObject_and_PutObject_are_retried_and_every_object_is_processed()
    {
        var reference = await _pipeline.ReferenceRunAsync();
        // Every trail object: its first GET answers 500, its second 503 (two faults, then s3rver). Every findings
        // object: its first PUT answers 503.
        _proxy.Add(new FaultRule("GET", "/" + _pipeline.TrailBucket + "/", 1, Status: 500));
        _proxy.Add(new FaultRule("GET", "/" + _pipeline.TrailBucket + "/", 2, Status: 503));
        _proxy.Add(new FaultRule("PUT", "/findings-", 1, Status: 503));

        var (failed, findings, _) = await FaultyRunAsync();

        Assert.Empty(failed);
        Assert.Equal(reference, findings);
        Assert.Equal(_pipeline.Keys.Count * 3, _proxy.FaultsInjected);
        foreach (var key in _pipeline.Keys)
        {
            // Two faults then the real answer: the SDK retried each object's read twice, nothing more.
            Assert.Equal(3, _proxy.Count("GET", "/" + _pipeline.TrailBucket + "/" + key));
        }
        foreach (var findingsKey in findings.Keys)
            Assert.Equal(2, _proxy.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/" + findingsKey, StringComparison.Ordinal)));
        Assert.NotEmpty(IngestPipeline.Lines(findings));
        Report("transient 500/503");
    }

    [Fact]
    public async Task Slow_s3_answers_within_the_deadline_are_waited_for_and_every_object_is_processed()
    {
        var reference = await _pipeline.ReferenceRunAsync();
        // Three objects of the first batch answer their GET 2 s late, and the first three findings PUTs too: 12 s of
        // waiting in a batch whose deadline is 45 s away.
        foreach (var key in _pipeline.Keys.Take(3))
            _proxy.Add(new FaultRule("GET", "/" + _pipeline.TrailBucket + "/" + key, 1, Delay: TimeSpan.FromSeconds(2)));
        _proxy.Add(new FaultRule("PUT", "/findings-", 3, Delay: TimeSpan.FromSeconds(2), PerPath: false));

        var (failed, findings, _) = await FaultyRunAsync(deadline: () => DateTimeOffset.UtcNow.AddSeconds(45));

        Assert.Empty(failed);
        Assert.Equal(reference, findings);
        Assert.Equal(6, _proxy.Delayed);
        Assert.Equal(0, _proxy.FaultsInjected);
        // Waited for, not retried: one request per object read.
        foreach (var key in _pipeline.Keys)
            Assert.Equal(1, _proxy.Count("GET", "/" + _pipeline.TrailBucket + "/" + key));
        Report("slow answers (2 s)");
    }

    [Fact]
    public async Task S3_slower_than_the_deadline_fails_the_batch_items_in_time_and_their_redelivery_loses_nothing()
    {
        var reference = await _pipeline.ReferenceRunAsync();
        var bucket = _pipeline.NewFindingsBucket();
        var (function, api) = _pipeline.Start(bucket, _proxy.Endpoint);
        _function = function;
        var batches = _pipeline.Batches();
        // The first object's GET hangs 12 s; the invocation has 6 s (the handler stops 1.5 s before the deadline).
        var first = _pipeline.Keys[0];
        _proxy.Add(new FaultRule("GET", "/" + _pipeline.TrailBucket + "/" + first, 1, Delay: TimeSpan.FromSeconds(12)));

        var late = await IngestPipeline.InvokeAsync(function, api, batches[0], DateTimeOffset.UtcNow.AddSeconds(6));

        // An answer, not a timeout: every item of the batch is handed back to the queue (none was finished).
        var failed = IngestPipeline.FailedItems(late);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m-{i:D3}"), failed);
        Assert.Contains(function.Logs("object failed"), l => l.GetProperty("reason").GetString()!.Contains("deadline", StringComparison.Ordinal));
        Assert.False(function.HasExited);

        // The queue redelivers the batch to the same sandbox, S3 answers in time now, and the rest follows.
        _proxy.Heal();
        foreach (var batch in batches)
            Assert.Empty(IngestPipeline.FailedItems(await IngestPipeline.InvokeAsync(function, api, batch)));
        Assert.Equal(reference, await _pipeline.FindingsAsync(bucket));
        Report("S3 slower than the deadline");
    }

    [Fact]
    public async Task An_object_whose_GetObject_always_fails_fails_only_its_batch_item_and_loses_no_other_event()
    {
        var reference = await _pipeline.ReferenceRunAsync();
        var referenceRun = await ReferenceEventsAsync();
        // The third object of the first batch: S3 never recovers for it.
        int victim = 2;
        var victimKey = _pipeline.Keys[victim];
        _proxy.Add(new FaultRule("GET", "/" + _pipeline.TrailBucket + "/" + victimKey, int.MaxValue, Status: 500));

        var (failed, findings, eventsRead) = await FaultyRunAsync();

        Assert.Equal([$"m-{victim:D3}"], failed);
        int attempts = _proxy.Count("GET", "/" + _pipeline.TrailBucket + "/" + victimKey);
        Assert.True(attempts >= 2, $"the SDK made {attempts} attempt(s) at the failing object; it must retry a 500");
        Assert.Equal(attempts, _proxy.FaultsInjected);
        var reason = Assert.Single(_function!.Logs("object failed")).GetProperty("reason").GetString()!;
        Assert.Contains($"s3://{_pipeline.TrailBucket}/{victimKey}", reason, StringComparison.Ordinal);
        Assert.Contains("InternalError", reason, StringComparison.Ordinal);

        // Every other object: read in full (events lost = 0 outside the failed item) and its findings object written.
        Assert.Equal(referenceRun.EventsRead - referenceRun.PerKey[victimKey], eventsRead);
        Assert.Equal(_pipeline.Keys.Count - 1, findings.Count);
        Assert.All(findings.Keys, k => Assert.True(reference.ContainsKey(k), $"{k} is not in the fault-free run"));
        Report("GetObject failing for one object");

        // S3 heals and the queue redelivers the failed item alone: nothing is lost overall. The victim's findings
        // object appears, and the findings (de-duplicated by id, as the report and Athena read them) are the
        // fault-free run's, although the late object re-judged earlier calls instead of being judged in order.
        _proxy.Heal();
        var redelivery = Events.SqsBatch(($"m-{victim:D3}", Events.S3Notification(_pipeline.TrailBucket, victimKey)));
        var (function, api) = (_function!, _lastApi!);
        Assert.Empty(IngestPipeline.FailedItems(await IngestPipeline.InvokeAsync(function, api, redelivery)));
        var healed = await _pipeline.FindingsAsync(_lastBucket!);
        Assert.Equal(reference.Keys, healed.Keys);
        Assert.Equal(referenceRun.EventsRead, IngestPipeline.EventsRead(function));
        Assert.Equal(Ids(reference), Ids(healed));
    }

    [Fact]
    public async Task Transient_DynamoDB_errors_are_retried_and_the_findings_are_unchanged()
    {
        var reference = await _pipeline.ReferenceRunAsync();
        using var dynamo = new FaultProxy(_env.Dynamo.Endpoint);
        // Every 4th state request (reads, batch writes, conditional updates alike) fails: 500 on every 8th, 503 on the others.
        dynamo.Add(new FaultRule("POST", "/", int.MaxValue, Status: 500, PerPath: false, EveryNth: 8));
        dynamo.Add(new FaultRule("POST", "/", int.MaxValue, Status: 503, PerPath: false, EveryNth: 4));

        var (failed, findings, _) = await FaultyRunAsync(dynamoEndpoint: dynamo.Endpoint);

        Assert.Empty(failed);
        Assert.Equal(reference, findings);
        Assert.True(dynamo.FaultsInjected >= _pipeline.Keys.Count, $"only {dynamo.FaultsInjected} DynamoDB faults were injected");
        _output.WriteLine($"DynamoDB 500/503: requests {dynamo.Requests.Count}, faults injected {dynamo.FaultsInjected}");
    }

    [Fact]
    public async Task DynamoDB_writes_applied_but_answered_500_are_retried_without_changing_the_findings()
    {
        var reference = await _pipeline.ReferenceRunAsync();
        using var dynamo = new FaultProxy(_env.Dynamo.Endpoint);
        // The ambiguous outcome: every 5th state request reaches dynalite (a write takes effect) and the function is
        // told 500. Its retry then meets its own write: an idempotent put succeeds again, a conditional update finds
        // its condition already changed — which must not change a finding.
        dynamo.Add(new FaultRule("POST", "/", int.MaxValue, Status: 500, PerPath: false, EveryNth: 5, AfterForward: true));

        var (failed, findings, _) = await FaultyRunAsync(dynamoEndpoint: dynamo.Endpoint);

        Assert.Empty(failed);
        Assert.Equal(reference, findings);
        Assert.True(dynamo.FaultsInjected >= _pipeline.Keys.Count, $"only {dynamo.FaultsInjected} DynamoDB faults were injected");
        _output.WriteLine($"DynamoDB applied-then-500: requests {dynamo.Requests.Count}, faults injected {dynamo.FaultsInjected}");
    }

    private static SortedSet<string> Ids(SortedDictionary<string, string> findings) =>
        new(IngestPipeline.Lines(findings).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!), StringComparer.Ordinal);

    /// <summary>The records each object holds, as a fault-free function reads them.</summary>
    private async Task<(long EventsRead, Dictionary<string, long> PerKey)> ReferenceEventsAsync()
    {
        var bucket = _pipeline.NewFindingsBucket();
        var (function, api) = _pipeline.Start(bucket);
        foreach (var batch in _pipeline.Batches())
            Assert.Empty(IngestPipeline.FailedItems(await IngestPipeline.InvokeAsync(function, api, batch)));
        var perKey = function.Logs("object audited").ToDictionary(
            l => l.GetProperty("object").GetString()!["s3://".Length..].Split('/', 2)[1],
            l => l.GetProperty("eventsRead").GetInt64());
        var total = IngestPipeline.EventsRead(function);
        function.Dispose();
        return (total, perKey);
    }
}
