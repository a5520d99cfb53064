using Auditor.Testing;
using Xunit.Abstractions;

namespace Auditor.Integration.Tests;

/// <summary>
/// The function killed (SIGKILL, as Lambda does at a timeout or an out-of-memory) in the middle of an SQS batch
/// (issue 10, item 3): the queue redelivers the whole batch to a new process, which must write exactly the findings
/// objects of an undisturbed run, byte for byte, with no duplicate finding — whatever the dead process had already
/// saved in the state table or written to the findings bucket.
/// </summary>
[Collection(LambdaCollection.Name)]
public sealed class KillMidBatchTests : IDisposable
{
    private static readonly string[] Scenarios = ["grants-lifecycle", "key-deletion", "policy-changes"];

    private readonly LambdaEnvironment _env;
    private readonly ITestOutputHelper _output;
    private readonly IngestPipeline _pipeline;
    private readonly FaultProxy _proxy;
    private FunctionProcess? _function;

    public KillMidBatchTests(LambdaEnvironment env, ITestOutputHelper output)
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

    /// <param name="cutBatch">The batch (0-based) during which the process is killed; the ones before it complete.</param>
    /// <param name="killAtPut">The findings PutObject of that batch on which the process is killed (1 = the first).</param>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 4)]
    public async Task A_batch_redelivered_after_the_function_was_killed_gives_the_undisturbed_findings_and_no_duplicates(int cutBatch, int killAtPut)
    {
        var reference = await _pipeline.ReferenceRunAsync();
        var bucket = _pipeline.NewFindingsBucket();
        var batches = _pipeline.Batches();

        // First process: the first batch goes through, the second is cut when its killAtPut-th findings PUT arrives —
        // after that object's state was saved, before its findings were written.
        var (doomed, doomedApi) = _pipeline.Start(bucket, _proxy.Endpoint);
        foreach (var batch in batches.Take(cutBatch))
            Assert.Empty(IngestPipeline.FailedItems(await IngestPipeline.InvokeAsync(doomed, doomedApi, batch)));
        int putsInBatch = 0, killed = 0;
        _proxy.OnRequest = (method, path, _) =>
        {
            if (method != "PUT" || !path.Contains("/" + bucket + "/", StringComparison.Ordinal)) return;
            if (Interlocked.Increment(ref putsInBatch) != killAtPut) return;
            Interlocked.Increment(ref killed);
            KillHard(doomed);
            throw new IOException("the function was killed; this PUT is never forwarded");
        };
        var cut = doomedApi.InvokeAsync(batches[cutBatch]);
        await doomed.Exited.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(1, killed);
        Assert.False(cut.IsCompleted, "the killed process answered its batch");
        int writtenBeforeKill = (await _pipeline.FindingsAsync(bucket)).Count;
        _output.WriteLine($"killed at PUT {killAtPut} of batch {cutBatch + 1}; findings objects written before the kill: {writtenBeforeKill}");
        _proxy.OnRequest = null;

        // A new process (a new sandbox); the queue redelivers the cut batch, then the rest flows.
        var (fresh, freshApi) = _pipeline.Start(bucket, _proxy.Endpoint);
        _function = fresh;
        foreach (var batch in batches.Skip(cutBatch))
            Assert.Empty(IngestPipeline.FailedItems(await IngestPipeline.InvokeAsync(fresh, freshApi, batch)));

        var findings = await _pipeline.FindingsAsync(bucket);
        Assert.Equal(reference, findings);
        var lines = IngestPipeline.Lines(findings);
        Assert.Equal(lines.Count, lines.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(_pipeline.Keys.Count, findings.Count);
    }

    /// <summary>
    /// Killed on the findings PUT of the object holding the late RetireGrant (its state saved, its re-judged findings
    /// not written): the six objects before it in the redelivered batch were marked audited and are skipped, so their
    /// findings are not re-judged against a state that already holds the retirement.
    /// </summary>
    [Fact]
    public Task A_batch_cut_after_the_late_retirement_was_saved_gives_the_undisturbed_findings_when_redelivered() =>
        A_batch_redelivered_after_the_function_was_killed_gives_the_undisturbed_findings_and_no_duplicates(0, 7);

    /// <param name="killAtWrite">The DynamoDB write (BatchWriteItem, UpdateItem, PutItem) of the batch on which the process is killed.</param>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 6)]
    [InlineData(0, 9)]
    public async Task A_batch_redelivered_after_the_function_was_killed_while_saving_state_gives_the_undisturbed_findings(int cutBatch, int killAtWrite)
    {
        var reference = await _pipeline.ReferenceRunAsync();
        var bucket = _pipeline.NewFindingsBucket();
        var batches = _pipeline.Batches();
        using var dynamo = new FaultProxy(_env.Dynamo.Endpoint);

        var (doomed, doomedApi) = _pipeline.Start(bucket, dynamoEndpoint: dynamo.Endpoint);
        foreach (var batch in batches.Take(cutBatch))
            Assert.Empty(IngestPipeline.FailedItems(await IngestPipeline.InvokeAsync(doomed, doomedApi, batch)));
        int writes = 0, killed = 0;
        // Cut in the middle of an object's state save: some of its items are written, the rest never will be.
        dynamo.OnRequest = (_, _, target) =>
        {
            if (target is null || !(target.EndsWith(".BatchWriteItem", StringComparison.Ordinal) || target.EndsWith(".UpdateItem", StringComparison.Ordinal) || target.EndsWith(".PutItem", StringComparison.Ordinal))) return;
            if (Interlocked.Increment(ref writes) != killAtWrite) return;
            Interlocked.Increment(ref killed);
            KillHard(doomed);
            throw new IOException("the function was killed; this write is never forwarded");
        };
        var cut = doomedApi.InvokeAsync(batches[cutBatch]);
        await doomed.Exited.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(1, killed);
        Assert.False(cut.IsCompleted, "the killed process answered its batch");
        dynamo.OnRequest = null;
        _output.WriteLine($"killed at DynamoDB write {killAtWrite} of batch {cutBatch + 1}");

        var (fresh, freshApi) = _pipeline.Start(bucket, dynamoEndpoint: dynamo.Endpoint);
        _function = fresh;
        foreach (var batch in batches.Skip(cutBatch))
            Assert.Empty(IngestPipeline.FailedItems(await IngestPipeline.InvokeAsync(fresh, freshApi, batch)));

        var findings = await _pipeline.FindingsAsync(bucket);
        Assert.Equal(reference, findings);
        Assert.Equal(_pipeline.Keys.Count, findings.Count);
    }

    private static void KillHard(FunctionProcess function)
    {
        // Process.Kill sends SIGKILL on Unix: no handler, no flush, exactly what Lambda does to a timed-out sandbox.
        function.Kill();
    }
}
