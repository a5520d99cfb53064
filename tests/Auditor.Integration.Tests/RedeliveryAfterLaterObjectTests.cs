using System.Text.Json;
using Auditor.Testing;
using Xunit.Abstractions;

namespace Auditor.Integration.Tests;

/// <summary>
/// At-least-once delivery: SQS may hand an object back after later objects were processed (a visibility timeout, a
/// whole batch redelivered after a crash). CONTRACT section 7: "a redelivered object never duplicates a finding".
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class RedeliveryAfterLaterObjectTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly IngestPipeline _pipeline;

    public RedeliveryAfterLaterObjectTests(LambdaEnvironment env, ITestOutputHelper output)
    {
        _output = output;
        _pipeline = new IngestPipeline(env, "grants-lifecycle");
    }

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task An_object_redelivered_after_the_late_retirement_was_processed_rewrites_its_findings_object_unchanged()
    {
        var bucket = _pipeline.NewFindingsBucket();
        var (function, api) = _pipeline.Start(bucket);
        for (int i = 0; i < _pipeline.Keys.Count; i++)
            Assert.Empty(IngestPipeline.FailedItems(await IngestPipeline.InvokeAsync(function, api,
                Events.SqsBatch(($"m-{i}", Events.S3Notification(_pipeline.TrailBucket, _pipeline.Keys[i]))))));
        var before = await _pipeline.FindingsAsync(bucket);

        // The object holding the 10:41:30 Decrypt (delivered 10:50, before the 10:30 RetireGrant's object of 11:25)
        // comes back from the queue once more.
        var early = _pipeline.Keys.Single(k => k.Contains("20261008T1050Z", StringComparison.Ordinal));
        Assert.Empty(IngestPipeline.FailedItems(await IngestPipeline.InvokeAsync(function, api,
            Events.SqsBatch(("m-again", Events.S3Notification(_pipeline.TrailBucket, early))))));
        var after = await _pipeline.FindingsAsync(bucket);

        var ids = IngestPipeline.Lines(after).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToList();
        _output.WriteLine($"finding lines {ids.Count}, distinct ids {ids.Distinct().Count()} (before the redelivery: {IngestPipeline.Lines(before).Count})");
        Assert.Equal(before, after);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
